import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { formatProblem } from '../../src/agent/problems.ts';
import { loadScenarios, parseScenario } from '../../src/scenarios/load.ts';
import { EXAMPLE, tempDir } from '../helpers/cli.ts';

describe('scenario files', () => {
  let agent: Agent;
  before(async () => {
    agent = await loadAgent(EXAMPLE);
  });
  const problems = (yaml: string) => parseScenario(yaml, 't.yaml', agent).problems.map(formatProblem);

  it('loads the example scenarios, sorted by file, named by their name', async () => {
    const { scenarios, problems } = await loadScenarios(agent);
    assert.deepEqual(problems, []);
    assert.deepEqual(scenarios.map((s) => s.file), ['audit-price.yaml', 'lead-to-crm.yaml', 'off-knowledge.yaml', 'voice-audit-price.yaml'].map((f) => join(EXAMPLE, 'tests', f)));
    assert.equal(scenarios[0].name, 'answers the audit price from the documents');
  });

  it('keeps the scenarios of the mode asked for: text unless a scenario lists its modes', async () => {
    const text = await loadScenarios(agent, { mode: 'text' });
    const voice = await loadScenarios(agent, { mode: 'voice' });
    assert.deepEqual(text.scenarios.map((s) => s.data.modes), [['text'], ['text'], ['text']]);
    assert.deepEqual(text.otherMode.map((s) => s.name), ['answers the audit price by voice, within the latency budget']);
    assert.deepEqual(voice.scenarios.map((s) => s.name), ['answers the audit price by voice, within the latency budget']);
    assert.equal(voice.otherMode.length, 3);
    const both = parseScenario('modes: [text, voice, voice]\ncaller: { turns: [{ say: hi, expect: { heard: hi, latency: { voiceToVoiceMs: 2500 } } }] }\n', 't.yaml', agent).scenario;
    assert.deepEqual(both?.data.modes, ['text', 'voice']);
    assert.deepEqual(both?.data.caller.turns?.[0].expect, { heard: ['hi'], latency: { voiceToVoiceMs: 2500 } });
  });

  it('refuses latency budgets that would never be checked, and unknown stages', () => {
    assert.deepEqual(problems(['caller:', '  turns:', '    - say: hi', '      expect: { latency: { voiceToVoiceMs: 2500 } }', 'expect:', '  latency: { sttFinalMs: 900 }', ''].join('\n')), [
      't.yaml:4:17 caller.turns.0.expect.latency: latency is measured in voice mode only: add `modes: [text, voice]` (or [voice]) to the scenario',
      't.yaml:6:3 expect.latency: latency is measured in voice mode only: add `modes: [text, voice]` (or [voice]) to the scenario',
    ]);
    assert.deepEqual(problems('modes: [voice]\ncaller: { turns: [{ say: hi }] }\nexpect: { latency: { voiceToVoice: 2500 } }\n'), ['t.yaml:3:22 expect.latency.voiceToVoice: unknown field "voiceToVoice"']);
    assert.deepEqual(problems('modes: [voice]\ncaller: { turns: [{ say: hi }] }\nexpect: { latency: {} }\n'), ['t.yaml:3:20 expect.latency: name at least one stage: endpointingMs, sttFinalMs, llmFirstTokenMs, ttsFirstAudioMs, voiceToVoiceMs']);
    assert.deepEqual(problems('modes: [phone]\ncaller: { turns: [{ say: hi }] }\n'), ['t.yaml:1:9 modes.0: Invalid option: expected one of "text"|"voice"']);
  });

  it('normalises the short forms: one pattern or a list, a tool name or {name, args}', () => {
    const { scenario } = parseScenario(['caller:', '  turns:', '    - say: hi', '      expect: { says: hello, toolCalled: save_lead }', 'expect:', '  toolCalled: [{ name: save_lead, args: { name: Jo } }]', '  rubric: be kind', ''].join('\n'), 'tests/greeting.yaml', agent);
    assert.ok(scenario);
    assert.equal(scenario.name, 'greeting', 'defaults to the file name');
    assert.deepEqual(scenario.data.caller.turns?.[0].expect, { says: ['hello'], toolCalled: [{ name: 'save_lead' }] });
    assert.deepEqual(scenario.data.expect.toolCalled, [{ name: 'save_lead', args: { name: 'Jo' } }]);
    assert.deepEqual(scenario.data.expect.rubric, ['be kind']);
    assert.deepEqual(scenario.at(['caller', 'turns', 0, 'expect', 'says']), { line: 4, column: 23 });
  });

  it('pins schema problems to file:line:column', () => {
    assert.deepEqual(problems(['caller:', '  turns:', '    - say: hi', '      expect:', '        neverSays: ["/(/"]', 'expect:', '  maxTurns: 0', ''].join('\n')), [
      't.yaml:5:21 caller.turns.0.expect.neverSays.0: invalid regular expression /(/: Unterminated group',
      't.yaml:7:13 expect.maxTurns: Too small: expected number to be >=1',
    ]);
    assert.deepEqual(problems('caller:\n  turns: []\n  simulate: { persona: p, goal: g }\n'), ['t.yaml:2:3 caller: give either caller.turns or caller.simulate', 't.yaml:2:10 caller.turns: Too small: expected array to have >=1 items']);
    assert.deepEqual(problems('name: x\n'), ['t.yaml:1:1 caller: required field is missing']);
  });

  it('checks the scenario against the agent: tools, stubs, times, calendar', async () => {
    const noCalendar = await loadAgent(
      (() => {
        const dir = tempDir();
        writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: p, firstMessage: hi }\n');
        return dir;
      })(),
    );
    assert.deepEqual(parseScenario('caller: { turns: [{ say: hi }] }\nexpect: { booking: { localTime: 2026-12-01 15:00 }, toolNotCalled: [book_call] }\n', 't.yaml', noCalendar).problems.map(formatProblem), [
      't.yaml:2:20 expect.booking: the agent has no calendar: add calendar: to agent.yaml or stubs.calendar to the scenario',
      't.yaml:2:69 expect.toolNotCalled.0: the agent has no tool "book_call" (its tools: search_knowledge, end_call)',
    ]);
    assert.deepEqual(parseScenario('caller: { turns: [{ say: hi }] }\nstubs: { calendar: { slots: [] } }\nexpect: { booking: { localTime: 2026-12-01 15:00 } }\n', 't.yaml', noCalendar).problems, [], 'a calendar stub gives the agent the booking tools');
    assert.deepEqual(parseScenario('caller: { turns: [{ say: hi }] }\nexpect: { booking: false }\n', 't.yaml', noCalendar).problems, [], 'nothing booked is meaningful without a calendar');
    assert.deepEqual(problems(['caller: { turns: [{ say: hi }] }', 'stubs:', '  now: next week', '  calendar: { slots: ["2026-12-01 15:00", { start: "2026-12-01T16:00:00Z", end: soon }] }', ''].join('\n')), [
      't.yaml:3:8 stubs.now: not a time: use 2026-11-30T10:00:00+01:00 or 2026-11-30 10:00 (the agent’s zone)',
      't.yaml:4:81 stubs.calendar.slots.1.end: not a time: use 2026-12-01T14:00:00Z or 2026-12-01 15:00 (the agent’s zone)',
    ]);
  });

  it('reports two scenarios with one name, and filters by name or file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: p, firstMessage: hi }\n');
    mkdirSync(join(dir, 'tests/more'), { recursive: true });
    writeFileSync(join(dir, 'tests/a.yaml'), 'name: same\ncaller: { turns: [{ say: hi }] }\n');
    writeFileSync(join(dir, 'tests/more/b.yml'), 'name: same\ncaller: { turns: [{ say: hi }] }\n');
    writeFileSync(join(dir, 'tests/pricing-questions.yaml'), 'caller: { turns: [{ say: hi }] }\n');
    writeFileSync(join(dir, 'tests/notes.txt'), 'not a scenario');
    const a = await loadAgent(dir);
    const all = await loadScenarios(a);
    assert.deepEqual(all.problems.map(formatProblem), [`${join(dir, 'tests/more/b.yml')}:1:7 name: another scenario has this name (${join(dir, 'tests/a.yaml')})`]);
    assert.deepEqual((await loadScenarios(a, { filter: 'PRICING' })).scenarios.map((s) => s.name), ['pricing questions']);
    assert.deepEqual((await loadScenarios(a, { filter: '/^same$/' })).scenarios.length, 2);
  });

  it('does not count tests/ in the agent version: adding a scenario is not a new agent', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: p, firstMessage: hi }\n');
    const before = (await loadAgent(dir)).version;
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'tests/a.yaml'), 'caller: { turns: [{ say: hi }] }\n');
    assert.equal((await loadAgent(dir)).version, before);
  });
});
