import type { LanguageModel } from 'ai';
import { MissingSecretError } from '../agent/secrets.ts';
import type { Agent } from '../agent/load.ts';
import { ModelConfigError, resolveModel } from './model.ts';

/** The model that runs an agent's post-call analysis, or why there is none (the analysis is then skipped). */
export type AnalysisModel = { model: LanguageModel; label: string } | { skip: string };

/**
 * `analysis.model` when the file sets one (resolved like brain.llm, its own key), else the agent's
 * own model as already resolved (`main`, which honours PARLEY_LLM).
 */
export function analysisModel(agent: Agent, env: NodeJS.ProcessEnv, main?: { model: LanguageModel; label: string }): AnalysisModel {
  const a = agent.config.analysis;
  if (!a?.model) return main ?? { skip: 'no model' };
  try {
    return { model: resolveModel({ spec: a.model, baseURL: a.baseURL, apiKey: a.apiKey }, env), label: a.model };
  } catch (e) {
    if (e instanceof ModelConfigError || e instanceof MissingSecretError) return { skip: `no model: ${e.message}` };
    throw e;
  }
}
