import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SpeechUnavailableError } from './types.ts';

// What the sherpa-onnx engines (stt/sherpa.ts, tts/sherpa.ts) share: finding a model's files in
// the folder `parley models pull <name>` unpacked, and loading the sherpa-onnx-node addon.
// Archives name their files differently (tiny.en-encoder.int8.onnx, encoder-epoch-99-….onnx,
// encode.int8.onnx), so files are found by pattern, never by one fixed name.

/** A model folder and the `sherpa:<name>` it was asked for, for error messages. */
export interface ModelFolder {
  name: string;
  dir: string;
}

/** The error for a file a model needs and its folder lacks. */
export function missingFile(m: ModelFolder, what: string): SpeechUnavailableError {
  return new SpeechUnavailableError(
    `sherpa:${m.name} needs ${what} in ${m.dir}, which is not there: the download looks incomplete or is not this kind of model. Run \`parley models pull ${m.name} --force\` to fetch it again (\`parley models pull ${m.name}\` for a known model).`,
  );
}

/** Names of the entries in the model folder; throws when the folder is missing. */
export function listFolder(m: ModelFolder): string[] {
  if (!existsSync(m.dir) || !statSync(m.dir).isDirectory()) {
    throw new SpeechUnavailableError(`sherpa:${m.name} needs its model files in ${m.dir}: run \`parley models pull ${m.name}\` (once, with internet), or set PARLEY_MODELS_DIR to where your models are`);
  }
  return readdirSync(m.dir).sort();
}

/**
 * The .onnx file whose name matches `pattern`; with `int8` the quantised one is preferred when
 * both exist (smaller, faster on CPU), else the full-precision one. Undefined when none matches.
 */
export function pickOnnx(files: string[], pattern: RegExp, o: { int8?: boolean } = {}): string | undefined {
  const hits = files.filter((f) => f.endsWith('.onnx') && pattern.test(f));
  const q = hits.filter((f) => /\.int8\.onnx$/.test(f));
  const full = hits.filter((f) => !/\.int8\.onnx$/.test(f));
  return (o.int8 ?? true) ? (q[0] ?? full[0]) : (full[0] ?? q[0]);
}

/** Path of a required file, or the missing-file error naming `what`. */
export function need(m: ModelFolder, file: string | undefined, what: string): string {
  if (!file) throw missingFile(m, what);
  return join(m.dir, file);
}

/** The tokens file (`tokens.txt`, or `<prefix>-tokens.txt` for Whisper). */
export function tokensFile(m: ModelFolder, files: string[]): string {
  return need(m, files.includes('tokens.txt') ? 'tokens.txt' : files.find((f) => f.endsWith('tokens.txt')), 'tokens.txt');
}

const require = createRequire(import.meta.url);

/** The sherpa-onnx-node module, or SpeechUnavailableError when its native part cannot load. */
export function loadSherpaOnnx<T>(id: string): T {
  try {
    return require('sherpa-onnx-node') as T;
  } catch (err) {
    const platform = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
    const first = String((err as Error).message).split('\n')[0];
    throw new SpeechUnavailableError(`${id} needs the npm package sherpa-onnx-node and its native part sherpa-onnx-${platform}, which could not be loaded (${first}). Run npm install, or use local:pocketsphinx / local:flite.`);
  }
}

/** Threads for one engine: half the cores, at most 4 (the rest serve the call and other sessions). */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}

/**
 * Refuses model files that are empty or not ONNX (an ONNX file is a protobuf starting with field
 * 1, ir_version: byte 0x08) before sherpa-onnx sees them: some of its constructors abort the
 * whole process on a model they cannot parse instead of throwing. A truncated file that starts
 * well still gets through; `parley models pull --force` is the cure then too.
 */
export function checkOnnxFiles(m: ModelFolder, paths: string[]): void {
  for (const path of paths.filter((p) => p.endsWith('.onnx'))) {
    let ok = false;
    try {
      const fd = openSync(path, 'r');
      try {
        const head = Buffer.alloc(1);
        ok = readSync(fd, head, 0, 1, 0) === 1 && head[0] === 0x08;
      } finally {
        closeSync(fd);
      }
    } catch {
      ok = false;
    }
    if (!ok) throw new SpeechUnavailableError(`sherpa:${m.name}: ${path} is empty or not an ONNX model (a broken download?). Run \`parley models pull ${m.name} --force\` to fetch it again.`);
  }
}

/** Every string value in a config object, depth first (the file paths in it). */
export function configPaths(config: object): string[] {
  const out: string[] = [];
  for (const v of Object.values(config)) {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') out.push(...configPaths(v as object));
  }
  return out;
}
