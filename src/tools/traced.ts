import { asSchema, tool, type FlexibleSchema, type Schema, type Tool, type ToolExecutionOptions } from 'ai';
import type { ToolContext, ToolOutcome } from './context.ts';
import { errorText } from '../util/error-text.ts';
import { secretMask, type SecretMask } from '../agent/secret-mask.ts';

/** A tool as Parley defines it: a name, what it is for, its input schema, and how to run it. */
export interface ToolSpec<I> {
  name: string;
  description: string;
  inputSchema: FlexibleSchema<I>;
  run(input: I, signal: AbortSignal, callId: string): Promise<ToolOutcome>;
}

/**
 * Wraps a tool so every call is recorded with its input, request, raw response, result,
 * duration and error — the three places a wrong answer can come from, side by side.
 * A tool that throws is recorded and the model is told it failed, so it can apologise aloud.
 * Every secret is masked here, the one door all tool output passes: what is recorded and what
 * the model reads hold `${NAME}`, never a value an endpoint echoed back.
 */
export function tracedTool<I>(ctx: ToolContext, spec: ToolSpec<I>): Tool {
  return tool<I, unknown, {}>({
    description: spec.description,
    inputSchema: inputSchemaOf(spec),
    execute: async (input: I, options: ToolExecutionOptions<{}>) => {
      const started = ctx.now();
      const signal = options.abortSignal ?? new AbortController().signal;
      let outcome: ToolOutcome;
      try {
        outcome = await spec.run(input, signal, options.toolCallId);
      } catch (e) {
        const message = errorText(e);
        outcome = { result: { error: `${spec.name} failed: ${message}. Apologise briefly and offer another way forward.` }, error: message };
      }
      const at = ctx.now();
      const mask = secretMaskOf(ctx);
      outcome = mask.value(outcome);
      ctx.emit({
        type: 'tool.call',
        at: at.toISOString(),
        call: {
          id: options.toolCallId,
          turnSeq: ctx.turnSeq(),
          name: spec.name,
          input: mask.value(input),
          request: outcome.request,
          response: outcome.response,
          result: outcome.result,
          error: outcome.error ?? null,
          startedAt: started.toISOString(),
          durationMs: at.getTime() - started.getTime(),
        },
      });
      return outcome.result;
    },
  }) as Tool;
}

/** Schemas the SDK was handed, as it uses them: converted to JSON Schema once, not on every model call. */
const converted = new WeakMap<object, Schema<unknown>>();

/**
 * The SDK turns a zod schema into JSON Schema afresh each time it is handed one (a few hundred
 * microseconds per turn, before the model is asked); handed the same converted schema, it reuses
 * it. Tools build their schemas once (per module, or per agent: see perAgent), so this is a hit.
 */
function inputSchemaOf<I>(spec: ToolSpec<I>): FlexibleSchema<I> {
  const given = spec.inputSchema as object;
  let schema = converted.get(given);
  if (!schema) converted.set(given, (schema = asSchema(spec.inputSchema) as Schema<unknown>));
  return schema as Schema<I>;
}

const masks = new WeakMap<ToolContext, SecretMask>();

/** The secret mask of a tool context, one per context (one agent turn): the secrets do not change within it. */
export function secretMaskOf(ctx: ToolContext): SecretMask {
  let mask = masks.get(ctx);
  if (!mask) masks.set(ctx, (mask = secretMask(ctx.agent.config, ctx.env)));
  return mask;
}
