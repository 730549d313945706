import { formatOfPath, type KnowledgeFormat } from './document.ts';
import type { SourceBytes } from './read.ts';

/** How a URL source is fetched. */
export interface FetchSourceOptions {
  signal?: AbortSignal;
  /** Give up on a server that has not sent the whole document after this long (default 20 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

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
  const doFetch = o.fetch ?? globalThis.fetch;
  let res: Response;
  let bytes: Uint8Array;
  try {
    res = await doFetch(url, { signal, redirect: 'follow', headers: { accept: 'text/html, application/pdf, text/markdown, text/plain;q=0.9, */*;q=0.1' } });
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (o.signal?.aborted) throw o.signal.reason;
    if (timeout.aborted) throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new Error(`could not fetch ${url}: ${networkReason(e)}`, { cause: e });
  }
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  const contentType = res.headers.get('content-type') ?? '';
  const format = formatOfResponse(contentType, res.url || url, bytes);
  if (!format) throw new Error(`cannot read ${url}: unsupported content type ${contentType.split(';')[0] || '(none)'}`);
  const charset = /charset=["']?([^;"'\s]+)/i.exec(contentType)?.[1];
  return { bytes, format, charset };
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
