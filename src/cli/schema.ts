import { Command } from 'commander';
import { agentJsonSchema } from '../agent/json-schema.ts';

/** `parley schema`: the JSON Schema of agent.yaml, for editors and coding agents. */
export function command(): Command {
  return new Command('schema').description('print the JSON Schema of agent.yaml').action(() => {
    console.log(JSON.stringify(agentJsonSchema(), null, 2));
  });
}
