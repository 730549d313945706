import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { formatProblem } from '../../src/agent/problems.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';

// A refused tool call is asserted by its reason: `result: { error: /…/ }` (the reason is folded
// into the result the scenario matches) or `error: /…/ | true | false` on the call.

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key');
}, {});

const AGENT = `name: biuro
persona: { prompt: Przyjmujesz zgłoszenia., firstMessage: Dzień dobry!, language: pl }
knowledge: { strict: false }
collect:
  - name
  - { field: nip, pattern: "^[0-9]{10}$", patternHint: 10 cyfr }
`;

describe('a refused tool call in a scenario', () => {
  let agent: Agent;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-refused-'));
    writeFileSync(join(dir, 'agent.yaml'), AGENT);
    agent = await loadAgent(dir);
  });

  /** save_lead with a NIP of `nip`, then the scripted reply; `expect` on the caller's turn. */
  const run = async (nip: string, expect: object) => {
    const data = {
      caller: { turns: [{ say: `Mój NIP to ${nip}.`, expect }] },
      model: { script: [{ toolCalls: [{ name: 'save_lead', args: { nip } }] }, { text: 'Proszę podać NIP jeszcze raz.' }] },
    };
    const { scenario, problems } = parseScenario(stringify(data), 'tests/t.yaml', agent);
    assert.deepEqual(problems.map(formatProblem), []);
    return runScenario(scenario!, { agent, models: noModels, env: {} });
  };

  it('a value failing its pattern: result.error matches the reason (the form docs/testing-agents.md gives)', async () => {
    const r = await run('675123456', { toolCalled: { name: 'save_lead', result: { error: '/10 cyfr/' } } });
    assert.deepEqual(r.failures, []);
    // What the model got is unchanged: the refusal under `rejected`, the reason on the call.
    assert.match(String(r.toolCalls[0].error), /nip "675123456" does not match its rule \(10 cyfr/);
    assert.equal((r.toolCalls[0].result as { error?: string }).error, undefined);
  });

  it('error: matches the reason, true any refusal, false none', async () => {
    assert.deepEqual((await run('675123456', { toolCalled: [{ name: 'save_lead', error: '/10 cyfr/' }, { name: 'save_lead', error: true }] })).failures, []);
    const ok = await run('6751234567', { toolCalled: { name: 'save_lead', error: false, result: { saved: { nip: '6751234567' } } } });
    assert.deepEqual(ok.failures, []);
  });

  it('fails, naming the reason, when the refusal is another or there is none', async () => {
    const other = await run('675123456', { toolCalled: { name: 'save_lead', result: { error: '/11 cyfr/' } } });
    assert.deepEqual(other.failures.length, 1);
    assert.match(other.failures[0]!.message, /^save_lead was called, but result\.error: expected \/11 cyfr\/, got "nip \\"675123456\\" does not match its rule \(10 cyfr/);
    const saved = await run('6751234567', { toolCalled: [{ name: 'save_lead', error: true }, { name: 'save_lead', result: { error: '/cyfr/' } }] });
    assert.deepEqual(saved.failures.map((f) => f.message), [
      'save_lead was called, but error: expected the call to be refused or fail, but it succeeded',
      'save_lead was called, but result.error: expected /cyfr/, got nothing',
    ]);
    const refused = await run('675123456', { toolCalled: { name: 'save_lead', error: false } });
    assert.match(refused.failures[0]!.message, /^save_lead was called, but error: expected none, got "nip \\"675123456\\" does not match/);
  });

  it('refuses an error: that is not a pattern or a boolean', () => {
    const { problems } = parseScenario(stringify({ caller: { turns: [{ say: 'x', expect: { toolCalled: { name: 'save_lead', error: 3 } } }] } }), 't.yaml', agent);
    assert.equal(problems.length, 1);
    assert.match(formatProblem(problems[0]!), /t\.yaml:\d+:\d+ caller\.turns\.0\.expect\.toolCalled/);
  });
});
