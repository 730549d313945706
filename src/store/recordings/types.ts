import type { Readable } from 'node:stream';

// Where voice recordings live. The conversation record keeps only a reference (a file path,
// or s3://bucket/key): everything that reads, serves or deletes a recording goes through the
// store that made it, so a server never touches bytes outside its own folder or bucket.

/** Inclusive byte range, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A place recordings are saved to and served from: a folder or an S3-compatible bucket. */
export interface RecordingStore {
  /** Where, for logs: "folder /var/lib/parley/recordings", "s3://bucket/prefix (region …)". Never holds secrets. */
  readonly describe: string;
  /** Saves the bytes under `key` (e.g. `<conversation id>.wav`); returns the reference to keep in the record. */
  save(key: string, wav: Uint8Array, signal?: AbortSignal): Promise<string>;
  /** The size in bytes of what `ref` names, or null when it is missing. */
  stat(ref: string, signal?: AbortSignal): Promise<number | null>;
  /** The bytes of `ref` (all, or one inclusive range of them) as a stream. */
  read(ref: string, range: ByteRange | undefined, signal?: AbortSignal): Promise<Readable>;
  /** Deletes `ref`; a missing one is not an error. */
  remove(ref: string, signal?: AbortSignal): Promise<void>;
  /** Whether `ref` lies inside this store (refs from elsewhere are never read or deleted). */
  owns(ref: string): boolean;
  /** Releases pooled connections, when the store holds any. */
  close?(): void;
}

/** Thrown for a ref that does not belong to the store asked to use it. */
export class ForeignRecordingError extends Error {
  constructor(ref: string, store: string) {
    super(`the recording ${ref} is not in ${store}`);
    this.name = 'ForeignRecordingError';
  }
}
