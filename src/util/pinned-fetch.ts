import type { LookupAddress } from 'node:dns';
import type { IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { allowHint, isPrivateAddress, privateAllowed, UrlRefusedError, type PrivateHosts } from './url-policy.ts';

// checkUrl resolves a host before the request; the connection then resolves it again. A DNS
// server that answers "public" the first time and "127.0.0.1" the second (DNS rebinding) would
// slip through, so the default fetch for URL sources checks the addresses it actually connects
// to, inside the connection's own lookup.

// node:http and node:https (~18 MB of RSS together) are loaded with the first URL source, not at
// start: a process that answers callers from an index already built never needs them.

const NULL_BODY = new Set([101, 204, 205, 304]);

/** A GET whose connection refuses non-public addresses (unless allowed); answers as a fetch Response. */
export function pinnedGet(url: URL, o: { allowPrivate: PrivateHosts; signal: AbortSignal; headers: Record<string, string> }): Promise<Response> {
  return pinnedRequest(url, { ...o, method: 'GET', setting: 'knowledge.allowPrivateUrls' });
}

/** One request (no redirects followed) whose connection refuses non-public addresses for hosts `allowPrivate` does not allow; answers as a fetch Response. */
export async function pinnedRequest(url: URL, o: { method: string; allowPrivate: PrivateHosts; setting: string; signal: AbortSignal; headers: Record<string, string>; body?: string }): Promise<Response> {
  // An address in the URL is never looked up, so the connection's lookup would not see it.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && isPrivateAddress(literal) && !privateAllowed(o.allowPrivate, literal)) throw new UrlRefusedError(`refused ${url.href}: ${literal} is a private, loopback or link-local address (${allowHint(literal, o.setting)})`);
  const [{ lookup: dnsLookup }, { request }] = await Promise.all([import('node:dns'), url.protocol === 'https:' ? import('node:https') : import('node:http')]);
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const inside = privateAllowed(o.allowPrivate, url.hostname) ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (inside) return callback(new UrlRefusedError(`refused ${url.href}: ${hostname} resolves to ${inside.address}, which is a private, loopback or link-local address (${allowHint(url.hostname, o.setting)})`), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method, headers: o.body === undefined ? o.headers : { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) }, signal: o.signal, lookup, agent: false }, (res) => {
      const status = res.statusCode ?? 502;
      const body = NULL_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      if (!body) res.resume();
      resolve(new Response(body, { status, statusText: res.statusMessage, headers: headersOf(res.headers) }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
