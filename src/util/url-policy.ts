import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// A knowledge URL is fetched by the server, from inside its network: without a rule, a page (or a
// redirect from one) could make it read the cloud metadata service, an admin port on loopback or
// a database's HTTP interface, and index the answer where any caller can ask about it. So every
// address a host resolves to is checked, at every redirect hop, and private, loopback,
// link-local and other non-public ranges are refused unless the agent file allows them.

/**
 * Which hosts may reach loopback, private (RFC 1918, ULA), link-local and other non-public
 * addresses: `true` any, `false` none, a list only those host names (as written in the URL).
 */
export type PrivateHosts = boolean | readonly string[];

/** Whether `host` (a URL's hostname) may resolve to a non-public address under `allowed`. */
export function privateAllowed(allowed: PrivateHosts, host: string): boolean {
  if (typeof allowed === 'boolean') return allowed;
  const name = normalHost(host);
  return allowed.some((h) => normalHost(h) === name);
}

/** A host name as compared: lower case, no brackets, no trailing dot. */
function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** The sentence a refusal ends with: how the owner allows this host, naming the setting. */
export function allowHint(host: string, setting: string): string {
  return `list it to allow it: ${setting}: [${normalHost(host)}]`;
}

/** What a URL source may reach and how much of it is read. */
export interface UrlPolicy {
  /** Which hosts may reach non-public addresses (`knowledge.allowPrivateUrls`). */
  allowPrivate: PrivateHosts;
  /** The agent.yaml field the refusal names (default `knowledge.allowPrivateUrls`). */
  setting?: string;
  /** Largest document read, in bytes (`knowledge.maxUrlBytes`). */
  maxBytes: number;
  /** Redirects followed before giving up. */
  maxRedirects: number;
  /** Resolves a host name to its addresses (tests pass a fake). */
  lookup?: (host: string) => Promise<{ address: string; family: number }[]>;
}

/** A URL refused by the policy (address, scheme, size, redirects); its message names the URL. */
export class UrlRefusedError extends Error {
  override name = 'UrlRefusedError';
}

/** Public addresses only, 5 MB, 5 redirects. */
export const DEFAULT_URL_POLICY: UrlPolicy = { allowPrivate: false, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['100::', 64], // discard
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is outside the public internet; IPv4 inside IPv6 (mapped, NAT64, 6to4) is judged as IPv4. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse rather than guess
  const v4 = embeddedIPv4(ip);
  if (v4 !== null) return isPrivateAddress(v4);
  return blocked.check(ip, 'ipv6');
}

/** Refuses a URL whose scheme is not http(s) or whose host resolves to an address the policy does not allow. */
export async function checkUrl(url: URL, policy: UrlPolicy, signal?: AbortSignal): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefusedError(`refused ${url.href}: only http and https URLs are read`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (privateAllowed(policy.allowPrivate, host)) return;
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(url, host, policy);
  signal?.throwIfAborted();
  if (!addresses.length) throw new UrlRefusedError(`could not fetch ${url.href}: ${host} has no address`);
  const inside = addresses.find((a) => isPrivateAddress(a.address));
  if (inside) throw new UrlRefusedError(`refused ${url.href}: ${host === inside.address ? host : `${host} resolves to ${inside.address}, which`} is a private, loopback or link-local address (${allowHint(host, policy.setting ?? 'knowledge.allowPrivateUrls')})`);
}

async function resolve(url: URL, host: string, policy: UrlPolicy): Promise<{ address: string; family: number }[]> {
  try {
    return policy.lookup ? await policy.lookup(host) : await dnsLookup(host, { all: true, verbatim: true });
  } catch (e) {
    throw new UrlRefusedError(`could not fetch ${url.href}: cannot resolve ${host} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
}

/** The IPv4 address carried inside an IPv6 one (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::/96, 2002::/16), or null. */
function embeddedIPv4(ip: string): string | null {
  const groups = expandIPv6(ip);
  if (!groups) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zero(0, 5) && groups[5] === 0xffff) return v4(groups[6], groups[7]); // mapped
  if (zero(0, 6) && (groups[6] !== 0 || groups[7] > 1)) return v4(groups[6], groups[7]); // compatible (not :: or ::1)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) return v4(groups[6], groups[7]); // NAT64
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]); // 6to4
  return null;
}

/** Eight 16-bit groups of an IPv6 address, dotted IPv4 tail included. */
function expandIPv6(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
