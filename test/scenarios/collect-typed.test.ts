// Scenarios assert collected values in their typed, normalised form: a phone said as a UK
// national number is expected as E.164, a choice as its option.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { knowledgeSpec } from '../../src/cli/runtime.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { indexKnowledge, type KnowledgeTemplate } from '../../src/scenarios/knowledge.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key');
}, {});

describe('expect.collected with typed fields', () => {
  let dir: string;
  let agent: Agent;
  let knowledge: KnowledgeTemplate;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-collect-scenario-'));
    writeFileSync(
      join(dir, 'agent.yaml'),
      stringify({
        persona: { prompt: 'You take details for a physio clinic.', firstMessage: 'Hello, how can I help?', language: 'en-GB' },
        timeZone: 'Europe/London',
        collect: ['name', 'phone', { field: 'visit', type: 'choice', options: ['in person', 'video'] }],
        tools: ['end_call', 'save_lead'],
      }),
    );
    agent = await loadAgent(dir);
    knowledge = await indexKnowledge(agent, knowledgeSpec(agent).sources);
  });
  after(() => {
    knowledge.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (expect: object, args: Record<string, string>) => {
    const { scenario, problems } = parseScenario(
      stringify({
        caller: { turns: [{ say: 'It is oh seven nine one one, one two three, four five six. By video please.' }] },
        model: { script: [{ toolCalls: [{ name: 'save_lead', args }] }, { text: 'Thanks, I have your number.' }] },
        expect,
      }),
      'tests/phone.yaml',
      agent,
    );
    assert.deepEqual(problems, []);
    return runScenario(scenario!, { agent, knowledge, models: noModels, env: {} });
  };

  it('passes on the E.164 form of a national number and the option as written', async () => {
    const r = await run({ collected: { phone: '+447911123456', visit: 'video' } }, { phone: 'oh seven nine one one, one two three, four five six', visit: 'Video' });
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.lead, { phone: '+447911123456', visit: 'video' });
  });

  it('fails, naming the value, when the number was not what the caller said', async () => {
    const r = await run({ collected: { phone: '+447911123456' } }, { phone: '07912 345678' });
    assert.equal(r.failures.length, 1);
    assert.match(r.failures[0].message, /\+447912345678/);
  });

  it('fails when the model saved a number that is no number: nothing is collected', async () => {
    const r = await run({ collected: { phone: '+447911123456' } }, { phone: '0791 123' });
    assert.match(r.failures[0].message, /nothing was collected/);
    assert.match(String(r.toolCalls[0].error), /has 7 digits/);
  });
});
