import type { ToolSet } from 'ai';
import { bookCallTool, checkAvailabilityTool } from './booking.ts';
import type { Agent } from '../agent/load.ts';
import type { CalendarProvider } from './calendar/types.ts';
import type { ToolContext } from './context.ts';
import { endCallTool } from './end-call.ts';
import { searchKnowledgeTool } from './knowledge-search.ts';
import { saveLeadTool } from './lead.ts';
import { mcpPool } from './mcp/servers.ts';
import { mcpToolSpecs } from './mcp/tools.ts';
import { tracedTool, type ToolSpec } from './traced.ts';
import { webhookTool } from './webhook.ts';
import { transferTool } from './transfer.ts';
import { pressKeysTool } from './press-keys.ts';
import { errorText } from '../util/error-text.ts';

/**
 * The tools the model sees in a conversation: search_knowledge and end_call always,
 * save_lead when the agent collects fields, check_availability and book_call when it has a
 * calendar, every webhook declared in agent.yaml, and the allowed tools of its MCP servers
 * (listed beforehand by `mcpTools`).
 */
export function agentTools(ctx: ToolContext, mcp: ToolSpec<any>[] = []): ToolSet {
  const specs = ownTools(ctx);
  const taken = new Set(specs.map((s) => s.name));
  for (const s of mcp) if (!taken.has(s.name)) specs.push(s);
  return Object.fromEntries(specs.map((s) => [s.name, tracedTool(ctx, s)]));
}

/** A server whose tools could not be offered this turn, and why. */
export interface McpProblem {
  server: string;
  message: string;
}

/**
 * The allowed tools of every MCP server the agent declares, all servers asked at once. A server
 * that cannot be reached within its connect timeout is left out of this turn (the conversation
 * goes on without it), and so is a tool whose name another tool already has.
 */
export async function mcpTools(ctx: ToolContext, signal: AbortSignal): Promise<{ specs: ToolSpec<Record<string, unknown>>[]; problems: McpProblem[] }> {
  const servers = ctx.agent.config.tools.flatMap((t) => (t.type === 'mcp' ? [t] : []));
  if (!servers.length) return { specs: [], problems: [] };
  const source = ctx.mcp ?? mcpPool();
  const taken = new Set(ownTools(ctx).map((s) => s.name));
  const problems: McpProblem[] = [];
  const specs: ToolSpec<Record<string, unknown>>[] = [];
  const listed = await Promise.all(servers.map((cfg) => source.tools(cfg, signal).then((offered) => ({ cfg, offered }), (e: unknown) => ({ cfg, error: errorText(e) }))));
  for (const l of listed) {
    if ('error' in l) {
      problems.push({ server: l.cfg.name, message: l.error });
      continue;
    }
    for (const spec of mcpToolSpecs(ctx, source, l.cfg, l.offered)) {
      if (taken.has(spec.name)) problems.push({ server: l.cfg.name, message: `tool "${spec.name}" is left out: another tool has that name` });
      else specs.push(spec), taken.add(spec.name);
    }
  }
  return { specs, problems };
}

function ownTools(ctx: ToolContext): ToolSpec<any>[] {
  const { config, collect } = ctx.agent;
  const specs: ToolSpec<any>[] = [searchKnowledgeTool(ctx), endCallTool(ctx)];
  const declared = new Set(config.tools.map((t) => t.type));
  if (collect.length || declared.has('save_lead')) specs.push(saveLeadTool(ctx));
  if (ctx.calendar) specs.push(checkAvailabilityTool(ctx, ctx.calendar), bookCallTool(ctx, ctx.calendar));
  for (const t of config.tools) {
    if (t.type === 'webhook') specs.push(webhookTool(ctx, t));
    else if (t.type === 'transfer') specs.push(transferTool(ctx, t));
    else if (t.type === 'press_keys') specs.push(pressKeysTool(ctx, t.description));
  }
  return specs;
}

/**
 * The agent's own tools (built-in and webhooks, not MCP) as the model would see them, for listing
 * them — `parley tools`, the scenario checks — with a context whose calls are never made.
 */
export function toolsForListing(agent: Agent, o: { withCalendar: boolean }): ToolSet {
  const unused = () => {
    throw new Error('not called while listing tools');
  };
  const calendar: CalendarProvider | undefined = o.withCalendar ? { id: 'listing', availability: unused, book: unused } : undefined;
  return agentTools({
    agent,
    conversationId: 'listing',
    turnSeq: () => 0,
    emit: () => {},
    lead: {},
    requestEnd: () => {},
    searchKnowledge: async () => [],
    transcript: () => [],
    calendar,
    booking: { offered: [], bookings: [] },
    fetch,
    env: {},
    now: () => new Date(),
  });
}
