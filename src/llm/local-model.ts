import type { LanguageModel } from 'ai';
import type { DownloadProgress } from '../util/download.ts';
import { LocalLanguageModel } from './local-language-model.ts';
import { ensureLocalModel, LOCAL_MODELS, LocalModelError } from './local-models.ts';

/** How a local model is made ready: where to report, and what to suggest when it cannot be fetched. */
export interface OpenLocalOptions {
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Said after "or" when the download fails, e.g. "set OPENAI_API_KEY". */
  alternative?: string;
}

/** `local:<name>` as a LanguageModel: downloads the file on first use, loads it once per process. */
export async function openLocalModel(name: string, o: OpenLocalOptions): Promise<LanguageModel> {
  const { file } = await ensureLocalModel(name, o);
  let runtime: typeof import('./llama-runtime.ts');
  try {
    runtime = await import('./llama-runtime.ts');
  } catch (e) {
    throw new LocalModelError(`the local model runtime (node-llama-cpp) is not installed: run \`npm install\` in Parley's folder (${(e as Error).message.split('\n')[0]})`);
  }
  try {
    const rt = await runtime.openLlamaRuntime(file, `local:${name}`, {
      sequences: Number(o.env.PARLEY_LOCAL_SEQUENCES) || 2,
      contextSize: Number(o.env.PARLEY_LOCAL_CONTEXT) || 8192,
      threads: Number(o.env.PARLEY_LOCAL_THREADS) || undefined,
    });
    return new LocalLanguageModel(rt);
  } catch (e) {
    throw new LocalModelError(`could not load local:${name} from ${file}: ${(e as Error).message.split('\n')[0]}${LOCAL_MODELS[name] ? ` (delete the file and run \`parley models pull local:${name}\` to fetch it again)` : ''}`);
  }
}
