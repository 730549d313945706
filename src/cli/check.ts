import { Command } from 'commander';
import { loadAgent } from '../agent/load.ts';
import { secretMask } from '../agent/secret-mask.ts';
import { mcpInventory } from '../tools/mcp/inventory.ts';
import { McpPool } from '../tools/mcp/servers.ts';
import { agentWarnings, missingKeys, runProblems } from './agent-checks.ts';
import { exitOnAgentError } from './output.ts';

/**
 * `parley check <agent-dir>`: exit 0 when the agent is valid and would start, else every problem
 * as file:line:column field: message. MCP servers are asked what they offer (unless --offline);
 * an allowed tool a server does not offer is a problem, a server that cannot be reached a note.
 */
export function command(): Command {
  return new Command('check')
    .description('validate an agent folder: its fields, models, speech engines, knowledge sources and tools')
    .argument('<agent-dir>', 'folder holding agent.yaml')
    .option('--offline', 'do not connect to the agent’s MCP servers')
    .action(async (dir: string, opts: { offline?: boolean }) => {
      const agent = await loadAgent(dir, { checks: runProblems }).catch(exitOnAgentError);
      console.log(`ok ${agent.file}: agent "${agent.name}" (version ${agent.version}), ${agent.config.tools.length} tools, model ${agent.config.brain.llm}`);
      const unset = missingKeys(agent.config, process.env);
      if (unset.length) {
        // A warning, not a failure: keys may be set only where the agent is deployed.
        console.log(`warning: not set in this environment: ${unset.map((u) => `${u.name} (${u.neededBy})`).join(', ')}`);
      }
      for (const w of agentWarnings(agent.config, process.env)) console.log(`warning: ${w}`);
      const servers = agent.config.tools.flatMap((t, i) => (t.type === 'mcp' ? [{ cfg: t, i }] : []));
      if (!servers.length || opts.offline) return;
      const pool = new McpPool();
      const mask = secretMask(agent.config, process.env);
      const taken = ['search_knowledge', 'end_call', 'save_lead', 'check_availability', 'book_call', 'transfer', 'press_keys', ...agent.config.tools.flatMap((t) => (t.type === 'webhook' ? [t.name] : []))];
      try {
        const report = await mcpInventory(servers.map((s) => s.cfg), pool, taken);
        for (const [k, r] of report.entries()) {
          const { cfg, i } = servers[k]!;
          if (!r.reached) {
            console.log(`note: MCP server "${r.server}" could not be asked what it offers: ${mask.text(r.error)}`);
            continue;
          }
          console.log(`mcp ${r.server}: offers ${r.offered.length} tools${r.offered.length ? `: ${r.offered.map((t) => t.name).join(', ')}` : ''}`);
          console.log(`  allowed: ${r.allowed.length ? r.allowed.join(', ') : 'none (add names to allow:)'}`);
          for (const name of r.missing) {
            console.error(`${agent.file} tools.${i}.allow.${cfg.allow.indexOf(name)}: the server "${r.server}" offers no tool "${name}"`);
            process.exitCode = 1;
          }
          for (const name of r.clashes) {
            console.error(`${agent.file} tools.${i}: the tool name "${name}" is already taken; rename the server (name:)`);
            process.exitCode = 1;
          }
        }
      } finally {
        await pool.close();
      }
    });
}
