import { isStepCount, streamText, type LanguageModel, type ModelMessage, type ToolSet } from 'ai';
import type { AgentOutput } from './conversation.ts';

/** Everything one agent turn needs from the language model side. */
export interface ModelTurnInput {
  /** The agent's model first, then its fallbacks. */
  models: LanguageModel[];
  instructions: string;
  messages: ModelMessage[];
  tools: ToolSet;
  temperature: number;
  maxToolRounds: number;
  signal: AbortSignal;
  /** Longest wait for a model's first part (words or a tool call) before it counts as failed. */
  responseTimeoutMs?: number;
  /** Called for each model that failed, before the next one is tried. */
  onModelError(model: string, error: unknown): void;
  /** A tool call refused before any tool ran (arguments the SDK would not parse, an unknown tool): to record it. */
  onToolRejected?(call: { id: string; name: string; input: unknown; error: unknown }): void;
  /** Tokens a model used for one request (for the cost estimate). */
  onUsage?(model: string, inputTokens: number | undefined, outputTokens: number | undefined): void;
  /** Asked before each further model call of the turn (another tool round); false ends the turn there. */
  mayContinue?(): Promise<boolean>;
  /** Each model call once it is over (for traces): how long the model took, apart from the tools it asked for. */
  onModelCall?(call: ModelCall): void;
  /** A tool the model must call in its first step (a keypad shortcut: "press 0 for a person"). */
  firstTool?: string;
}

/** One request to a model, timed from its start to its last part (tools that ran after it are not counted). */
export interface ModelCall {
  model: string;
  durationMs: number;
  /** How long ago the call ended, when it is reported (tool runs can lie between). */
  endedMsAgo: number;
  firstTokenMs: number | null;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  finishReason: string | null;
  error?: string;
}

/** How the turn ended: the messages to append to history, and whether words were produced. */
export interface ModelTurnResult {
  messages: ModelMessage[];
  spoke: boolean;
  failed: boolean;
}

/**
 * Streams one agent turn: text as it is written and tool results as they come. Tries the
 * fallback models in order while nothing has been said yet; once words are out, a retry would
 * repeat them, so the caller is told the turn failed instead. When the tool rounds run out
 * without a word for the caller, one last round without tools makes the model answer.
 */
export async function* modelTurn(o: ModelTurnInput): AsyncGenerator<AgentOutput, ModelTurnResult> {
  for (const [i, model] of o.models.entries()) {
    let produced = false;
    let spoke = false;
    const messages: ModelMessage[] = [];
    // A model that says nothing for too long is a failed model: the caller is waiting in silence.
    const silent = new AbortController();
    const timeoutMs = o.responseTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined = setTimeout(() => silent.abort(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    const firstPart = () => {
      clearTimeout(timer);
      timer = undefined;
    };
    // The model call in flight: when it started, its first words and its last part.
    let call: { start: number; first: number | null; last: number } | null = null;
    const callOver = (extra: { inputTokens?: number; outputTokens?: number; finishReason?: string; error?: string }) => {
      if (!call || !o.onModelCall) return;
      const t = performance.now();
      o.onModelCall({ model: modelName(model), durationMs: call.last - call.start, endedMsAgo: t - call.last, firstTokenMs: call.first === null ? null : call.first - call.start, inputTokens: extra.inputTokens, outputTokens: extra.outputTokens, finishReason: extra.finishReason ?? null, ...(extra.error ? { error: extra.error } : {}) });
      call = null;
    };
    try {
      for (const final of [false, true]) {
        const result = streamText({
          model,
          instructions: o.instructions,
          messages: [...o.messages, ...messages],
          tools: o.tools,
          toolChoice: final ? 'none' : 'auto',
          // Only the first step is forced: after the tool the model answers freely.
          prepareStep: !final && o.firstTool && o.tools[o.firstTool] ? ({ stepNumber }) => (stepNumber === 0 ? { toolChoice: { type: 'tool', toolName: o.firstTool! } } : undefined) : undefined,
          temperature: o.temperature,
          stopWhen: final ? isStepCount(1) : [isStepCount(o.maxToolRounds + 1), async () => (o.mayContinue ? !(await o.mayContinue()) : false)],
          // A caller is waiting: move on to the next model at once rather than back off and retry.
          maxRetries: i < o.models.length - 1 ? 0 : 1,
          abortSignal: AbortSignal.any([o.signal, silent.signal]),
          onError: () => {}, // errors arrive as 'error' parts below; the SDK would otherwise log them
          // Parley traces model calls from its own events (telemetry/conversation-trace.ts); the SDK's
          // dispatcher would otherwise copy every call's event on the turn's path for nobody.
          telemetry: { isEnabled: false },
          // Counted per model call, before the SDK decides on another tool round (mayContinue reads it).
          onStepEnd: (step) => o.onUsage?.(modelName(model), step.usage.inputTokens, step.usage.outputTokens),
        });
        for await (const part of result.stream) {
          if (timer && (part.type === 'text-delta' || part.type === 'tool-call')) firstPart();
          if (part.type === 'start-step') {
            const t = performance.now();
            call = { start: t, first: null, last: t };
          } else if (call && (part.type === 'text-delta' || part.type === 'tool-call' || part.type === 'tool-input-start')) {
            call.last = performance.now();
            if (part.type === 'text-delta') call.first ??= call.last;
          } else if (part.type === 'finish-step') {
            if (call && call.last === call.start) call.last = performance.now();
            callOver({ inputTokens: part.usage.inputTokens, outputTokens: part.usage.outputTokens, finishReason: part.finishReason });
          }
          if (part.type === 'text-delta' && part.text) {
            produced = spoke = true;
            yield { type: 'text', text: part.text };
          } else if (part.type === 'tool-call') {
            // Announced before the tool runs, so a voice session can fill a long wait.
            yield { type: 'tool-start', name: part.toolName };
          } else if (part.type === 'tool-result') {
            produced = true;
            yield { type: 'tool', name: part.toolName, input: part.input, output: part.output };
          } else if (part.type === 'tool-error') {
            produced = true;
            // tracedTool catches whatever a tool throws, so an error part means no tool ran.
            o.onToolRejected?.({ id: part.toolCallId, name: part.toolName, input: part.input, error: part.error });
            yield { type: 'tool', name: part.toolName, input: part.input, output: null, error: String(part.error) };
          } else if (part.type === 'error') {
            throw part.error;
          }
        }
        messages.push(...(await result.responseMessages));
        if (spoke || final || (await result.finishReason) !== 'tool-calls') break;
        if (o.mayContinue && !(await o.mayContinue())) break;
      }
      firstPart();
      if (silent.signal.aborted) throw silent.signal.reason;
      return { messages, spoke, failed: false };
    } catch (e) {
      firstPart();
      if (call) (call as { last: number }).last = performance.now();
      callOver({ error: o.signal.aborted ? 'cancelled' : errorTextOf(silent.signal.aborted ? silent.signal.reason : e) });
      if (o.signal.aborted) return { messages, spoke, failed: false };
      o.onModelError(modelName(model), silent.signal.aborted ? silent.signal.reason : e);
      if (produced || i === o.models.length - 1) return { messages: [], spoke, failed: true };
    }
  }
  return { messages: [], spoke: false, failed: true };
}

function errorTextOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `openai:gpt-4.1-mini`: the AI SDK's provider id without its API flavour (`openai.responses`). */
function modelName(model: LanguageModel): string {
  return typeof model === 'string' ? model : `${model.provider.split('.')[0]}:${model.modelId}`;
}
