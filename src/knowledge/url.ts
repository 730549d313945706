import { formatOfPath, type KnowledgeFormat } from './document.ts';
import type { SourceBytes } from './read.ts';
import { pinnedGet } from './pinned-fetch.ts';
import { checkUrl, DEFAULT_URL_POLICY, UrlRefusedError, type UrlPolicy } from './url-policy.ts';

/** How a URL source is fetched. */
export interface FetchSourceOptions {
  signal?: AbortSignal;
  /** Give up on a server that has not sent the whole document after this long (default 20 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** What may be reached and how much is read; default: public addresses only, 5 MB, 5 redirects. */
  policy?: Partial<UrlPolicy>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Whether a configured source is a web address rather than a path. */
export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * Downloads a URL source; its content-type decides how it is read (HTML, PDF, Markdown, text).
 * Every failure is an Error whose message names the URL. Aborting through `signal` rethrows the abort.
 */
export async function fetchSource(url: string, o: FetchSourceOptions = {}): Promise<SourceBytes> {
  const timeoutMs = o.timeoutMs ?? 20_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  const p = o.policy ?? {};
  const policy: UrlPolicy = {
    allowPrivate: p.allowPrivate ?? DEFAULT_URL_POLICY.allowPrivate,
    maxBytes: p.maxBytes ?? DEFAULT_URL_POLICY.maxBytes,
    maxRedirects: p.maxRedirects ?? DEFAULT_URL_POLICY.maxRedirects,
    lookup: p.lookup,
  };
  let res: Response;
  let bytes: Uint8Array;
  // Redirects are followed by hand so each hop's address is checked like the first.
  let current = new URL(url);
  try {
    for (let hop = 0; ; hop++) {
      await checkUrl(current, policy, signal);
      const headers = { accept: 'text/html, application/pdf, text/markdown, text/plain;q=0.9, */*;q=0.1' };
      // Without a fetch of the caller's, the connection itself refuses what checkUrl refused (DNS rebinding).
      res = o.fetch ? await o.fetch(current, { signal, redirect: 'manual', headers }) : await pinnedGet(current, { allowPrivate: policy.allowPrivate, signal, headers });
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || !location) break;
      await res.body?.cancel();
      if (hop >= policy.maxRedirects) throw new UrlRefusedError(`refused ${url}: more than ${policy.maxRedirects} redirects`);
      current = new URL(location, current);
    }
    bytes = await readCapped(res, policy.maxBytes, url);
  } catch (e) {
    if (o.signal?.aborted) throw o.signal.reason;
    if (timeout.aborted) throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    if (e instanceof UrlRefusedError) throw e;
    throw new Error(`could not fetch ${url}: ${networkReason(e)}`, { cause: e });
  }
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  const contentType = res.headers.get('content-type') ?? '';
  const format = formatOfResponse(contentType, current.href, bytes);
  if (!format) throw new Error(`cannot read ${url}: unsupported content type ${contentType.split(';')[0] || '(none)'}`);
  const charset = /charset=["']?([^;"'\s]+)/i.exec(contentType)?.[1];
  return { bytes, format, charset };
}

/** The body, refused as soon as it passes `max` bytes (declared or streamed): a huge page never sits in memory. */
async function readCapped(res: Response, max: number, url: string): Promise<Uint8Array> {
  const tooLarge = () => new UrlRefusedError(`refused ${url}: larger than ${max.toLocaleString('en')} bytes (knowledge.maxUrlBytes)`);
  const declared = Number(res.headers.get('content-length'));
  if (declared > max) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** The format of a downloaded document: its declared type first, then its URL's extension, then a PDF signature. */
export function formatOfResponse(contentType: string, url: string, bytes: Uint8Array): KnowledgeFormat | undefined {
  const mime = contentType.split(';')[0].trim().toLowerCase();
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime === 'application/pdf') return 'pdf';
  if (mime === 'text/markdown' || mime === 'text/x-markdown') return 'markdown';
  const byPath = formatOfPath(pathOf(url));
  if (mime === 'text/plain') return byPath === 'markdown' ? 'markdown' : 'text';
  if (mime.startsWith('text/')) return 'text';
  if (mime && mime !== 'application/octet-stream' && mime !== 'binary/octet-stream') return undefined;
  if (byPath) return byPath;
  return isPdf(bytes) ? 'pdf' : undefined;
}

function isPdf(bytes: Uint8Array): boolean {
  return bytes.length > 4 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** undici reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function networkReason(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message ?? 'fetch failed'} (${cause})` : (err.message ?? String(e));
}
