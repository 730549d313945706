import type { LookupAddress } from 'node:dns';
import type { IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { isPrivateAddress, UrlRefusedError } from './url-policy.ts';

// checkUrl resolves a host before the request; the connection then resolves it again. A DNS
// server that answers "public" the first time and "127.0.0.1" the second (DNS rebinding) would
// slip through, so the default fetch for URL sources checks the addresses it actually connects
// to, inside the connection's own lookup.

// node:http and node:https (~18 MB of RSS together) are loaded with the first URL source, not at
// start: a process that answers callers from an index already built never needs them.

const NULL_BODY = new Set([101, 204, 205, 304]);

/** A GET whose connection refuses non-public addresses (unless allowed); answers as a fetch Response. */
export async function pinnedGet(url: URL, o: { allowPrivate: boolean; signal: AbortSignal; headers: Record<string, string> }): Promise<Response> {
  const [{ lookup: dnsLookup }, { request }] = await Promise.all([import('node:dns'), url.protocol === 'https:' ? import('node:https') : import('node:http')]);
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const inside = o.allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (inside) return callback(new UrlRefusedError(`refused ${url.href}: ${hostname} resolves to ${inside.address}, which is a private, loopback or link-local address (set knowledge.allowPrivateUrls: true to allow it)`), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: o.headers, signal: o.signal, lookup }, (res) => {
      const status = res.statusCode ?? 502;
      const body = NULL_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      if (!body) res.resume();
      resolve(new Response(body, { status, statusText: res.statusMessage, headers: headersOf(res.headers) }));
    });
    req.on('error', reject);
    req.end();
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
