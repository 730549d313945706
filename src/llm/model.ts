import type * as Anthropic from '@ai-sdk/anthropic';
import type * as Google from '@ai-sdk/google';
import type * as OpenAI from '@ai-sdk/openai';
import type * as OpenAICompatible from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { resolveSecrets } from '../agent/secrets.ts';
import { loadPackage } from '../util/lazy.ts';
import { ModelConfigError, parseModelSpec, PROVIDERS } from './providers.ts';

export { ModelConfigError, parseModelSpec, PROVIDERS };

/** Which model to use and where: a `provider:model` string plus optional server and key. */
export interface ModelChoice {
  spec: string;
  baseURL?: string;
  /** May hold `${ENV_NAME}`. */
  apiKey?: string;
}

/** The agent's model choice with the PARLEY_LLM / PARLEY_LLM_BASE_URL / PARLEY_LLM_API_KEY overrides applied. */
export function modelChoice(brain: { llm: string; baseURL?: string; apiKey?: string }, env: NodeJS.ProcessEnv = process.env): ModelChoice {
  if (env.PARLEY_LLM) return { spec: env.PARLEY_LLM, baseURL: env.PARLEY_LLM_BASE_URL || undefined, apiKey: env.PARLEY_LLM_API_KEY || undefined };
  return { spec: brain.llm, baseURL: env.PARLEY_LLM_BASE_URL || brain.baseURL, apiKey: env.PARLEY_LLM_API_KEY || brain.apiKey };
}

/** Builds the AI SDK model for a choice, or throws ModelConfigError naming the env var or setting to provide. */
export function resolveModel(choice: ModelChoice, env: NodeJS.ProcessEnv = process.env): LanguageModel {
  const { provider, model } = parseModelSpec(choice.spec);
  const info = PROVIDERS[provider];
  const apiKey = choice.apiKey ? resolveSecrets(choice.apiKey, `the model ${choice.spec}`, env) : info.keyEnv ? env[info.keyEnv] : undefined;
  if (info.keyRequired && !apiKey) {
    throw new ModelConfigError(
      `no API key for ${choice.spec}: set ${info.keyEnv} in the environment, ` +
        `or choose another model with PARLEY_LLM (e.g. PARLEY_LLM=ollama:llama3.2 with Ollama running, ` +
        `or PARLEY_LLM=openai-compatible:MODEL PARLEY_LLM_BASE_URL=http://host:port/v1)`,
    );
  }
  // brain.baseURL may be ${NAME}: an unset one is reported by name, not as "Invalid URL" on the first turn.
  const baseURL = choice.baseURL ? resolveSecrets(choice.baseURL, `the server URL (baseURL) of the model ${choice.spec}`, env) : info.baseURL;
  // only the provider SDK the agent names is loaded (the four together: ~4 MB beyond the AI SDK)
  switch (provider) {
    case 'local':
      throw new ModelConfigError(`${choice.spec} runs in this process and is opened by agentModels, not resolveModel`);
    case 'openai':
      // Chat Completions: the wire format every OpenAI-compatible proxy and our test fake speak.
      return loadPackage<typeof OpenAI>('@ai-sdk/openai').createOpenAI({ apiKey, baseURL }).chat(model);
    case 'anthropic':
      return loadPackage<typeof Anthropic>('@ai-sdk/anthropic').createAnthropic({ apiKey, baseURL })(model);
    case 'google':
      return loadPackage<typeof Google>('@ai-sdk/google').createGoogleGenerativeAI({ apiKey, baseURL })(model);
    default:
      if (!baseURL) throw new ModelConfigError(`${choice.spec} needs a server URL: set brain.baseURL in agent.yaml or PARLEY_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1)`);
      return loadPackage<typeof OpenAICompatible>('@ai-sdk/openai-compatible').createOpenAICompatible({ name: provider, baseURL, apiKey, includeUsage: true })(model);
  }
}

/** The first model of a local Ollama server, when one is running; lets the demo work with no API key. */
export async function detectOllama(signal: AbortSignal, base = 'http://127.0.0.1:11434'): Promise<string | undefined> {
  try {
    const res = await fetch(`${base}/api/tags`, { signal: AbortSignal.any([signal, AbortSignal.timeout(800)]) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { models?: { name: string }[] };
    return body.models?.[0]?.name;
  } catch {
    return undefined;
  }
}
