import { pinnedRequest } from '../util/pinned-fetch.ts';
import { UrlRefusedError, type PrivateHosts } from '../util/url-policy.ts';

// A webhook tool with `allowPrivateUrls: false` or a list of hosts sends through this instead of
// the process's fetch: every connection, and every redirect's, checks the address it actually
// connects to (DNS rebinding cannot slip past a check made earlier), so only the listed hosts
// reach the private network. Redirects are followed as fetch follows them (at most 5; 303, and
// 301/302 after a POST, become a GET without a body), and the credentials go only to the origin
// written in the file.

const MAX_REDIRECTS = 5;
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

/** A fetch for one webhook tool whose connections honour `allowed`; `setting` is the field a refusal names. */
export function guardedFetch(allowed: PrivateHosts, setting: string): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : input);
    let method = (init.method ?? 'GET').toUpperCase();
    let headers = Object.fromEntries(new Headers(init.headers).entries());
    let body = typeof init.body === 'string' ? init.body : undefined;
    const origin = url.origin;
    const signal = init.signal ?? new AbortController().signal;
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefusedError(`refused ${url.href}: only http and https URLs are called`);
      const res = await pinnedRequest(url, { method, headers, body, allowPrivate: allowed, setting, signal });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new UrlRefusedError(`gave up after ${MAX_REDIRECTS} redirects (last: ${url.href})`);
      url = new URL(location, url);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      if (url.origin !== origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIALS.includes(k)));
    }
  }) as typeof fetch;
}
