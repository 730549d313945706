import type { LanguageModel } from 'ai';
import type { Agent } from '../agent/load.ts';
import type { DownloadProgress } from '../util/download.ts';
import { embedderFor, type TextEmbedder } from './embedder.ts';
import { LOCAL_MODELS, localModelPresent } from './local-models.ts';
import { detectOllama, modelChoice, ModelConfigError, parseModelSpec, PROVIDERS, resolveModel } from './model.ts';

/** Where the model resolution reports what it decided and how a first download is going. */
export interface AgentModelOptions {
  log?: (line: string) => void;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** false: the built-in local model is used only if already on disk (a ModelConfigError otherwise), never downloaded. */
  download?: boolean;
}

/**
 * The agent's model and fallbacks. With no key for it (and no PARLEY_LLM), a running local
 * Ollama is used, else the built-in local model (downloaded on first use), and `log` says so in
 * one line. PARLEY_LOCAL_FALLBACK=off turns the built-in fallback off.
 */
export async function agentModels(agent: Agent, env: NodeJS.ProcessEnv = process.env, o: AgentModelOptions = {}): Promise<{ models: LanguageModel[]; label: string }> {
  const choice = modelChoice(agent.config.brain, env);
  const signal = o.signal ?? new AbortController().signal;
  const local = async (name: string, alternative?: string) => {
    if (o.download === false && !localModelPresent(name, env)) {
      throw new ModelConfigError(`local:${name} is not downloaded (run \`parley models pull local:${name}\`${alternative ? `, or ${alternative}` : ''})`);
    }
    const { openLocalModel } = await import('./local-model.ts');
    return openLocalModel(name, { env, signal, onProgress: o.onProgress, alternative });
  };
  const { provider, model } = parseModelSpec(choice.spec);
  if (provider === 'local') return { models: [await local(model)], label: choice.spec };
  try {
    const primary = resolveModel(choice, env);
    const fallbacks: LanguageModel[] = [];
    for (const spec of env.PARLEY_LLM ? [] : agent.config.brain.fallback) {
      const f = parseModelSpec(spec);
      if (f.provider === 'local') {
        // A local fallback is opened only if it is on disk already: a fallback never starts a 1 GB download.
        if (localModelPresent(f.model, env)) fallbacks.push(await local(f.model));
        else o.log?.(`model: fallback ${spec} is not downloaded, skipped (run \`parley models pull ${spec}\`)`);
        continue;
      }
      try {
        fallbacks.push(resolveModel({ spec }, env));
      } catch {
        // a fallback without its key is skipped, not fatal
      }
    }
    return { models: [primary, ...fallbacks], label: choice.spec };
  } catch (e) {
    if (!(e instanceof ModelConfigError) || env.PARLEY_LLM) throw e;
    const ollama = await detectOllama(AbortSignal.any([signal, AbortSignal.timeout(1500)]));
    if (ollama) {
      o.log?.(`model: ${choice.spec} has no key; using ollama:${ollama}, running on this machine`);
      return { models: [resolveModel({ spec: `ollama:${ollama}` }, env)], label: `ollama:${ollama} (local; ${choice.spec} has no key)` };
    }
    if (env.PARLEY_LOCAL_FALLBACK === 'off') throw e;
    const keyEnv = PROVIDERS[provider]?.keyEnv;
    o.log?.(`model: ${choice.spec} has no key${keyEnv ? ` (${keyEnv})` : ''} and no Ollama answers; using the built-in local model local:default (${LOCAL_MODELS.default!.title}, runs in this process)`);
    const m = await local('default', keyEnv ? `set ${keyEnv}` : undefined);
    return { models: [m], label: `local:default (${choice.spec} has no key)` };
  }
}

/**
 * The agent's embedding model (`knowledge.embeddings`), or undefined without one. A missing key
 * is not fatal: `warning` says so, and retrieval goes on by words alone.
 */
export function agentEmbedder(agent: Agent, env: NodeJS.ProcessEnv = process.env): { embedder?: TextEmbedder; warning?: string } {
  const choice = agent.config.knowledge.embeddings;
  if (!choice) return {};
  try {
    return { embedder: embedderFor(choice, env) };
  } catch (e) {
    if (!(e instanceof ModelConfigError)) throw e;
    return { warning: `${e.message}; knowledge is searched by words alone` };
  }
}
