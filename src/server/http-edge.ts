import { isIP } from 'node:net';

// How the HTTP server meets the network: which proxies it believes about the caller's address
// (PARLEY_TRUST_PROXY) and how long a connection may take to send a request or sit idle
// (PARLEY_HTTP_*_TIMEOUT_SEC). Read once at start; a bad value stops the start with an error
// that says what is accepted.

/** Which X-Forwarded-For entries are believed: none, the last `hops` proxies, or proxies at these addresses. */
export type ProxyTrust = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'addresses'; addresses: string[] };

/** Names proxy-addr (Fastify's) understands besides addresses and CIDRs. */
const ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

const TRUST_PROXY_HELP =
  'PARLEY_TRUST_PROXY takes the number of proxies in front of Parley (1 for one nginx or Caddy), or a comma-separated list of proxy addresses and CIDRs (e.g. 127.0.0.1,10.0.0.0/8; also loopback, linklocal, uniquelocal); `true` means 1';

/** PARLEY_TRUST_PROXY read: unset/false/0 trusts nobody; `true` is one hop (the left-most, caller-written entry is never believed). */
export function proxyTrust(value: string | undefined): ProxyTrust {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'false' || v === '0') return { kind: 'none' };
  if (v === 'true') return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 16) throw new Error(`${TRUST_PROXY_HELP}; ${v} hops is more proxies than any real chain`);
    return { kind: 'hops', hops };
  }
  const addresses = v.split(',').map((a) => a.trim());
  const bad = addresses.filter((a) => !validProxyAddress(a));
  if (bad.length) throw new Error(`${TRUST_PROXY_HELP}; not an address or CIDR: ${bad.map((a) => JSON.stringify(a)).join(', ')}`);
  return { kind: 'addresses', addresses };
}

function validProxyAddress(a: string): boolean {
  if (ADDRESS_NAMES.includes(a)) return true;
  const [ip, bits, ...rest] = a.split('/');
  const family = isIP(ip ?? '');
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Why `trust` is unsafe on a server listening on `host`, if it is: a hop count believes whatever
 * connects, so a caller reaching a public port directly can name any address.
 */
export function proxyTrustWarning(trust: ProxyTrust, host: string): string | undefined {
  if (trust.kind !== 'hops' || /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(host)) return undefined;
  return `PARLEY_TRUST_PROXY is a hop count and the server listens on ${host}: a caller reaching it directly, not through the proxy, can choose the address its limits count under; listen on 127.0.0.1 (or a private address the proxy uses), firewall the port, or list the proxies' addresses in PARLEY_TRUST_PROXY instead`;
}

/**
 * The `trustProxy` option for Fastify. Hop counts are a function: Fastify 5 turns a bare number
 * into "trust nobody". With it, req.ip is the right-most address no trusted proxy vouches for.
 */
export function fastifyTrustProxy(t: ProxyTrust): false | string[] | ((address: string, hop: number) => boolean) {
  if (t.kind === 'none') return false;
  if (t.kind === 'addresses') return t.addresses;
  const hops = t.hops;
  return (_address, hop) => hop < hops;
}

/** Limits on how long an HTTP connection may take; web sockets, once upgraded, are not subject to them. */
export interface HttpTimeouts {
  /** From connecting to the end of the request headers (Node's headersTimeout). */
  headersMs: number;
  /** From connecting to the end of the whole request (Node's requestTimeout). */
  requestMs: number;
  /** A connection with no bytes either way for this long is closed (Fastify's connectionTimeout). */
  idleMs: number;
  /** An idle keep-alive connection is kept this long for the next request (Fastify's keepAliveTimeout). */
  keepAliveMs: number;
}

const TIMEOUTS: { key: keyof HttpTimeouts; env: string; defaultSec: number }[] = [
  { key: 'headersMs', env: 'PARLEY_HTTP_HEADERS_TIMEOUT_SEC', defaultSec: 10 },
  { key: 'requestMs', env: 'PARLEY_HTTP_REQUEST_TIMEOUT_SEC', defaultSec: 30 },
  { key: 'idleMs', env: 'PARLEY_HTTP_IDLE_TIMEOUT_SEC', defaultSec: 60 },
  // Above the 60 s idle timeout of common load balancers, so they never reuse a connection we just closed.
  { key: 'keepAliveMs', env: 'PARLEY_HTTP_KEEPALIVE_TIMEOUT_SEC', defaultSec: 72 },
];

/** The HTTP timeouts from the environment (seconds, fractions allowed), defaults 10 / 30 / 60 / 72 s. */
export function httpTimeouts(env: NodeJS.ProcessEnv): HttpTimeouts {
  const t = {} as HttpTimeouts;
  for (const { key, env: name, defaultSec } of TIMEOUTS) {
    const raw = env[name]?.trim();
    const sec = raw ? Number(raw) : defaultSec;
    if (!Number.isFinite(sec) || sec <= 0 || sec > 3600) throw new Error(`${name} must be a number of seconds above 0 and at most 3600, not ${JSON.stringify(raw)}`);
    t[key] = Math.round(sec * 1000);
  }
  if (t.headersMs > t.requestMs) throw new Error(`PARLEY_HTTP_HEADERS_TIMEOUT_SEC (${t.headersMs / 1000}) must not exceed PARLEY_HTTP_REQUEST_TIMEOUT_SEC (${t.requestMs / 1000}): the headers are part of the request`);
  return t;
}

/** The Fastify options that enforce `t`. */
export function fastifyTimeouts(t: HttpTimeouts) {
  return {
    connectionTimeout: t.idleMs,
    keepAliveTimeout: t.keepAliveMs,
    requestTimeout: t.requestMs,
    http: {
      headersTimeout: t.headersMs,
      requestTimeout: t.requestMs,
      // Node looks for late requests only this often (default every 30 s): check well within the limit.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(t.headersMs / 4))),
    },
  };
}
