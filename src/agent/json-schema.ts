import { z } from 'zod';
import { AgentFile } from './schema.ts';

/** JSON Schema of agent.yaml, generated from the one zod schema (what a user writes, so defaults are optional). */
export function agentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(AgentFile, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://parley.dev/schema/agent.json',
    title: 'Parley agent (agent.yaml)',
  };
}
