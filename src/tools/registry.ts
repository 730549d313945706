import type { ToolSet } from 'ai';
import { bookCallTool, checkAvailabilityTool } from './booking.ts';
import type { ToolContext } from './context.ts';
import { endCallTool } from './end-call.ts';
import { searchKnowledgeTool } from './knowledge-search.ts';
import { saveLeadTool } from './lead.ts';
import { tracedTool, type ToolSpec } from './traced.ts';
import { webhookTool } from './webhook.ts';

/**
 * The tools the model sees in a conversation: search_knowledge and end_call always,
 * save_lead when the agent collects fields, check_availability and book_call when it has a
 * calendar, and every webhook declared in agent.yaml.
 */
export function agentTools(ctx: ToolContext): ToolSet {
  const { config, collect } = ctx.agent;
  const specs: ToolSpec<any>[] = [searchKnowledgeTool(ctx), endCallTool(ctx)];
  const declared = new Set(config.tools.map((t) => t.type));
  if (collect.length || declared.has('save_lead')) specs.push(saveLeadTool(ctx));
  if (ctx.calendar) specs.push(checkAvailabilityTool(ctx, ctx.calendar), bookCallTool(ctx, ctx.calendar));
  for (const t of config.tools) if (t.type === 'webhook') specs.push(webhookTool(ctx, t));
  return Object.fromEntries(specs.map((s) => [s.name, tracedTool(ctx, s)]));
}
