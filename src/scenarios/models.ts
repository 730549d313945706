import type { LanguageModel } from 'ai';
import { MissingSecretError } from '../agent/secrets.ts';
import { ModelConfigError, resolveModel } from '../llm/model.ts';

// Scenarios use up to three language models: the agent's own (unless model.script plays it),
// one playing a simulated caller, and one judging rubrics. The last two default to the
// agent's model and can each be set apart, so a cheap model can judge an expensive one.

/** Where a scenario run gets its language models; each may throw ModelConfigError when none is configured. */
export interface ScenarioModels {
  /** The agent's model and its fallbacks (used when a scenario has no model.script). */
  agent(): Promise<LanguageModel[]>;
  /** Plays `caller.simulate`: PARLEY_CALLER_LLM, else the agent's model. */
  caller(): Promise<LanguageModel>;
  /** Judges `expect.rubric`: PARLEY_JUDGE_LLM, else the agent's model if no download is needed for it. */
  judge(): Promise<LanguageModel>;
}

/**
 * The models of a scenario run. `agentModels` resolves the agent's configured models (the CLI
 * passes its own resolution, which also finds a local Ollama); `download: false` asks it never
 * to download a local model. Each is resolved once, when first needed.
 */
export function scenarioModels(agentModels: (o?: { download?: boolean }) => Promise<LanguageModel[]>, env: NodeJS.ProcessEnv = process.env): ScenarioModels {
  const once = <T>(f: () => Promise<T>): (() => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= f());
  };
  let agentModels_: Promise<LanguageModel[]> | undefined;
  const agent = () => (agentModels_ ??= agentModels());
  // A rubric is an extra check: its judge never downloads the 1 GB local model (no model: "not judged").
  const agentOffline = async () => {
    if (agentModels_) return agentModels_;
    const models = await agentModels({ download: false });
    agentModels_ ??= Promise.resolve(models);
    return models;
  };
  // Literal names, so docs/environment.md's test finds every variable the code reads.
  const own = (o: { spec?: string; baseURL?: string; apiKey?: string }, fallback: () => Promise<LanguageModel[]>) =>
    once(async () => {
      if (!o.spec) return (await fallback())[0];
      return resolveModel({ spec: o.spec, baseURL: o.baseURL || undefined, apiKey: o.apiKey || undefined }, env);
    });
  return {
    agent,
    caller: own({ spec: env.PARLEY_CALLER_LLM, baseURL: env.PARLEY_CALLER_LLM_BASE_URL, apiKey: env.PARLEY_CALLER_LLM_API_KEY }, agent),
    judge: own({ spec: env.PARLEY_JUDGE_LLM, baseURL: env.PARLEY_JUDGE_LLM_BASE_URL, apiKey: env.PARLEY_JUDGE_LLM_API_KEY }, agentOffline),
  };
}

/** Whether an error only says that a model is not configured (the scenario is skipped, not failed). */
export function isModelMissing(e: unknown): e is Error {
  return e instanceof ModelConfigError || e instanceof MissingSecretError;
}
