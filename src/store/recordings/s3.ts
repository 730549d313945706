import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { ForeignRecordingError, type ByteRange, type RecordingStore } from './types.ts';

/** Where an S3Recordings store keeps its objects, and how to reach them. */
export interface S3RecordingsOptions {
  bucket: string;
  /** Key prefix without leading or trailing slashes ("" for the bucket's root). */
  prefix?: string;
  region: string;
  /** An S3-compatible service (MinIO, R2, …) instead of AWS: its base URL. */
  endpoint?: string;
  /** Address objects as endpoint/bucket/key rather than bucket.endpoint/key (default: when an endpoint is given). */
  forcePathStyle?: boolean;
  /** Explicit keys; unset, the AWS SDK's default chain finds them (AWS_ACCESS_KEY_ID…, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

// Errors S3 answers when the keys, not the request, are wrong.
const CREDENTIAL_ERRORS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'ExpiredToken', 'InvalidToken', 'CredentialsProviderError', 'Forbidden']);

/** Recordings as objects in an S3-compatible bucket; refs are `s3://bucket/prefix/key`. */
export class S3Recordings implements RecordingStore {
  readonly describe: string;
  #options: S3RecordingsOptions;
  #client: S3Client | undefined;
  #sdk: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
  #bucket: string;
  #prefix: string;

  constructor(o: S3RecordingsOptions) {
    this.#options = o;
    this.#bucket = o.bucket;
    this.#prefix = (o.prefix ?? '').replace(/^\/+|\/+$/g, '');
    const where = o.endpoint ? `endpoint ${withoutUserInfo(o.endpoint)}` : `region ${o.region}`;
    this.describe = `s3://${this.#bucket}${this.#prefix ? `/${this.#prefix}` : ''} (${where})`;
  }

  async save(key: string, wav: Uint8Array, signal?: AbortSignal): Promise<string> {
    const objectKey = this.#prefix ? `${this.#prefix}/${key}` : key;
    const ref = `s3://${this.#bucket}/${objectKey}`;
    // A Uint8Array body has a known length: the SDK sends it plainly, its CRC32 in a header.
    const { sdk, client } = await this.#connect();
    await attempt('PutObject', ref, () => client.send(new sdk.PutObjectCommand({ Bucket: this.#bucket, Key: objectKey, Body: wav, ContentType: 'audio/wav' }), { abortSignal: signal }));
    return ref;
  }

  async stat(ref: string, signal?: AbortSignal): Promise<number | null> {
    const Key = this.#key(ref);
    const { sdk, client } = await this.#connect();
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.#bucket, Key }), { abortSignal: signal });
      return head.ContentLength ?? 0;
    } catch (e) {
      // HEAD answers carry no error body: a missing object is just a 404.
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw failure('HeadObject', ref, e);
    }
  }

  async read(ref: string, range: ByteRange | undefined, signal?: AbortSignal): Promise<Readable> {
    const Key = this.#key(ref);
    const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
    const { sdk, client } = await this.#connect();
    const out = await attempt('GetObject', ref, () => client.send(new sdk.GetObjectCommand({ Bucket: this.#bucket, Key, Range }), { abortSignal: signal }));
    // In Node the SDK's body is the HTTP response itself: a Readable, streamed, not buffered.
    return out.Body as Readable;
  }

  async remove(ref: string, signal?: AbortSignal): Promise<void> {
    const Key = this.#key(ref);
    const { sdk, client } = await this.#connect();
    await attempt('DeleteObject', ref, () => client.send(new sdk.DeleteObjectCommand({ Bucket: this.#bucket, Key }), { abortSignal: signal }));
  }

  owns(ref: string): boolean {
    return this.#keyOf(ref) !== undefined;
  }

  /** Closes the SDK's pooled connections. */
  close(): void {
    this.#client?.destroy();
  }

  /** The AWS SDK (~38 MB of RSS) is loaded on the first request, so a process that never records to S3 never pays for it. */
  async #connect(): Promise<{ sdk: typeof import('@aws-sdk/client-s3'); client: S3Client }> {
    const sdk = await (this.#sdk ??= import('@aws-sdk/client-s3'));
    const o = this.#options;
    this.#client ??= new sdk.S3Client({ region: o.region, endpoint: o.endpoint, forcePathStyle: o.forcePathStyle ?? !!o.endpoint, credentials: o.credentials });
    return { sdk, client: this.#client };
  }

  #keyOf(ref: string): string | undefined {
    const head = `s3://${this.#bucket}/${this.#prefix ? `${this.#prefix}/` : ''}`;
    return ref.startsWith(head) && ref.length > head.length ? ref.slice(`s3://${this.#bucket}/`.length) : undefined;
  }

  #key(ref: string): string {
    const key = this.#keyOf(ref);
    if (key === undefined) throw new ForeignRecordingError(ref, this.describe);
    return key;
  }
}

async function attempt<T>(op: string, ref: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw failure(op, ref, e);
  }
}

/** The SDK's error with what was being done, and where to look when the keys are the problem. */
function failure(op: string, ref: string, e: unknown): Error {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (err?.name === 'AbortError') return e as Error;
  const status = err.$metadata?.httpStatusCode;
  const code = err.name ?? 'Error';
  const hint = CREDENTIAL_ERRORS.has(code) || status === 403 ? '; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the credentials the AWS SDK found) and the bucket policy' : '';
  return new Error(`S3 ${op} of ${ref} failed: ${code}${status ? ` (HTTP ${status})` : ''}: ${err.message ?? String(e)}${hint}`, { cause: e });
}

function withoutUserInfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}
