import { Command } from 'commander';
import { loadAgent } from '../agent/load.ts';
import { secretRefs } from '../agent/secrets.ts';
import { exitOnAgentError } from './output.ts';

/** `parley check <agent-dir>`: exit 0 when the agent is valid, else every problem as file:line:column field: message. */
export function command(): Command {
  return new Command('check')
    .description('validate an agent folder')
    .argument('<agent-dir>', 'folder holding agent.yaml')
    .action(async (dir: string) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      const unset = [...new Set(secretRefs(JSON.stringify(agent.config)))].filter((n) => !process.env[n]);
      console.log(`ok ${agent.file}: agent "${agent.name}" (version ${agent.version}), ${agent.config.tools.length} tools, model ${agent.config.brain.llm}`);
      if (unset.length) console.log(`note: not set in this environment (needed only by the features that use them): ${unset.join(', ')}`);
    });
}
