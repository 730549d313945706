import type { ModelMessage } from 'ai';

// Every model call resends the conversation so far; without a ceiling a long (or hostile)
// conversation makes each call read more than the last. brain.maxInputTokens bounds one call:
// the system prompt and the current turn are always sent, and history is left out from its
// oldest turns until the estimate fits.

/**
 * Characters per token assumed when estimating. Real tokenisers give about 4 characters a token
 * for English; 3 over-counts, so a call estimated to fit does fit.
 */
export const CHARS_PER_TOKEN = 3;

/** A conservative token estimate of text, messages or anything JSON can show (tool calls and results). */
export function estimateTokens(content: unknown): number {
  const chars = typeof content === 'string' ? content.length : (JSON.stringify(content) ?? '').length;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/**
 * The most recent part of `history` that fits in `maxInputTokens` next to `instructions` and the
 * current `turn`. History is cut only before a message that is not a tool result, so a tool call
 * is never sent without its result (nor a result without its call).
 */
export function historyWindow(history: readonly ModelMessage[], o: { instructions: string; turn: ModelMessage; maxInputTokens: number }): ModelMessage[] {
  let budget = o.maxInputTokens - estimateTokens(o.instructions) - estimateTokens(o.turn);
  let from = history.length;
  // Walk back from the newest message; `from` only ever lands on a message that may start history.
  for (let i = history.length - 1; i >= 0; i--) {
    budget -= messageTokens(history[i]!);
    if (budget < 0) break;
    if (history[i]!.role !== 'tool') from = i;
  }
  return history.slice(from);
}

/** Messages already in history are never changed: each is measured once, not on every turn after it. */
const measured = new WeakMap<ModelMessage, number>();

function messageTokens(m: ModelMessage): number {
  let n = measured.get(m);
  if (n === undefined) measured.set(m, (n = estimateTokens(m)));
  return n;
}
