import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { DownloadError, downloadFile, type DownloadProgress } from '../util/download.ts';
import { modelsDir } from '../util/models-dir.ts';

// The language models Parley can run inside its own process (`brain.llm: local:<name>`), where
// they come from, and getting one onto the disk on first use.

/** A GGUF model Parley knows where to download. */
export interface LocalModelInfo {
  /** What to call it in messages. */
  title: string;
  url: string;
  /** File name in the models folder. */
  file: string;
  /** Approximate download size in bytes, for messages and the disk check before the server answers. */
  approxBytes: number;
  /** Exact size and SHA-256 when pinned; unpinned, the first download's digest is recorded and later copies are checked against it. */
  bytes?: number;
  sha256?: string;
  licence: string;
}

/**
 * `local:default`: Qwen2.5 1.5B Instruct, Q4_K_M. Apache-2.0 (the 3B is under the Qwen Research
 * licence, not permissive), trained for tool calls in its chat template, and small enough for
 * a CPU: about 1.1 GB on disk and ~1.5 GB of memory with an 8k context.
 */
export const LOCAL_MODELS: Record<string, LocalModelInfo> = {
  default: {
    title: 'Qwen2.5-1.5B-Instruct Q4_K_M',
    // Pinned to a revision of Qwen's own repository, so the bytes behind the URL cannot change.
    url: 'https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/91cad51170dc346986eccefdc2dd33a9da36ead9/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    file: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    approxBytes: 1_117_320_736,
    bytes: 1_117_320_736,
    sha256: '6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e',
    licence: 'Apache-2.0',
  },
};

/** A local model could not be made ready; the message is one line the user can act on. */
export class LocalModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalModelError';
  }
}

/** Where `local:<name>` lives on disk: a catalogue model in the models folder, or a .gguf path as written. */
export function localModelFile(name: string, env: NodeJS.ProcessEnv): string {
  if (name.endsWith('.gguf')) return isAbsolute(name) ? name : resolve(name);
  const info = LOCAL_MODELS[name];
  if (!info) throw new LocalModelError(`unknown local model "${name}": use local:default or local:/path/to/model.gguf (known: ${Object.keys(LOCAL_MODELS).join(', ')})`);
  return join(modelsDir(env), 'llm', info.file);
}

/** Whether `local:<name>` is on disk already (then nothing will be downloaded). */
export function localModelPresent(name: string, env: NodeJS.ProcessEnv): boolean {
  try {
    return existsSync(localModelFile(name, env));
  } catch {
    return false;
  }
}

/** Options for getting a local model onto the disk. */
export interface EnsureOptions {
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Said after "or" in the offline message, e.g. "set OPENAI_API_KEY". */
  alternative?: string;
  fetch?: typeof fetch;
  freeBytes?: (dir: string) => Promise<number>;
}

const fetching = new Map<string, Promise<{ file: string; downloaded: boolean }>>();

/** The model file for `local:<name>`, downloading it first (resumably, checked) when it is not there yet; one download per file at a time. */
export function ensureLocalModel(name: string, o: EnsureOptions): Promise<{ file: string; downloaded: boolean }> {
  const file = localModelFile(name, o.env);
  let r = fetching.get(file);
  if (!r) {
    r = ensure(name, file, o).finally(() => fetching.delete(file));
    fetching.set(file, r);
  }
  return r;
}

async function ensure(name: string, file: string, o: EnsureOptions): Promise<{ file: string; downloaded: boolean }> {
  const info = LOCAL_MODELS[name];
  if (!info) {
    if (!existsSync(file)) throw new LocalModelError(`local model file not found: ${file}`);
    return { file, downloaded: false };
  }
  const recorded = `${file}.sha256`;
  if (existsSync(file)) return { file, downloaded: false };
  const url = o.env.PARLEY_LOCAL_MODEL_URL || info.url;
  // A mirror serves the same file, so the pin holds; PARLEY_LOCAL_MODEL_SHA256 names another file's digest.
  const own = o.env.PARLEY_LOCAL_MODEL_SHA256?.trim().toLowerCase() || undefined;
  const pinned = own ?? info.sha256 ?? (existsSync(recorded) ? (await readFile(recorded, 'utf8')).trim() : undefined);
  try {
    const r = await downloadFile({ url, file, bytes: own ? undefined : info.bytes, sha256: pinned, signal: o.signal, onProgress: o.onProgress, fetch: o.fetch, freeBytes: o.freeBytes });
    if (!pinned) await writeFile(recorded, `${r.sha256}\n`);
    return { file, downloaded: true };
  } catch (e) {
    if (!(e instanceof DownloadError)) throw e;
    const what = `could not download local:${name} (${info.title}, ${gb(info.approxBytes)}) from ${new URL(url).host}`;
    const then = `run \`parley models pull local:${name}\` where there is one${o.alternative ? `, or ${o.alternative}` : ''}`;
    if (e.kind === 'offline') throw new LocalModelError(`${what}: no network (${e.message}); ${then}`);
    if (e.kind === 'interrupted') throw new LocalModelError(`${what}: ${e.message}`);
    throw new LocalModelError(`${what}: ${e.message}`);
  }
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
