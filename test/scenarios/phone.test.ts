import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { formatProblem } from '../../src/agent/problems.ts';
import { ModelConfigError, resolveModel } from '../../src/llm/model.ts';
import { scenarioFromRecord, scenarioYaml } from '../../src/scenarios/from-record.ts';
import { parseScenario, type Scenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import { ScriptedPhoneLine } from '../../src/scenarios/scripted-phone-line.ts';
import { startFakeOpenAI } from '../../src/testing/openai.ts';

// door: phone — a scenario run as a phone call: transfer answers from stubs.transfer on a scripted
// line (outside hours from the scenario's clock), and caller turns can press keys.

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key');
}, {});

const AGENT = `name: front-desk
timeZone: Europe/Warsaw
persona: { prompt: You answer the phone for a plumber., firstMessage: Hello! }
knowledge: { strict: false }
tools:
  - type: transfer
    key: "0"
    destinations:
      - { number: "+48221234567", label: office, hours: { mon: ["09:00-17:00"], tue: ["09:00-17:00"] } }
`;

describe('scenarios as a phone call', () => {
  let agent: Agent;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-phone-'));
    writeFileSync(join(dir, 'agent.yaml'), AGENT);
    agent = await loadAgent(dir);
  });

  const problems = (data: object) => parseScenario(stringify(data), 't.yaml', agent).problems.map(formatProblem);
  const scenario = (data: object): Scenario => {
    const { scenario, problems } = parseScenario(stringify(data), 'tests/t.yaml', agent);
    assert.deepEqual(problems.map(formatProblem), []);
    return scenario!;
  };
  const run = (s: Scenario, models = noModels) => runScenario(s, { agent, models, env: {} });
  const handOff = (transfer: string | undefined, now = '2026-11-30 10:00') => ({
    door: 'phone',
    caller: { turns: [{ say: 'Can I speak to someone in the office?' }] },
    model: {
      script: [
        { toolCalls: [{ name: 'transfer', args: { summary: 'Caller wants the office.' } }] },
        { text: 'Nobody could take your call. Shall I take a message so they call you back?' },
      ],
    },
    stubs: { now, ...(transfer ? { transfer } : {}) },
  });

  it('answers transfer from stubs.transfer; after no answer the agent offers a message', async () => {
    const r = await run(scenario({ ...handOff('no answer'), expect: { toolCalled: [{ name: 'transfer', result: { outcome: 'no answer', transferred: false } }], says: 'message', endedByAgent: false } }));
    assert.deepEqual(r.failures, []);
    assert.match(String((r.toolCalls[0].result as { note: string }).note), /offer to take a message/);
  });

  it('connected: the agent leaves the call (transferred) and its model is not asked again', async () => {
    const data = handOff('connected');
    // Exactly one step: the transfer call. A second model request would fail as past the script.
    const r = await run(scenario({ ...data, model: { script: [data.model.script[0]] }, expect: { toolCalled: [{ name: 'transfer', result: { outcome: 'connected', transferred: true } }] } }));
    assert.deepEqual(r.failures, []);
    assert.equal(r.endReason, 'transferred');
    const agentTurns = r.transcript.filter((t) => t.role === 'agent');
    assert.equal(agentTurns.at(-1)!.text, '', 'nothing is said after the hand-off (no "having trouble" line)');
  });

  it('connected with a turn still scripted: that turn fails as never said', async () => {
    const data = handOff('connected');
    const r = await run(scenario({ ...data, caller: { turns: [...data.caller.turns, { say: 'Hello?' }] }, model: { script: [data.model.script[0]] } }));
    assert.deepEqual(r.failures.map((f) => f.message), ['the conversation ended (transferred) after turn 1; 1 scripted caller turn(s) were never said']);
  });

  it('cold: connected ends the turn too, with no further model step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-phone-cold-'));
    writeFileSync(join(dir, 'agent.yaml'), AGENT.replace('    key: "0"\n', '    key: "0"\n    mode: cold\n'));
    const cold = await loadAgent(dir);
    assert.equal(cold.config.tools.find((t) => t.type === 'transfer')?.mode, 'cold');
    const data = handOff('connected');
    const { scenario: s } = parseScenario(stringify({ ...data, model: { script: [data.model.script[0]] } }), 'tests/t.yaml', cold);
    const r = await runScenario(s!, { agent: cold, models: noModels, env: {} });
    assert.deepEqual(r.failures, []);
    assert.equal(r.endReason, 'transferred');
    assert.equal((r.toolCalls[0].result as { mode: string }).mode, 'cold');
    assert.deepEqual(r.toolCalls[0].request, { number: '+48221234567', mode: 'cold' }, 'a cold hand-off tells the person nothing');
  });

  it('warm: the brief the person heard is the request, asserted with toolCalled.request', async () => {
    const data = handOff('connected');
    const brief = '/with a caller for office\\. Caller wants the office\\. Connecting you now/';
    const r = await run(scenario({ ...data, model: { script: [data.model.script[0]] }, expect: { toolCalled: [{ name: 'transfer', request: { number: '+48221234567', mode: 'warm', brief } }] } }));
    assert.deepEqual(r.failures, []);
    assert.equal((r.toolCalls[0].request as { brief: string }).brief, 'Hello, this is the assistant of front desk, with a caller for office. Caller wants the office. Connecting you now.');
    const wrong = await run(scenario({ ...data, model: { script: [data.model.script[0]] }, expect: { toolCalled: [{ name: 'transfer', request: { brief: '/Jan Kowalski/' } }] } }));
    assert.match(wrong.failures[0]!.message, /^transfer was called, but request\.brief: expected \/Jan Kowalski\/, got "Hello, this is the assistant of front desk/);
  });

  it('no answer still records what was dialled; outside hours dials nothing and has no request', async () => {
    const missed = await run(scenario({ ...handOff('no answer'), expect: { toolCalled: [{ name: 'transfer', request: { mode: 'warm', brief: 'Caller wants the office' }, result: { outcome: 'no answer' } }] } }));
    assert.deepEqual(missed.failures, []);
    const closed = await run(scenario({ ...handOff(undefined, '2026-12-05 10:00'), expect: { toolCalled: [{ name: 'transfer', request: { brief: 'office' } }] } }));
    assert.deepEqual(closed.failures.map((f) => f.message), ['transfer was called, but request: expected an object, got nothing']);
  });

  it('outside the destination hours by the scenario clock, nothing is dialled', async () => {
    const r = await run(scenario({ ...handOff(undefined, '2026-12-05 10:00'), expect: { toolCalled: [{ name: 'transfer', result: { outcome: 'outside hours' } }] } }));
    assert.deepEqual(r.failures, []);
  });

  it('fails with the outcome the tool got when the scenario expected another', async () => {
    const r = await run(scenario({ ...handOff('busy'), expect: { toolCalled: [{ name: 'transfer', result: { outcome: 'connected' } }] } }));
    assert.deepEqual(r.failures.map((f) => [f.field, f.message]), [['expect.toolCalled.0', 'transfer was called, but result.outcome: expected "connected", got "busy"']]);
  });

  it('a text scenario still answers "not on a phone call"', async () => {
    const { door: _door, stubs, ...text } = handOff(undefined);
    const r = await run(scenario({ ...text, stubs: { now: stubs.now }, expect: { toolCalled: [{ name: 'transfer', result: { outcome: 'not on a phone call' } }] } }));
    assert.deepEqual(r.failures, []);
  });

  it('keys: the turn the keypad makes, and the transfer key forces the transfer tool', async () => {
    const fake = await startFakeOpenAI({ steps: [{ text: 'You pressed one; the opening hours are nine to five.' }, { toolCalls: [{ name: 'transfer', args: { summary: 'Pressed 0.' } }] }, { text: 'Nobody answered; may I take a message?' }] });
    after(() => fake.close());
    const models = scenarioModels(async () => [resolveModel({ spec: 'openai-compatible:fake', baseURL: fake.url, apiKey: 'x' }, {})], {});
    const s = scenario({
      door: 'phone',
      caller: { turns: [{ keys: '1', expect: { heard: '(the caller pressed 1)' } }, { keys: '0', expect: { heard: 'the key for a person', toolCalled: 'transfer' } }] },
      stubs: { now: '2026-11-30 10:00', transfer: 'no answer' },
    });
    const r = await run(s, models);
    assert.deepEqual(r.failures, []);
    assert.equal(fake.requests.length, 3);
    assert.equal(fake.requests[0].tool_choice, 'auto', 'a plain key is an ordinary turn');
    assert.deepEqual(fake.requests[1].tool_choice, { type: 'function', function: { name: 'transfer' } }, 'the transfer key forces the tool');
    assert.equal(fake.requests[2].tool_choice, 'auto', 'only the first step is forced');
  });

  it('refuses keys and stubs.transfer off the phone, and bad keys or outcomes', () => {
    assert.deepEqual(problems({ caller: { turns: [{ keys: '0' }] }, stubs: { transfer: 'busy' } }), [
      't.yaml:3:7 caller.turns.0.keys: keys are pressed on a phone call: add `door: phone` to the scenario',
      't.yaml:5:3 stubs.transfer: a hand-off happens on a phone call: add `door: phone` to the scenario',
    ]);
    assert.deepEqual(problems({ door: 'phone', modes: ['voice'], caller: { turns: [{ keys: '0' }] } }), ['t.yaml:6:7 caller.turns.0.keys: keys are pressed in text mode only: use `modes: [text]` for this scenario']);
    const bad = problems({ door: 'phone', caller: { turns: [{ keys: 'x' }, { say: 'hi', keys: '1' }] }, stubs: { transfer: 'outside hours' } });
    assert.equal(bad.length, 3, bad.join('\n'));
    assert.match(bad[0], /caller\.turns\.0\.keys: keys: 0-9 \* # A-D/);
    assert.match(bad[1], /caller\.turns\.1: a caller turn has either say or keys/);
    assert.match(bad[2], /stubs\.transfer/);
  });

  it('the scripted line answers in order, the last outcome repeating, and records what was asked', async () => {
    const line = new ScriptedPhoneLine(['busy', 'connected']);
    const req = { number: '+48221234567', mode: 'warm' as const, brief: 'b', holdMessage: 'h', timeoutSec: 30 };
    const signal = new AbortController().signal;
    assert.deepEqual(await Promise.all([line.transfer(req, signal), line.transfer(req, signal), line.transfer(req, signal)]).then((r) => r.map((x) => x.outcome)), ['busy', 'connected', 'connected']);
    await line.pressKeys('12#', signal);
    assert.deepEqual([line.transfers.length, line.pressed], [3, ['12#']]);
    const aborted = AbortSignal.abort();
    await assert.rejects(line.transfer(req, aborted));
  });
});

