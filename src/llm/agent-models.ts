import type { LanguageModel } from 'ai';
import type { Agent } from '../agent/load.ts';
import { embedderFor, type TextEmbedder } from './embedder.ts';
import { detectOllama, modelChoice, ModelConfigError, resolveModel } from './model.ts';

/** The agent's model and fallbacks; with no key at all, a running local Ollama is used instead of failing. */
export async function agentModels(agent: Agent, env: NodeJS.ProcessEnv = process.env): Promise<{ models: LanguageModel[]; label: string }> {
  const choice = modelChoice(agent.config.brain, env);
  try {
    const primary = resolveModel(choice, env);
    const fallbacks = env.PARLEY_LLM ? [] : agent.config.brain.fallback.flatMap((spec) => {
      try {
        return [resolveModel({ spec }, env)];
      } catch {
        return []; // a fallback without its key is skipped, not fatal
      }
    });
    return { models: [primary, ...fallbacks], label: choice.spec };
  } catch (e) {
    if (!(e instanceof ModelConfigError) || env.PARLEY_LLM) throw e;
    const local = await detectOllama(AbortSignal.timeout(1500));
    if (!local) throw e;
    return { models: [resolveModel({ spec: `ollama:${local}` }, env)], label: `ollama:${local} (local; ${choice.spec} has no key)` };
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
