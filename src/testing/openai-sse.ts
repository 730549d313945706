// Wire format of a streamed OpenAI chat completion: turns one scripted reply
// into the exact sequence of `chat.completion.chunk` objects OpenAI sends.
import type { FakeReply } from './openai.ts';

/** Fields shared by every chunk and completion of one response. */
export type ResponseMeta = { id: string; created: number; model: string };

/** Token counts in OpenAI's `usage` shape. */
export type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

/** Splits text into word-ish tokens (leading whitespace attached, like BPE tokens). */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

/** Splits a tool's `arguments` JSON string into small pieces, by code point so no surrogate pair is cut. */
export function splitArguments(json: string, size = 8): string[] {
  const chars = Array.from(json);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

/** Serialises a tool call's args; a string is sent verbatim so tests can script malformed JSON. */
export function argumentsJson(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

/** Every chunk of a streamed response, in order, excluding the `[DONE]` sentinel. */
export function streamChunks(
  reply: FakeReply,
  meta: ResponseMeta,
  toolCallIds: string[],
  usage: Usage | undefined,
): object[] {
  // With include_usage, OpenAI sends `usage: null` on every chunk but the last.
  const base = { ...meta, object: 'chat.completion.chunk', system_fingerprint: 'fp_fake' };
  const withUsage = usage ? { usage: null } : {};
  const chunk = (delta: object, finishReason: string | null = null): object => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...withUsage,
  });

  const chunks: object[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const token of splitTokens(reply.text ?? '')) chunks.push(chunk({ content: token }));
  (reply.toolCalls ?? []).forEach((call, index) => {
    const head = { index, id: toolCallIds[index], type: 'function', function: { name: call.name, arguments: '' } };
    chunks.push(chunk({ tool_calls: [head] }));
    for (const piece of splitArguments(argumentsJson(call.args))) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, reply.toolCalls?.length ? 'tool_calls' : 'stop'));
  if (usage) chunks.push({ ...base, choices: [], usage });
  return chunks;
}

/** Frames one server-sent event the way OpenAI does: a single `data:` line and a blank line. */
export function sseEvent(data: object | '[DONE]'): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