describe('a recorded phone call as a scenario', () => {
  it('runs as a phone call: keypad turns become keys, hand-offs end as they did', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-phone-rec-'));
    writeFileSync(join(dir, 'agent.yaml'), AGENT);
    const agent = await loadAgent(dir);
    const at = '2026-11-30T09:00:00Z';
    const turn = (seq: number, role: 'agent' | 'caller', text: string) => ({ seq, role, text, heardText: text, interrupted: false, grounding: null, startedAt: at, endedAt: at, latency: null, knowledge: [] });
    const call = (turnSeq: number, outcome: string) => ({ id: `c${turnSeq}`, turnSeq, name: 'transfer', input: { summary: 's' }, request: null, response: null, result: { outcome }, error: null, startedAt: at, durationMs: 1 });
    const rec = {
      id: 'abcdef0123', agent: 'front-desk', agentVersion: 'v', channel: 'phone', direction: 'inbound', caller: '+48600100200', startedAt: at, endedAt: at, endReason: 'caller hung up',
      turns: [turn(0, 'agent', 'Hello!'), turn(1, 'caller', '(the caller pressed 0, the key for a person)'), turn(2, 'agent', 'Nobody answered.'), turn(3, 'caller', '(the caller pressed 1 2 #)'), turn(4, 'agent', 'OK.'), turn(5, 'caller', 'Try again please.'), turn(6, 'agent', 'Connecting.')],
      toolCalls: [call(2, 'no answer'), call(6, 'connected')], lead: null, bookings: [],
    };
    const data = scenarioFromRecord(rec, agent, { purpose: 'test' }) as { door?: string; caller: { turns: object[] }; stubs: { transfer?: unknown } };
    assert.equal(data.door, 'phone');
    assert.deepEqual(data.caller.turns.map((t) => ('keys' in t ? { keys: t.keys } : { say: (t as { say: string }).say })), [{ keys: '0' }, { keys: '12#' }, { say: 'Try again please.' }]);
    assert.deepEqual(data.stubs.transfer, ['no answer', 'connected']);
    const { problems } = parseScenario(scenarioYaml(data), 'tests/recorded.yaml', agent);
    assert.deepEqual(problems.map(formatProblem), [], 'the generated file loads');
    assert.equal((scenarioFromRecord({ ...rec, channel: 'web' }, agent, { purpose: 'test' }) as { door?: string }).door, undefined, 'other doors stay text');
  });
});

describe('a web visitor asking for a person', () => {
  it('gets the office number to call (sayNumber) instead of "phone only"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-web-transfer-'));
    writeFileSync(join(dir, 'agent.yaml'), AGENT.replace('    key: "0"\n', '    key: "0"\n    sayNumber: true\n').replace('tools:\n', 'collect: [name, phone]\ntools:\n'));
    const agent = await loadAgent(dir);
    const data = {
      caller: { turns: [{ say: 'Can I speak to someone in the office?' }] },
      model: { script: [{ toolCalls: [{ name: 'transfer', args: { summary: 'Visitor wants the office.' } }] }, { text: 'You can call the office on plus four eight, two two, one two three, four five six seven.' }] },
      stubs: { now: '2026-11-30 10:00' },
      expect: { toolCalled: [{ name: 'transfer', result: { outcome: 'not on a phone call', number: '+48 22 123 45 67' } }] },
    };
    const { scenario, problems } = parseScenario(stringify(data), 'tests/t.yaml', agent);
    assert.deepEqual(problems.map(formatProblem), []);
    const r = await runScenario(scenario!, { agent, models: noModels, env: {} });
    assert.deepEqual(r.failures, []);
  });
});
