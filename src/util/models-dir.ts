import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where downloaded local models live: PARLEY_MODELS_DIR, else $XDG_CACHE_HOME/parley/models, else ~/.cache/parley/models. */
export function modelsDir(env: NodeJS.ProcessEnv): string {
  if (env.PARLEY_MODELS_DIR) return env.PARLEY_MODELS_DIR;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'parley', 'models');
}
