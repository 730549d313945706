/** One message of a chat, as a local runtime reads it. */
export type LocalMessage =
  | { role: 'system' | 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls: LocalToolCall[] };

/** A tool call the model made, with its result once the tool has answered. */
export interface LocalToolCall {
  name: string;
  args: unknown;
  /** Absent while the tool has not answered yet. */
  result?: unknown;
}

/** A tool the model may call: its name, what it is for, and a JSON Schema of its arguments. */
export interface LocalTool {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

/** What a local generation yields, in order: text as it is written, tool calls once complete, then usage. */
export type LocalEvent =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; name: string; args: unknown }
  | { type: 'done'; inputTokens: number; outputTokens: number; stop: 'stop' | 'tool-calls' | 'length' };

/** One request to a local model. */
export interface LocalGeneration {
  messages: LocalMessage[];
  tools: LocalTool[];
  temperature?: number;
  maxTokens?: number;
  signal: AbortSignal;
}

/** A model loaded in this process: generations stream as events and stop when the signal aborts. */
export interface LocalRuntime {
  readonly modelId: string;
  generate(request: LocalGeneration): AsyncIterable<LocalEvent>;
}
