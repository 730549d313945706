import { Command } from 'commander';
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { modelsDir } from '../speech/registry.ts';
import { networkCause } from '../util/download.ts';
import { ensureLocalModel, LOCAL_MODELS, LocalModelError, localModelFile, localModelPresent } from '../llm/local-models.ts';
import { bold, dim } from './output.ts';
import { progressBar, size } from './progress-bar.ts';

// `parley models pull <name>`: fetches a sherpa-onnx model from the project's GitHub releases into
// PARLEY_MODELS_DIR (default ~/.cache/parley/models) with a progress bar. Nothing is downloaded
// unless asked, and offline it says so plainly, with the URL to fetch by hand.

/** A model Parley knows where to download. */
export interface KnownModel {
  /** Path under the release base URL. */
  path: string;
  what: string;
  /** Approximate download size, for the list. */
  size: string;
}

/** The sherpa-onnx models Parley can pull, by the name `sherpa:<name>` uses. */
export const KNOWN_MODELS: Record<string, KnownModel> = {
  silero_vad: { path: 'asr-models/silero_vad.onnx', what: 'Silero voice activity detector', size: '2 MB' },
  'sherpa-onnx-streaming-zipformer-en-2023-06-26': { path: 'asr-models/sherpa-onnx-streaming-zipformer-en-2023-06-26.tar.bz2', what: 'streaming English speech recognition (zipformer)', size: '300 MB' },
  'sherpa-onnx-whisper-tiny.en': { path: 'asr-models/sherpa-onnx-whisper-tiny.en.tar.bz2', what: 'Whisper tiny, English, per utterance', size: '110 MB' },
  'sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8': { path: 'asr-models/sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8.tar.bz2', what: 'Parakeet TDT 0.6B, English, per utterance', size: '470 MB' },
  'vits-piper-en_US-amy-low': { path: 'tts-models/vits-piper-en_US-amy-low.tar.bz2', what: 'Piper voice "amy", US English, fast', size: '60 MB' },
  'kokoro-en-v0_19': { path: 'tts-models/kokoro-en-v0_19.tar.bz2', what: 'Kokoro 82M, English, natural', size: '300 MB' },
};

const DEFAULT_BASE = 'https://github.com/k2-fsa/sherpa-onnx/releases/download';

/** Why a pull failed, in words a user can act on. */
export class ModelDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelDownloadError';
  }
}

