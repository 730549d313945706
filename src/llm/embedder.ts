import type * as Google from '@ai-sdk/google';
import type * as OpenAI from '@ai-sdk/openai';
import type * as OpenAICompatible from '@ai-sdk/openai-compatible';
import { embedMany, type EmbeddingModel } from 'ai';
import { resolveSecrets } from '../agent/secrets.ts';
import { loadPackage } from '../util/lazy.ts';
import { ModelConfigError, parseModelSpec, PROVIDERS } from './model.ts';

// Embedding models for hybrid retrieval (`knowledge.embeddings`), through the AI SDK's
// `embedMany`: OpenAI, Google, and every OpenAI-compatible server (Ollama, vLLM, llama.cpp, …).
// Anthropic and Groq have no embedding endpoint.

/** What `knowledge.embeddings` says. */
export interface EmbeddingChoice {
  model: string;
  dimensions?: number;
  baseURL?: string;
}

/** Turns texts into unit-length vectors (the shape src/knowledge's Embedder expects). */
export interface TextEmbedder {
  readonly label: string;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** The embedder for an agent's `knowledge.embeddings`, or ModelConfigError naming what is missing. */
export function embedderFor(choice: EmbeddingChoice, env: NodeJS.ProcessEnv = process.env): TextEmbedder {
  const { provider, model } = parseModelSpec(choice.model);
  const info = PROVIDERS[provider];
  const apiKey = info.keyEnv ? env[info.keyEnv] : undefined;
  if (info.keyRequired && !apiKey) throw new ModelConfigError(`no API key for the embedding model ${choice.model}: set ${info.keyEnv}, or remove knowledge.embeddings to retrieve by words alone`);
  const baseURL = choice.baseURL ? resolveSecrets(choice.baseURL, `the embedding model ${choice.model}`, env) : info.baseURL;
  let embedding: EmbeddingModel;
  // only the provider SDK the agent names is loaded
  switch (provider) {
    case 'openai':
      embedding = loadPackage<typeof OpenAI>('@ai-sdk/openai').createOpenAI({ apiKey, baseURL }).embeddingModel(model);
      break;
    case 'google':
      embedding = loadPackage<typeof Google>('@ai-sdk/google').createGoogleGenerativeAI({ apiKey, baseURL }).embeddingModel(model);
      break;
    case 'anthropic':
    case 'groq':
      throw new ModelConfigError(`${provider} has no embedding models; use e.g. openai:text-embedding-3-small or ollama:nomic-embed-text`);
    default:
      if (!baseURL) throw new ModelConfigError(`${choice.model} needs a server URL: set knowledge.embeddings.baseURL`);
      embedding = loadPackage<typeof OpenAICompatible>('@ai-sdk/openai-compatible').createOpenAICompatible({ name: provider, baseURL, apiKey }).embeddingModel(model);
  }
  const providerOptions = choice.dimensions && provider === 'google' ? { google: { outputDimensionality: choice.dimensions } } : undefined;
  return {
    label: `${choice.model}${choice.dimensions ? `@${choice.dimensions}` : ''}`,
    async embed(texts, signal) {
      const { embeddings } = await embedMany({
        model: embedding,
        values: texts,
        maxRetries: 1,
        abortSignal: signal,
        ...(choice.dimensions && provider !== 'google' ? { dimensions: choice.dimensions } : {}),
        ...(providerOptions ? { providerOptions } : {}),
      });
      return embeddings.map(unit);
    },
  };
}

function unit(v: number[]): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const s = n ? 1 / Math.sqrt(n) : 0;
  return Float32Array.from(v, (x) => x * s);
}
