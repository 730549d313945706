import { z } from 'zod';
import { AgentFile, BuiltinTool } from './schema.ts';

/** JSON Schema of agent.yaml, generated from the one zod schema (what a user writes, so defaults are optional). */
export function agentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(AgentFile, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { items?: unknown }> };
  // `tools: [end_call, save_lead]`: the loader reads a bare name as `{ type: name }` (a zod
  // preprocess, which JSON Schema cannot express), so the names are allowed here explicitly.
  const tools = schema.properties.tools;
  if (tools?.items) tools.items = { anyOf: [{ type: 'string', enum: BuiltinTool.shape.type.options, description: 'A built-in tool by name.' }, tools.items] };
  return {
    ...schema,
    $id: 'https://parley.dev/schema/agent.json',
    title: 'Parley agent (agent.yaml)',
  };
}
