import { z } from 'zod';
import type { ToolContext } from './context.ts';
import type { ToolSpec } from './traced.ts';

const END_INPUT = z.object({ reason: z.string().max(200).optional().describe('Why the conversation ends, in a few words.') });

/** end_call: the agent hangs up after its goodbye has been spoken. */
export function endCallTool(ctx: ToolContext): ToolSpec<{ reason?: string }> {
  return {
    name: 'end_call',
    description: 'End the conversation after your goodbye. Use when the caller is done, says goodbye, or asks to stop.',
    inputSchema: END_INPUT,
    run: async ({ reason }) => {
      ctx.requestEnd(); // the model's reason stays in the recorded tool call
      return { result: { ok: true, note: 'The conversation ends after your current reply. Keep the goodbye short.' } };
    },
  };
}
