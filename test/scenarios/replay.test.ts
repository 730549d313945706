import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { formatProblem } from '../../src/agent/problems.ts';
import { formatWords, toolDiff, wordDiff } from '../../src/scenarios/diff.ts';
import { scenarioFromRecord, scenarioYaml } from '../../src/scenarios/from-record.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import type { Style } from '../../src/scenarios/report.ts';
import type { ConversationRecord } from '../../src/store/records.ts';
import { EXAMPLE } from '../helpers/cli.ts';

const plain: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s };

describe('word and tool diffs', () => {
  it('diffs words and shows long unchanged stretches by their ends', () => {
    const ops = wordDiff('The audit is a fixed 2,400 euros for two weeks of work with the whole team.', 'The audit is a fixed 2,500 euros for two weeks of work with the whole team.');
    assert.deepEqual(ops.filter((o) => o.op !== '='), [
      { op: '-', text: '2,400' },
      { op: '+', text: '2,500' },
    ]);
    assert.equal(formatWords(ops, plain), 'The audit is a fixed [-2,400-] {+2,500+} euros for two …');
    assert.deepEqual(wordDiff('same words', 'same   words'), [{ op: '=', text: 'same words' }]);
    assert.deepEqual(wordDiff('', 'new'), [{ op: '+', text: 'new' }]);
  });

  it('pairs tool calls by name in order: added, removed, and changed arguments', () => {
    const before = [
      { name: 'save_lead', input: { name: 'Jo', email: 'jo@a.io' } },
      { name: 'notify_sales_team', input: { name: 'Jo' } },
    ];
    const after = [
      { name: 'save_lead', input: { name: 'Jo', email: 'jo@b.io' } },
      { name: 'end_call', input: {} },
    ];
    assert.deepEqual(toolDiff(before, after), [
      { change: 'changed', name: 'save_lead', before: before[0].input, after: after[0].input, fields: ['email: "jo@a.io" → "jo@b.io"'] },
      { change: 'removed', name: 'notify_sales_team', before: { name: 'Jo' } },
      { change: 'added', name: 'end_call', after: {} },
    ]);
    assert.deepEqual(toolDiff(before, before), []);
  });
});

describe('a recorded conversation as a scenario', () => {
  let agent: Agent;
  before(async () => {
    agent = await loadAgent(EXAMPLE);
  });
  const turn = (seq: number, role: 'agent' | 'caller', text: string, extra: object = {}) => ({ seq, role, text, heardText: text, interrupted: false, grounding: null, startedAt: '2026-11-30T09:00:00.000Z', endedAt: null, latency: null, knowledge: [], ...extra });
  const call = (turnSeq: number, name: string, input: unknown, extra: object = {}) => ({ id: `c${turnSeq}${name}`, turnSeq, name, input, request: null, response: null, result: null, error: null, startedAt: '2026-11-30T09:00:00.000Z', durationMs: 1, ...extra });
  const rec: ConversationRecord = {
    id: '0123abcd-0000-4000-8000-000000000000',
    agent: 'sales-booking',
    agentVersion: 'abc',
    channel: 'text',
    direction: 'inbound',
    caller: 'terminal',
    startedAt: '2026-11-30T09:00:00.000Z',
    endedAt: '2026-11-30T09:05:00.000Z',
    endReason: 'caller said goodbye',
    turns: [
      turn(0, 'agent', 'Hi!'),
      turn(1, 'caller', 'Which football club does your founder support?'),
      turn(2, 'agent', "I don't have that.", { grounding: 'declined' }),
      turn(3, 'caller', 'Book me in tomorrow at 3, please.'),
      turn(4, 'agent', 'Booked for tomorrow at 3 PM.'),
    ],
    toolCalls: [
      call(4, 'check_availability', { when: 'tomorrow at 3' }, { result: { slots: [{ start: '2026-12-01T14:00:00Z', say: 'tomorrow at 3 PM' }] } }),
      call(4, 'book_call', { start: '2026-12-01T14:00:00Z', name: 'Jane Doe', email: 'jane@acme.io' }),
      call(4, 'notify_sales_team', { name: 'Jane Doe', email: 'jane@acme.io', problem: '/x/' }, { response: { status: 201, body: { id: 'l1' } } }),
    ],
    lead: { name: 'Jane Doe', email: 'jane@acme.io' },
    bookings: [{ id: 'b1', provider: 'builtin', start: '2026-12-01T14:00:00Z', end: '2026-12-01T14:30:00Z', status: 'confirmed', timeZone: 'Europe/Warsaw', attendee: { name: 'Jane Doe', email: 'jane@acme.io', timeZone: 'Europe/Warsaw' } }],
  };

  it('keeps the caller turns, replays the model, stubs the world and expects what happened', () => {
    const s = scenarioFromRecord(rec, agent, { purpose: 'test' }) as Record<string, any>;
    assert.deepEqual(s.caller.turns, [
      { say: 'Which football club does your founder support?', expect: { declined: true } },
      { say: 'Book me in tomorrow at 3, please.', expect: { toolCalled: ['book_call', 'notify_sales_team'] } },
    ]);
    assert.deepEqual(s.model.script, [
      { toolCalls: [{ name: 'check_availability', args: { when: 'tomorrow at 3' } }] },
      { toolCalls: [{ name: 'book_call', args: rec.toolCalls[1].input }] },
      { toolCalls: [{ name: 'notify_sales_team', args: rec.toolCalls[2].input }] },
      { text: 'Booked for tomorrow at 3 PM.' },
    ], 'the declined turn never reached the model, so it has no step');
    assert.deepEqual(s.stubs, { tools: { notify_sales_team: { status: 201, body: { id: 'l1' } } }, calendar: { slots: ['2026-12-01T14:00:00Z'], slotMinutes: 30 }, now: '2026-11-30T09:00:00.000Z' });
    assert.deepEqual(s.expect.booking, { localTime: '2026-12-01 15:00' });
    assert.equal(s.expect.toolCalled[1].args.problem, '/\\/x\\//', 'recorded text that reads as a regex is escaped');

    const text = scenarioYaml(s);
    assert.match(text, /toolCalled: \[book_call, notify_sales_team\]/);
    assert.deepEqual(parseScenario(text, 'recorded.yaml', agent).problems.map(formatProblem), [], 'the file it writes is a valid scenario for the agent');
  });

  it('for a replay: caller turns and stubs only, and a calendar that never books for real', () => {
    const s = scenarioFromRecord({ ...rec, toolCalls: [], bookings: [] }, agent, { purpose: 'replay' }) as Record<string, any>;
    assert.deepEqual(Object.keys(s), ['name', 'caller', 'stubs']);
    assert.deepEqual(s.stubs, { calendar: { slots: [], slotMinutes: 30 } });
  });
});
