import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { allowHint, checkUrl, isPrivateAddress, privateAllowed, UrlRefusedError, type PrivateHosts } from '../knowledge/url-policy.ts';
import { timeoutSignal } from '../util/timeout-signal.ts';

// One POST of an event to a receiver, on the same rules knowledge URLs follow: public addresses
// only (unless allowed), checked again inside the connection's own lookup (DNS rebinding).
// Redirects are never followed — a receiver that moved must be changed in the file, and a 3xx
// must not steer the server into its own network. Only the first bytes of the answer are read:
// a receiver streaming gigabytes back costs nothing, and one that never answers times out.

/** How much of a receiver's answer is read (kept in the attempt log). */
export const MAX_ANSWER_BYTES = 1024;

/** What a receiver answered, or why nothing was delivered. */
export type PostResult = { ok: boolean; status: number; answer: string } | { ok: false; status: null; error: string };

/** Posts `body` to `url` with `headers`; never throws for a receiver's fault, only reports it. */
export async function postEvent(url: string, o: { body: string; headers: Record<string, string>; allowPrivate: PrivateHosts; timeoutMs: number; signal: AbortSignal }): Promise<PostResult> {
  const signal = AbortSignal.any([o.signal, timeoutSignal(o.timeoutMs)]);
  let target: URL;
  try {
    target = new URL(url);
    await checkUrl(target, { allowPrivate: o.allowPrivate, setting: 'events.allowPrivateUrls', maxBytes: MAX_ANSWER_BYTES, maxRedirects: 0 }, signal);
  } catch (e) {
    return { ok: false, status: null, error: refusal(e, signal, o) };
  }
  try {
    return await post(target, o.body, o.headers, o.allowPrivate, signal);
  } catch (e) {
    return { ok: false, status: null, error: refusal(e, signal, o) };
  }
}

function post(url: URL, body: string, headers: Record<string, string>, allowPrivate: PrivateHosts, signal: AbortSignal): Promise<PostResult> {
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const inside = privateAllowed(allowPrivate, url.hostname) ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (inside) return callback(new UrlRefusedError(`refused ${url.origin}: ${hostname} resolves to ${inside.address}, a private, loopback or link-local address (${allowHint(url.hostname, 'events.allowPrivateUrls')})`), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal, lookup, agent: false }, (res) => {
      responded = true;
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        res.destroy();
        const answer = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
        if (status >= 300 && status < 400) return resolve({ ok: false, status, answer: `redirect to ${res.headers.location ?? '(no location)'} not followed` });
        resolve({ ok: status >= 200 && status < 300, status, answer });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= MAX_ANSWER_BYTES) done();
      });
      res.on('end', done);
      // The status is in: a body cut by the timeout (or the receiver) does not change the answer.
      res.on('error', done);
      res.on('close', done);
    });
    req.on('error', (e) => (responded ? undefined : reject(e)));
    req.end(body);
  });
}

function refusal(e: unknown, signal: AbortSignal, o: { signal: AbortSignal; timeoutMs: number }): string {
  if (signal.aborted && !o.signal.aborted) return `no answer within ${o.timeoutMs} ms`;
  if (o.signal.aborted) return 'stopped before an answer (the server is shutting down)';
  return (e as Error)?.message ?? String(e);
}
