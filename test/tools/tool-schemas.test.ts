import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asSchema } from 'ai';
import { collectSpec } from '../../src/agent/collect.ts';
import type { Agent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { agentTools } from '../../src/tools/registry.ts';
import type { CalendarProvider } from '../../src/tools/calendar/types.ts';
import { toolContext } from '../helpers/tool-context.ts';

// The SDK converts a tool's zod schema to JSON Schema each time it is handed one; tools hand it
// the same converted schema turn after turn, so the conversion happens once per agent.

const calendar: CalendarProvider = { availability: async () => [], book: async () => ({ id: 'b', start: '', end: '' }) } as unknown as CalendarProvider;

function agentWith(fields: string[]): Agent {
  const config = AgentFile.parse({
    persona: { prompt: 'p', firstMessage: 'Hi.' },
    tools: [{ type: 'transfer', number: '+14155550123' }],
  });
  return { name: 'a', dir: '.', file: 'agent.yaml', config, prompt: 'p', collect: fields.map((f) => collectSpec(f, 'UTC')), version: 'v' };
}

const turn = (agent: Agent) => agentTools(toolContext({ agent, calendar }).ctx);

describe('tool input schemas', () => {
  it('are the same converted schema on every turn of one agent', () => {
    const agent = agentWith(['name', 'email']);
    const first = turn(agent);
    const second = turn(agent);
    assert.deepEqual(Object.keys(first).sort(), ['book_call', 'check_availability', 'end_call', 'save_lead', 'search_knowledge', 'transfer']);
    for (const name of Object.keys(first)) assert.equal(second[name]!.inputSchema, first[name]!.inputSchema, name);
  });

  it('follow each agent file: a reloaded agent with other fields gets its own', async () => {
    const before = asSchema(turn(agentWith(['name', 'email'])).save_lead!.inputSchema);
    const after = asSchema(turn(agentWith(['name', 'phone'])).save_lead!.inputSchema);
    assert.deepEqual(Object.keys((await before.jsonSchema).properties ?? {}), ['name', 'email']);
    assert.deepEqual(Object.keys((await after.jsonSchema).properties ?? {}), ['name', 'phone']);
  });

  it('still validate what the model sends', async () => {
    const search = asSchema(turn(agentWith([])).search_knowledge!.inputSchema);
    assert.equal((await search.validate!({ query: 'x' })).success, false);
    assert.equal((await search.validate!({ query: 'opening hours' })).success, true);
  });
});
