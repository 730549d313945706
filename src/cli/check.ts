import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadAgent } from '../agent/load.ts';
import { AgentLoadError, formatProblem, type AgentProblem } from '../agent/problems.ts';
import { secretMask } from '../agent/secret-mask.ts';
import { parseYamlSource } from '../agent/yaml-problems.ts';
import { mcpInventory } from '../tools/mcp/inventory.ts';
import { McpPool } from '../tools/mcp/servers.ts';
import { toolsForListing } from '../tools/registry.ts';
import { agentWarnings, missingKeys, runProblems, type MissingKey } from './agent-checks.ts';
import { exitOnAgentError } from './output.ts';

/** What `parley check` found: the problems (pinned to file, line and field), the agent when it loaded, warnings and notes. */
export interface CheckReport {
  ok: boolean;
  problems: AgentProblem[];
  /** `tools`: how many tools the model gets besides MCP ones (built-in and webhooks, as `parley tools` lists them), named in `toolNames`; `mcpServers`: how many MCP servers add theirs. */
  agent?: { file: string; name: string; version: string; tools: number; toolNames: string[]; mcpServers: number; model: string };
  /** Keys the agent needs that this environment lacks: a warning, since they may be set where it runs; `blocksLoading` ones keep the server from loading the agent at all. */
  unsetKeys: MissingKey[];
  /** What would work badly rather than not at all: voice ids, phone listening and tools, the recogniser's language. */
  warnings: string[];
  /** What each MCP server offers (unless offline). */
  mcp: { server: string; reached: boolean; offered?: string[]; allowed?: string[]; note?: string }[];
}

/**
 * Checks an agent folder as `parley check` does. MCP servers are asked what they offer (unless
 * `offline`); an allowed tool a server does not offer is a problem, a server that cannot be
 * reached a note. Problems in the folder are returned, not thrown.
 */
export async function checkAgent(dir: string, o: { offline?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CheckReport> {
  const env = o.env ?? process.env;
  let agent;
  try {
    agent = await loadAgent(dir, { checks: runProblems });
  } catch (e) {
    if (e instanceof AgentLoadError) return { ok: false, problems: e.problems, unsetKeys: [], warnings: [], mcp: [] };
    throw e;
  }
  const toolNames = Object.keys(toolsForListing(agent, { withCalendar: Boolean(agent.config.calendar) }));
  const mcpServers = agent.config.tools.filter((t) => t.type === 'mcp').length;
  const report: CheckReport = {
    ok: true,
    problems: [],
    agent: { file: agent.file, name: agent.name, version: agent.version, tools: toolNames.length, toolNames, mcpServers, model: agent.config.brain.llm },
    unsetKeys: missingKeys(agent.config, env),
    warnings: agentWarnings(agent.config, env),
    mcp: [],
  };
  const servers = agent.config.tools.flatMap((t, i) => (t.type === 'mcp' ? [{ cfg: t, i }] : []));
  if (!servers.length || o.offline) return report;
  const source = parseYamlSource(readFileSync(agent.file, 'utf8'), agent.file);
  const pool = new McpPool();
  const mask = secretMask(agent.config, env);
  const taken = ['search_knowledge', 'end_call', 'save_lead', 'check_availability', 'book_call', 'transfer', 'press_keys', ...agent.config.tools.flatMap((t) => (t.type === 'webhook' ? [t.name] : []))];
  try {
    const found = await mcpInventory(servers.map((s) => s.cfg), pool, taken);
    for (const [k, r] of found.entries()) {
      const { cfg, i } = servers[k]!;
      if (!r.reached) {
        report.mcp.push({ server: r.server, reached: false, note: `could not be asked what it offers: ${mask.text(r.error)}` });
        continue;
      }
      report.mcp.push({ server: r.server, reached: true, offered: r.offered.map((t) => t.name), allowed: r.allowed });
      const problem = (path: (string | number)[], message: string) => report.problems.push(source.problem(path, message));
      for (const name of r.missing) problem(['tools', i, 'allow', cfg.allow.indexOf(name)], `the server "${r.server}" offers no tool "${name}"`);
      for (const name of r.clashes) problem(['tools', i], `the tool name "${name}" is already taken; rename the server (name:)`);
    }
  } finally {
    await pool.close();
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** "5 tools (search_knowledge, …)": the tools the model gets, as `parley tools` lists them, and the MCP servers that add more. */
export function toolSummary(a: NonNullable<CheckReport['agent']>): string {
  const mcp = a.mcpServers ? ` plus the allowed tools of ${a.mcpServers} MCP server${a.mcpServers === 1 ? '' : 's'}` : '';
  return `${a.tools} tool${a.tools === 1 ? '' : 's'} (${a.toolNames.join(', ')})${mcp}`;
}

/** The warnings about unset variables: first those without which the server does not load the agent, then those a feature needs. */
export function unsetKeyLines(keys: MissingKey[]): string[] {
  const list = (ks: MissingKey[]) => ks.map((u) => `${u.name} (${u.neededBy})`).join(', ');
  const blocking = keys.filter((u) => u.blocksLoading);
  const degrading = keys.filter((u) => !u.blocksLoading);
  return [
    ...(blocking.length ? [`warning: the server will not load this agent until ${blocking.length === 1 ? 'this is' : 'these are'} set: ${list(blocking)}`] : []),
    ...(degrading.length ? [`warning: not set in this environment: ${list(degrading)}`] : []),
  ];
}

/** `parley check <agent-dir>`: exit 0 when the agent file is valid (the server still needs the variables it warns about), else every problem as file:line:column field: message. */
export function command(): Command {
  return new Command('check')
    .description('validate an agent folder: its fields, models, speech engines, knowledge sources and tools')
    .argument('<agent-dir>', 'folder holding agent.yaml')
    .option('--offline', 'do not connect to the agent’s MCP servers')
    .action(async (dir: string, opts: { offline?: boolean }) => {
      const report = await checkAgent(dir, { offline: opts.offline });
      if (!report.agent) exitOnAgentError(new AgentLoadError(report.problems));
      const a = report.agent;
      console.log(`ok ${a.file}: agent "${a.name}" (version ${a.version}), ${toolSummary(a)}, model ${a.model}`);
      // Warnings, not failures: keys may be set only where the agent is deployed.
      for (const line of unsetKeyLines(report.unsetKeys)) console.log(line);
      for (const w of report.warnings) console.log(`warning: ${w}`);
      for (const m of report.mcp) {
        if (!m.reached) {
          console.log(`note: MCP server "${m.server}" ${m.note}`);
          continue;
        }
        console.log(`mcp ${m.server}: offers ${m.offered!.length} tools${m.offered!.length ? `: ${m.offered!.join(', ')}` : ''}`);
        console.log(`  allowed: ${m.allowed!.length ? m.allowed!.join(', ') : 'none (add names to allow:)'}`);
      }
      for (const p of report.problems) console.error(formatProblem(p));
      if (!report.ok) process.exitCode = 1;
    });
}
