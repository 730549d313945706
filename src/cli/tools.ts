import { asSchema, type ToolSet } from 'ai';
import { Command } from 'commander';
import { loadAgent } from '../agent/load.ts';
import type { AgentFileData } from '../agent/schema.ts';
import { toolsForListing } from '../tools/registry.ts';
import { bold, dim, exitOnAgentError } from './output.ts';

// `parley tools <dir>`: the tools the model gets in a conversation with this agent — names,
// descriptions and argument schemas exactly as sent to the model, read from the code, so a coding
// agent never has to guess them. What each returns is in docs/tools.md.

/** One tool as the model sees it. */
export interface ToolView {
  name: string;
  description: string;
  parameters: unknown;
}

/** Tools as the model sees them: name, description and argument schema. */
export async function toolViews(tools: ToolSet): Promise<ToolView[]> {
  const out: ToolView[] = [];
  for (const [name, t] of Object.entries(tools)) {
    const { $schema: _, ...parameters } = (await asSchema(t.inputSchema as never).jsonSchema) as Record<string, unknown>;
    out.push({ name, description: typeof t.description === 'string' ? t.description : '', parameters });
  }
  return out;
}

export function command(): Command {
  return new Command('tools')
    .description('list the tools the model gets for an agent: names, descriptions and argument schemas (results: docs/tools.md)')
    .argument('<agent-dir>')
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      const tools = toolsForListing(agent, { withCalendar: Boolean(agent.config.calendar) });
      const views = await toolViews(tools);
      const reach = networkOf(agent.config);
      if (o.json) return console.log(JSON.stringify(views.map((v) => (reach.tools[v.name] ? { ...v, network: reach.tools[v.name] } : v)), null, 2));
      for (const v of views) {
        console.log(bold(v.name));
        console.log(`  ${v.description}`);
        const net = reach.tools[v.name];
        if (net) console.log(dim(`  reaches ${net.url}; private addresses: ${describePrivate(net.privateAddresses)}`));
        const props = (v.parameters as { properties?: Record<string, { type?: string; description?: string }>; required?: string[] }).properties ?? {};
        const required = new Set((v.parameters as { required?: string[] }).required ?? []);
        for (const [p, s] of Object.entries(props)) console.log(`  ${p}${required.has(p) ? '' : '?'}: ${s.type ?? 'any'}${s.description ? dim(`  ${s.description}`) : ''}`);
      }
      console.log(dim(`\nprivate addresses (loopback, private, link-local): knowledge URLs ${describePrivate(reach.knowledge)}; event webhooks ${describePrivate(reach.events)}`));
    });
}

/** Which private addresses a fetch may reach: every host, none, or only the hosts listed (`allowPrivateUrls`). */
export type PrivateReach = 'any' | 'none' | string[];

const reachOf = (allow: boolean | string[]): PrivateReach => (allow === true ? 'any' : allow === false ? 'none' : allow);

/**
 * Where each webhook tool may reach, and what knowledge URLs and event webhooks may: the network
 * rule an owner set (`allowPrivateUrls`), shown without a key, since scenario stubs answer before it applies.
 */
export function networkOf(config: AgentFileData): { tools: Record<string, { url: string; privateAddresses: PrivateReach }>; knowledge: PrivateReach; events: PrivateReach } {
  const tools: Record<string, { url: string; privateAddresses: PrivateReach }> = {};
  for (const t of config.tools) if (t.type === 'webhook') tools[t.name] = { url: t.url, privateAddresses: reachOf(t.allowPrivateUrls) };
  return { tools, knowledge: reachOf(config.knowledge.allowPrivateUrls), events: reachOf(config.events.allowPrivateUrls) };
}

function describePrivate(r: PrivateReach): string {
  return r === 'any' ? 'any host' : r === 'none' ? 'none (public addresses only)' : `only ${r.join(', ')}`;
}