/** Downloads and unpacks a known model; returns the folder it is in. */
export async function pullModel(
  name: string,
  o: { env: NodeJS.ProcessEnv; signal?: AbortSignal; force?: boolean; onProgress?: (p: { received: number; total: number | undefined }) => void },
): Promise<{ dir: string; alreadyThere: boolean }> {
  const model = KNOWN_MODELS[name];
  if (!model) throw new ModelDownloadError(`unknown model "${name}". Known models: ${Object.keys(KNOWN_MODELS).join(', ')}`);
  const root = modelsDir(o.env);
  const dir = join(root, name);
  if (existsSync(dir) && !o.force) return { dir, alreadyThere: true };
  const url = `${(o.env.PARLEY_MODELS_BASE_URL || DEFAULT_BASE).replace(/\/+$/, '')}/${model.path}`;
  await mkdir(root, { recursive: true });
  const work = await mkdtemp(join(root, `.pull-${name}-`));
  try {
    const file = join(work, basename(model.path));
    await download(url, file, name, dir, o);
    const unpacked = join(work, 'unpacked');
    await mkdir(unpacked);
    if (file.endsWith('.tar.bz2') || file.endsWith('.tar.gz') || file.endsWith('.tgz')) {
      await promisify(execFile)('tar', ['-xf', file, '-C', unpacked]).catch((e: Error) => {
        throw new ModelDownloadError(`could not unpack ${basename(file)}: ${e.message.split('\n')[0]} (is bzip2 installed?)`);
      });
    } else await rename(file, join(unpacked, basename(file)));
    // Archives hold one top folder named like the model; use it rather than nesting it.
    const entries = await readdir(unpacked);
    const top = entries.length === 1 && (await stat(join(unpacked, entries[0]))).isDirectory() ? join(unpacked, entries[0]) : unpacked;
    await rm(dir, { recursive: true, force: true });
    await rename(top, dir);
    return { dir, alreadyThere: false };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function download(url: string, file: string, name: string, dir: string, o: { signal?: AbortSignal; onProgress?: (p: { received: number; total: number | undefined }) => void }): Promise<void> {
  const byHand = `Offline? Fetch ${url} on a machine with internet and ${/\.(tar\.\w+|tgz)$/.test(file) ? 'unpack it into' : 'put it in'} ${dir}/`;
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', signal: o.signal });
  } catch (e) {
    if (o.signal?.aborted) throw e;
    throw new ModelDownloadError(`cannot download ${name}: ${new URL(url).host} is not reachable (${networkCause(e)}). Pulling a model needs internet access once. ${byHand}`);
  }
  if (!res.ok || !res.body) throw new ModelDownloadError(`cannot download ${name}: HTTP ${res.status} ${res.statusText} from ${url}`);
  const total = Number(res.headers.get('content-length')) || undefined;
  let received = 0;
  const counted = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  counted.on('data', (chunk: Buffer) => {
    received += chunk.length;
    o.onProgress?.({ received, total });
  });
  try {
    await pipeline(counted, createWriteStream(file));
  } catch (e) {
    if (o.signal?.aborted) throw e;
    throw new ModelDownloadError(`the download of ${name} broke off after ${mb(received)} (${networkCause(e)}). Run the command again. ${byHand}`);
  }
  if (total !== undefined && received < total) throw new ModelDownloadError(`the download of ${name} stopped at ${mb(received)} of ${mb(total)}. Run the command again.`);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** `parley models pull|list`: the built-in local language model and local speech models (sherpa-onnx). */
export function command(): Command {
  const cmd = new Command('models').description('download local models for offline use: the built-in language model (local:default) and speech models (sherpa-onnx)');
  cmd
    .command('list')
    .description('models Parley can download, and which are already here')
    .action(() => {
      const root = modelsDir(process.env);
      for (const [name, m] of Object.entries(LOCAL_MODELS)) {
        const here = localModelPresent(name, process.env);
        console.log(`${here ? '✓' : ' '} ${bold(`local:${name}`.padEnd(46))} ${size(m.approxBytes).padStart(7)}  language model: ${m.title} (${m.licence})`);
      }
      for (const [name, m] of Object.entries(KNOWN_MODELS)) {
        const here = existsSync(join(root, name));
        console.log(`${here ? '✓' : ' '} ${bold(name.padEnd(46))} ${m.size.padStart(7)}  ${m.what}`);
      }
      console.log(dim(`models folder: ${root} (set PARLEY_MODELS_DIR to change it)`));
    });
  cmd
    .command('pull')
    .description('download and unpack a model into the models folder')
    .argument('<name>', `one of: ${[...Object.keys(LOCAL_MODELS).map((n) => `local:${n}`), ...Object.keys(KNOWN_MODELS)].join(', ')}`)
    .option('--force', 'download again even if it is already there')
    .action(async (name: string, opts: { force?: boolean }) => {
      const bar = progressBar(name);
      if (name.startsWith('local:')) {
        try {
          const model = name.slice('local:'.length);
          if (opts.force) await rm(localModelFile(model, process.env), { force: true });
          const r = await ensureLocalModel(model, { env: process.env, signal: new AbortController().signal, onProgress: bar.update });
          bar.done();
          console.log(r.downloaded ? `${name} is ready in ${r.file}` : `${name} is already in ${r.file} (use --force to download it again)`);
          console.log(dim(`use it in agent.yaml as brain.llm: ${name}`));
        } catch (e) {
          bar.done();
          if (!(e instanceof LocalModelError)) throw e;
          console.error(`parley: ${e.message}`);
          process.exitCode = 1;
        }
        return;
      }
      try {
        const r = await pullModel(name, { env: process.env, force: opts.force, onProgress: bar.update });
        bar.done();
        console.log(r.alreadyThere ? `${name} is already in ${r.dir} (use --force to download it again)` : `${name} is ready in ${r.dir}`);
        console.log(dim(`use it in agent.yaml as sherpa:${name}`));
      } catch (e) {
        bar.done();
        if (!(e instanceof ModelDownloadError)) throw e;
        console.error(`parley: ${e.message}`);
        process.exitCode = 1;
      }
    });
  return cmd;
}
