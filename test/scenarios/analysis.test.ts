import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Analysis } from '../../src/agent/schema.ts';
import { knowledgeSpec } from '../../src/cli/runtime.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { indexKnowledge, type KnowledgeTemplate } from '../../src/scenarios/knowledge.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// `expect.analysis` in a scenario: the recorded conversation is analysed as the server would
// analyse it, answered by the scenario's `model.analysis`, and the summary, data and criteria
// verdicts are checked, each failure pinned to its line.

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key for openai:gpt-4.1-mini: set OPENAI_API_KEY');
}, {});

const ANSWER = { summary: 'Jo asked to book an intro call about slow onboarding.', data: { intent: 'booking', team_size: 12 }, criteria: [{ criterion: 'booked a call', pass: true, reason: 'A call was booked.' }] };

describe('scenarios: expect.analysis', () => {
  let agent: Agent;
  let plain: Agent;
  let knowledge: KnowledgeTemplate;
  before(async () => {
    plain = await loadAgent(EXAMPLE);
    agent = { ...plain, config: { ...plain.config, analysis: Analysis.parse({ data: [{ field: 'intent', type: 'enum', values: ['booking', 'question'], description: 'What they wanted', required: true }, { field: 'team_size', type: 'number', description: 'Team size' }], criteria: ['booked a call'] }) } };
    knowledge = await indexKnowledge(plain, knowledgeSpec(plain).sources);
  });
  after(() => knowledge.store.close());

  const run = (yaml: string[], a = agent) => {
    const { scenario, problems } = parseScenario(yaml.join('\n'), 'tests/a.yaml', a);
    assert.deepEqual(problems, []);
    return runScenario(scenario!, { agent: a, knowledge, models: noModels, env: {} });
  };
  const base = (analysis: unknown, expect: string[]) => [
    'caller:',
    '  turns:',
    '    - say: Can we book an intro call? We are twelve people.',
    'model:',
    '  script:',
    '    - text: Of course, let me find a time.',
    `  analysis: ${JSON.stringify(analysis)}`,
    'expect:',
    '  analysis:',
    ...expect,
  ];

  it('passes when the summary, data and verdicts match', async () => {
    const r = await run(base(ANSWER, ['    summary: /intro call/', '    data: { intent: booking, team_size: 12 }', '    criteria: { "booked a call": pass }']));
    assert.deepEqual(r.failures, []);
    assert.equal(r.status, 'passed');
  });

  it('reports each field and verdict that differs, at its line', async () => {
    const r = await run(base({ ...ANSWER, data: { intent: 'question', team_size: 8 }, criteria: [{ criterion: 'booked a call', pass: false, reason: 'Nothing was booked.' }] }, ['    data: { intent: booking, team_size: 12 }', '    criteria: { "booked a call": pass }']));
    assert.deepEqual(
      r.failures.map((f) => [f.field, f.line, f.message]),
      [
        ['expect.analysis.data.intent', 10, 'intent: expected "booking", got "question"'],
        ['expect.analysis.data.team_size', 10, 'team_size: expected 12, got 8'],
        ['expect.analysis.criteria.booked a call', 11, 'judged fail, expected pass: Nothing was booked.'],
      ],
    );
  });

  it('fails when the analysis model never gives a valid answer (asked twice)', async () => {
    const r = await run(base('I think they wanted a call.', ['    data: { intent: booking }']));
    assert.equal(r.status, 'failed');
    assert.match(r.failures[0]!.message, /^the analysis was failed \(invalid answer from the model \(asked twice\): not a JSON object/);
  });

  it('says the agent has no analysis block, and notes (without failing) when no model can run it', async () => {
    const without = await run(base(ANSWER, ['    data: { intent: booking }']), plain);
    assert.deepEqual(without.failures.map((f) => f.message), ['the agent declares no analysis block in agent.yaml, so there is nothing to check']);
    const { scenario } = parseScenario(['caller:', '  turns:', '    - say: Hi', 'model:', '  script:', '    - text: Hello.', 'expect:', '  analysis: { data: { intent: booking } }'].join('\n'), 'tests/b.yaml', agent);
    const r = await runScenario(scenario!, { agent, knowledge, models: noModels, env: {} });
    assert.equal(r.status, 'passed');
    assert.ok(r.notes.some((n) => /^analysis not checked \(no model: no API key/.test(n)), r.notes.join('\n'));
  });
});
