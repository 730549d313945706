import { once } from 'node:events';
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';

// One big file fetched once: resumable (the bytes so far wait in FILE.part and an HTTP Range
// request asks for the rest), checked (size and SHA-256 before it takes its name), and refused up
// front when the disk cannot hold it. Nothing here knows about models; callers say what to fetch.

/** Where a download stands, for a progress bar. */
export interface DownloadProgress {
  received: number;
  total: number | undefined;
  /** Average over this run (not counting bytes resumed from an earlier one). */
  bytesPerSecond: number;
}

/** What to fetch and how to check it. */
export interface DownloadRequest {
  url: string;
  /** The finished file; `<file>.part` holds an unfinished one. */
  file: string;
  /** Exact size when known; a different size fails the download. */
  bytes?: number;
  /** Hex SHA-256 when known; a different digest fails the download and drops the bytes. */
  sha256?: string;
  signal: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  fetch?: typeof fetch;
  /** Free bytes where `dir` is; fs.statfs unless a test says otherwise. */
  freeBytes?: (dir: string) => Promise<number>;
}

/** Why a download failed: `offline` (no connection), `http`, `disk`, `checksum` or `interrupted`. */
export class DownloadError extends Error {
  readonly kind: 'offline' | 'http' | 'disk' | 'checksum' | 'interrupted';
  constructor(kind: DownloadError['kind'], message: string) {
    super(message);
    this.name = 'DownloadError';
    this.kind = kind;
  }
}

/** Room kept free beyond the file itself, so a download never fills the disk to the last byte. */
const HEADROOM = 64 * 1024 * 1024;

/** Fetches `url` into `file`, resuming a `.part` left by an interrupted run; returns the file's SHA-256. */
export async function downloadFile(req: DownloadRequest): Promise<{ sha256: string; bytes: number; resumed: boolean }> {
  const part = `${req.file}.part`;
  await mkdir(dirname(req.file), { recursive: true });
  let have = (await stat(part).catch(() => undefined))?.size ?? 0;
  if (req.bytes !== undefined && have > req.bytes) {
    await rm(part, { force: true }); // not a prefix of this file
    have = 0;
  }

  let res: Response;
  try {
    res = await (req.fetch ?? fetch)(req.url, { redirect: 'follow', signal: req.signal, headers: have > 0 ? { range: `bytes=${have}-` } : {} });
  } catch (e) {
    if (req.signal.aborted) throw e;
    throw new DownloadError('offline', `${new URL(req.url).host}: ${networkCause(e)}`);
  }
  if (res.status === 416 && have > 0 && (req.bytes === undefined || have === req.bytes)) {
    await res.body?.cancel();
    return finish(req, part, await hashFile(part), have, true); // the part was already whole
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new DownloadError('http', `HTTP ${res.status} ${res.statusText} from ${req.url}`);
  }
  const resumed = res.status === 206 && have > 0;
  if (!resumed) have = 0; // the server sent the whole file again
  const length = Number(res.headers.get('content-length')) || undefined;
  if (req.bytes !== undefined && length !== undefined && have + length !== req.bytes) {
    // The server announces another file: fetching it would only end in a mismatch.
    await res.body.cancel();
    await rm(part, { force: true });
    throw new DownloadError('checksum', `the server's file is ${have + length} bytes, expected ${req.bytes}`);
  }
  const total = req.bytes ?? (length !== undefined ? have + length : undefined);

  const need = (total ?? 0) - have + HEADROOM;
  const free = await (req.freeBytes ?? freeBytes)(dirname(req.file));
  if (total !== undefined && free < need) {
    await res.body.cancel();
    throw new DownloadError('disk', `not enough disk space in ${dirname(req.file)}: ${mb(total - have)} needed, ${mb(free)} free`);
  }

  const hash = createHash('sha256');
  if (resumed) await hashInto(hash, part);
  let received = have;
  const started = performance.now();
  // Every byte received is on disk before this returns, also when the connection breaks: a
  // pipeline would destroy the file stream with its buffered bytes, and the resume would start
  // from less than was counted (or from nothing).
  const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
  let writeError: Error | undefined; // a full disk: reported as such below
  out.on('error', (e) => (writeError ??= e));
  const flushed = () => new Promise<void>((resolve, reject) => (writeError ? reject(writeError) : out.writableFinished ? resolve() : out.end((e?: Error | null) => (e || writeError ? reject(e ?? writeError) : resolve()))));
  try {
    try {
      for await (const chunk of Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>, { signal: req.signal })) {
        const bytes = chunk as Buffer;
        if (writeError) throw writeError;
        if (!out.write(bytes)) await once(out, 'drain', { signal: req.signal });
        received += bytes.length;
        hash.update(bytes);
        const seconds = (performance.now() - started) / 1000;
        req.onProgress?.({ received, total, bytesPerSecond: seconds > 0 ? (received - have) / seconds : 0 });
      }
    } finally {
      await flushed();
    }
  } catch (e) {
    if (req.signal.aborted) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw new DownloadError('disk', `the disk filled up after ${mb(received)} in ${dirname(req.file)}`);
    throw new DownloadError('interrupted', `the download broke off after ${mb(received)} (${networkCause(e)}); run it again to resume`);
  }
  if (total !== undefined && received < total) throw new DownloadError('interrupted', `the download stopped at ${mb(received)} of ${mb(total)}; run it again to resume`);
  return finish(req, part, hash.digest('hex'), received, resumed);
}

async function finish(req: DownloadRequest, part: string, sha256: string, bytes: number, resumed: boolean) {
  const wrongSize = req.bytes !== undefined && bytes !== req.bytes;
  if (wrongSize || (req.sha256 && sha256 !== req.sha256.toLowerCase())) {
    await rm(part, { force: true }); // corrupt or a different file: resuming it would never succeed
    throw new DownloadError('checksum', wrongSize ? `the file is ${bytes} bytes, expected ${req.bytes}` : `SHA-256 ${sha256} does not match the expected ${req.sha256}`);
  }
  await rename(part, req.file);
  return { sha256, bytes, resumed };
}

async function hashInto(hash: Hash, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** SHA-256 of a file on disk, hex. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashInto(hash, file);
  return hash.digest('hex');
}

async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** The low-level reason behind a fetch failure ("connection refused, ECONNREFUSED", …). */
export function networkCause(e: unknown): string {
  let cause: unknown = e;
  while (cause instanceof Error && cause.cause) cause = cause.cause;
  const c = cause as { code?: string; message?: string };
  const words = c.code && CAUSES[c.code];
  return words ? `${words}, ${c.code}` : (c.code ?? c.message ?? String(cause));
}

const CAUSES: Record<string, string> = {
  ENOTFOUND: 'name not found',
  EAI_AGAIN: 'name lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
};

const mb = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);
