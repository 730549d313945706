import { Command } from 'commander';
import { loadAgent } from '../agent/load.ts';
import { missingKeys, runProblems } from './agent-checks.ts';
import { exitOnAgentError } from './output.ts';

/** `parley check <agent-dir>`: exit 0 when the agent is valid and would start, else every problem as file:line:column field: message. */
export function command(): Command {
  return new Command('check')
    .description('validate an agent folder: its fields, models, speech engines, knowledge sources and tools')
    .argument('<agent-dir>', 'folder holding agent.yaml')
    .action(async (dir: string) => {
      const agent = await loadAgent(dir, { checks: runProblems }).catch(exitOnAgentError);
      console.log(`ok ${agent.file}: agent "${agent.name}" (version ${agent.version}), ${agent.config.tools.length} tools, model ${agent.config.brain.llm}`);
      const unset = missingKeys(agent.config, process.env);
      if (unset.length) {
        // A warning, not a failure: keys may be set only where the agent is deployed.
        console.log(`warning: not set in this environment: ${unset.map((u) => `${u.name} (${u.neededBy})`).join(', ')}`);
      }
    });
}
