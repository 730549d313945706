import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { ForeignRecordingError, type ByteRange, type RecordingStore } from './types.ts';

/** Recordings as files in one folder (`PARLEY_RECORDINGS_URL=file:/path`, or PARLEY_RECORDINGS_DIR); refs are file paths. */
export class DirectoryRecordings implements RecordingStore {
  readonly describe: string;
  #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.describe = `folder ${resolve(dir)}`;
  }

  async save(key: string, wav: Uint8Array, signal?: AbortSignal): Promise<string> {
    // join, not resolve: the ref stays as the folder was given (relative folders give relative refs, as before).
    const path = join(this.#dir, key);
    if (!this.owns(path)) throw new ForeignRecordingError(path, this.describe);
    await mkdir(this.#dir, { recursive: true });
    await writeFile(path, wav, { signal });
    return path;
  }

  async stat(ref: string): Promise<number | null> {
    this.#check(ref);
    return stat(ref).then((s) => (s.isFile() ? s.size : null), () => null);
  }

  async read(ref: string, range: ByteRange | undefined, signal?: AbortSignal): Promise<Readable> {
    this.#check(ref);
    return createReadStream(ref, { ...range, signal });
  }

  async remove(ref: string): Promise<void> {
    this.#check(ref);
    await rm(ref, { force: true });
  }

  owns(ref: string): boolean {
    // A URL (s3://…) is never a path here, even if a folder of that name existed.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return false;
    const inside = relative(resolve(this.#dir), resolve(ref));
    return !!inside && !inside.startsWith('..') && !isAbsolute(inside);
  }

  #check(ref: string): void {
    if (!this.owns(ref)) throw new ForeignRecordingError(ref, this.describe);
  }
}
