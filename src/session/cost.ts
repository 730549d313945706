import type { UsageData } from './usage.ts';

// Estimated cost of a conversation from its usage and a price table. The defaults are list prices
// (USD) at the time of writing; an agent overrides or adds entries in `limits.prices`. Keys match
// the most specific first: `openai:gpt-4.1-mini`, then `openai`. Self-hosted engines have no
// built-in price (they cost nothing per use), but a price the owner sets for one counts: a vLLM
// server on a rented GPU has a real cost the owner may want the daily budget to see.
// This is an estimate for budgets, not an invoice: it ignores cached-token discounts and minimums.

/** Prices per provider: LLM per million tokens, STT per minute, TTS per thousand characters, phone per minute. */
export interface PriceTable {
  llm: Record<string, { inputPerMTok: number; outputPerMTok: number }>;
  sttPerMinute: Record<string, number>;
  ttsPer1kChars: Record<string, number>;
  phonePerMinute: { inbound: number; outbound: number };
}

export const DEFAULT_PRICES: PriceTable = {
  llm: {
    'openai:gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
    'openai:gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
    'openai:gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
    'openai:gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
    'openai:gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
    'anthropic:claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
    'anthropic:claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
    'anthropic:claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
    'anthropic:claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
    'anthropic:claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
    'google:gemini-2.0-flash': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
    'groq:llama-3.3-70b-versatile': { inputPerMTok: 0.59, outputPerMTok: 0.79 },
    openai: { inputPerMTok: 0.4, outputPerMTok: 1.6 },
    anthropic: { inputPerMTok: 3, outputPerMTok: 15 },
    google: { inputPerMTok: 0.1, outputPerMTok: 0.4 },
    groq: { inputPerMTok: 0.59, outputPerMTok: 0.79 },
  },
  sttPerMinute: { deepgram: 0.0077, openai: 0.006 },
  ttsPer1kChars: { elevenlabs: 0.18, openai: 0.015, cartesia: 0.05 },
  phonePerMinute: { inbound: 0.0085, outbound: 0.014 },
};

/** Self-hosted providers: the built-in table never prices them (a test keeps it so); the owner's `limits.prices` may. */
export const SELF_HOSTED: ReadonlySet<string> = new Set(['local', 'sherpa', 'ollama', 'vllm', 'llamacpp']);

/** A conversation's estimated cost, in total and per part. */
export interface CostEstimate {
  usd: number;
  llm: number;
  stt: number;
  tts: number;
  phone: number;
}

/** Merges an agent's `limits.prices` over the defaults. */
export function priceTable(overrides?: Partial<PriceTable>): PriceTable {
  // Asked before every model call: an agent's table is merged once per loaded agent file.
  if (!overrides) return DEFAULT_PRICES;
  let table = merged.get(overrides);
  if (!table) merged.set(overrides, (table = mergedPrices(overrides)));
  return table;
}

const merged = new WeakMap<Partial<PriceTable>, PriceTable>();

function mergedPrices(overrides: Partial<PriceTable>): PriceTable {
  return {
    llm: { ...DEFAULT_PRICES.llm, ...overrides?.llm },
    sttPerMinute: { ...DEFAULT_PRICES.sttPerMinute, ...overrides?.sttPerMinute },
    ttsPer1kChars: { ...DEFAULT_PRICES.ttsPer1kChars, ...overrides?.ttsPer1kChars },
    phonePerMinute: { ...DEFAULT_PRICES.phonePerMinute, ...overrides?.phonePerMinute },
  };
}

export function estimateCost(usage: UsageData, prices: PriceTable, direction: 'inbound' | 'outbound' = 'inbound'): CostEstimate {
  let llm = 0;
  for (const [model, u] of Object.entries(usage.llm)) {
    const p = lookup(prices.llm, model);
    if (p) llm += (u.inputTokens * p.inputPerMTok + u.outputTokens * p.outputPerMTok) / 1e6;
  }
  let stt = 0;
  for (const [id, seconds] of Object.entries(usage.stt)) stt += ((lookup(prices.sttPerMinute, id) ?? 0) * seconds) / 60;
  let tts = 0;
  for (const [id, chars] of Object.entries(usage.tts)) tts += ((lookup(prices.ttsPer1kChars, id) ?? 0) * chars) / 1000;
  const phone = (prices.phonePerMinute[direction] * usage.phoneSeconds) / 60;
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  return { usd: round(llm + stt + tts + phone), llm: round(llm), stt: round(stt), tts: round(tts), phone: round(phone) };
}

/** `openai:gpt-4.1-mini-2025-04-14` finds `openai:gpt-4.1-mini`, then `openai`; a self-hosted engine finds only what the owner priced. */
function lookup<T>(table: Record<string, T>, id: string): T | undefined {
  // A conversation uses a handful of ids, asked for before every model call: each is searched once per table.
  let found = lookedUp.get(table) as Map<string, T | undefined> | undefined;
  if (!found) lookedUp.set(table, (found = new Map()));
  if (found.has(id)) return found.get(id);
  const price = search(table, id);
  if (found.size < 256) found.set(id, price);
  return price;
}

const lookedUp = new WeakMap<object, Map<string, unknown>>();

function search<T>(table: Record<string, T>, id: string): T | undefined {
  const provider = id.split(':')[0]!;
  if (table[id]) return table[id];
  const prefix = Object.keys(table)
    .filter((k) => k.includes(':') && id.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? table[prefix] : table[provider];
}
