import type { SecretMask } from '../agent/secret-mask.ts';
import type { ToolEvent } from './events.ts';

// The model can ask for a tool with arguments the AI SDK refuses before any tool runs: JSON
// holding a `__proto__` or `constructor.prototype` key (refused so it cannot pollute prototypes),
// JSON that does not parse, or a tool that does not exist. Such a call never reaches tracedTool,
// so it is recorded here, with the arguments exactly as the model wrote them.

/** A tool call the SDK refused before running it. */
export interface RejectedCall {
  id: string;
  name: string;
  /** The arguments as the model sent them: usually the raw JSON text. */
  input: unknown;
  error: unknown;
}

/** The record of a refused call: its input parsed as plain data where it parses (own `__proto__` keys stay keys), secrets masked. */
export function rejectedToolCall(call: RejectedCall, turnSeq: number, at: string, mask: SecretMask): Extract<ToolEvent, { type: 'tool.call' }> {
  const message = mask.text(call.error instanceof Error ? call.error.message : String(call.error));
  return {
    type: 'tool.call',
    at,
    call: {
      id: call.id,
      turnSeq,
      name: call.name,
      input: mask.value(plainData(call.input)),
      request: undefined,
      response: undefined,
      result: { error: message },
      error: message,
      startedAt: at,
      durationMs: 0,
    },
  };
}

/** JSON text as data: JSON.parse defines every key as its own property, so "__proto__" stays a key. */
function plainData(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}
