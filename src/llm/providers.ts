import { didYouMeanHint } from '../util/did-you-mean.ts';

// What `brain.llm` may name, without loading any provider SDK: `parley check` reads this.

/** The model setting is missing or incomplete; the message says exactly what to set. */
export class ModelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

/** How Parley reaches a provider. */
export interface ProviderInfo {
  keyEnv?: string;
  /** Default server for OpenAI-compatible providers. */
  baseURL?: string;
  keyRequired: boolean;
}

/** Providers Parley knows by name; anything OpenAI-compatible works through `openai-compatible` + baseURL. */
export const PROVIDERS: Record<string, ProviderInfo> = {
  openai: { keyEnv: 'OPENAI_API_KEY', keyRequired: true },
  anthropic: { keyEnv: 'ANTHROPIC_API_KEY', keyRequired: true },
  google: { keyEnv: 'GOOGLE_GENERATIVE_AI_API_KEY', keyRequired: true },
  groq: { keyEnv: 'GROQ_API_KEY', baseURL: 'https://api.groq.com/openai/v1', keyRequired: true },
  ollama: { baseURL: 'http://127.0.0.1:11434/v1', keyRequired: false },
  vllm: { baseURL: 'http://127.0.0.1:8000/v1', keyRequired: false },
  llamacpp: { baseURL: 'http://127.0.0.1:8080/v1', keyRequired: false },
  'openai-compatible': { keyEnv: 'PARLEY_LLM_API_KEY', keyRequired: false },
  /** Runs inside the Parley process (node-llama-cpp); `local:default` is the built-in model. */
  local: { keyRequired: false },
};

/** The provider a bare model name most likely belongs to, for "did you mean openai:gpt-4o?". */
function guessProvider(model: string): string | undefined {
  const m = model.toLowerCase();
  if (/^(gpt|o\d|chatgpt)/.test(m)) return 'openai';
  if (m.startsWith('claude')) return 'anthropic';
  if (m.startsWith('gemini')) return 'google';
  if (/^(llama|qwen|mistral|phi|gemma|deepseek)/.test(m)) return 'ollama';
  if (m === 'default') return 'local';
  return undefined;
}

/** Splits `provider:model`, rejecting strings that name no known provider. */
export function parseModelSpec(spec: string): { provider: string; model: string } {
  const i = spec.indexOf(':');
  const provider = i > 0 ? spec.slice(0, i) : '';
  const model = i > 0 ? spec.slice(i + 1) : '';
  if (!provider || !model) {
    const guess = i < 0 && spec ? guessProvider(spec) : undefined;
    const hint = guess ? `; did you mean "${guess}:${spec}"?` : '';
    throw new ModelConfigError(`model "${spec}" must look like provider:model, e.g. openai:gpt-4.1-mini or local:default${hint} (set brain.llm in agent.yaml or PARLEY_LLM)`);
  }
  if (!PROVIDERS[provider]) throw new ModelConfigError(`unknown model provider "${provider}" in "${spec}"${didYouMeanHint(provider, Object.keys(PROVIDERS))}; use one of ${Object.keys(PROVIDERS).join(', ')}`);
  return { provider, model };
}
