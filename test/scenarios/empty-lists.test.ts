import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { formatProblem } from '../../src/agent/problems.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// An empty list written in `expect` means "none": `toolCalled: []` no tool was called (over the
// conversation, or on a turn), `events: []` nothing was sent out but conversation.ended, `emails: []`
// no email would be sent. Each item of a list must find a match, so [] used to pass whatever happened.

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key');
}, {});

/** The caller asks what no document covers; the agent declines in code and calls no tool. */
const quiet = (expect: object, turnExpect?: object) => ({
  caller: { turns: [{ say: 'Do you sell garden furniture?', ...(turnExpect ? { expect: { declined: true, ...turnExpect } } : {}) }] },
  model: { script: [] },
  expect,
});

/** The caller books a call: save_lead, check_availability, book_call; a lead, a booking and two emails go out. */
const busy = (expect: object, turnExpect?: object) => ({
  caller: {
    turns: [
      { say: "Can we book the intro call on Tuesday afternoon? I'm Jane Doe, jane@acme.io.", ...(turnExpect ? { expect: turnExpect } : {}) },
      { say: "Yes, that's right." },
      { say: '3 PM please.' },
    ],
  },
  model: {
    script: [
      { toolCalls: [{ name: 'save_lead', args: { name: 'Jane Doe' } }] },
      { text: 'Let me check I have it right: J-a-n-e D-o-e, and j-a-n-e at a-c-m-e dot i-o. Is that right?' },
      { toolCalls: [{ name: 'check_availability', args: { when: 'Tuesday afternoon' } }] },
      { text: 'I have Tuesday at 3 PM. Does that suit you?' },
      { toolCalls: [{ name: 'book_call', args: { start: '2026-12-01T14:00:00Z', name: 'Jane Doe', email: 'jane@acme.io' } }] },
      { text: "You're booked for Tuesday at 3 PM." },
    ],
  },
  stubs: { now: '2026-11-30T10:00:00+01:00' },
  expect,
});

describe('scenario expect: an empty list means none', () => {
  let agent: Agent;
  before(async () => {
    // An owner address, so the scenario composes (and captures) the emails a booking sends.
    const base = await loadAgent(EXAMPLE);
    const calendar = base.config.calendar!;
    agent = { ...base, config: { ...base.config, calendar: { ...calendar, ownerEmail: '${OWNER_EMAIL}' } as typeof calendar } };
  });
  const run = (data: object) => {
    const { scenario, problems } = parseScenario(stringify(data), 'tests/t.yaml', agent);
    assert.deepEqual(problems.map(formatProblem), []);
    return runScenario(scenario!, { agent, models: noModels, env: {} });
  };
  const messages = (r: { failures: { field: string; message: string }[] }) => r.failures.map((f) => `${f.field}: ${f.message}`);

  it('passes toolCalled: [], events: [] and emails: [] when no tool was called and nothing went out', async () => {
    const r = await run(quiet({ toolCalled: [], events: [], emails: [] }, { toolCalled: [] }));
    assert.deepEqual(messages(r), []);
    assert.deepEqual(r.events.map((e) => e.type), ['conversation.ended']);
  });

  it('fails toolCalled: [] naming the calls made, at the first call\'s turn', async () => {
    const r = await run(busy({ toolCalled: [] }));
    assert.deepEqual(messages(r), [
      'expect.toolCalled: expected no tool calls, 3 made: save_lead {"name":"Jane Doe"}, check_availability {"when":"Tuesday afternoon"}, book_call {"start":"2026-12-01T14:00:00Z","name":"Jane Doe","email":"jane@acme.io"}',
    ]);
    assert.equal(r.failures[0].turn, 1);
  });

  it('fails a turn\'s toolCalled: [] naming the calls made on that turn', async () => {
    const r = await run(busy({}, { toolCalled: [] }));
    assert.deepEqual(messages(r), ['caller.turns.0.expect.toolCalled: expected no tool calls on this turn, 1 made: save_lead {"name":"Jane Doe"}']);
  });

  it('fails events: [] naming the events sent (conversation.ended, sent after every conversation, aside)', async () => {
    const r = await run(busy({ events: [] }));
    assert.deepEqual(messages(r), ['expect.events: expected no events but conversation.ended, 3 sent: lead.saved, lead.saved, booking.created']);
  });

  it('fails emails: [] naming each email and its recipient', async () => {
    const r = await run(busy({ emails: [] }));
    assert.deepEqual(messages(r), ['expect.emails: expected no emails, 2 would be sent: invitation to jane@acme.io, owner-booking to owner-email@stub.invalid']);
  });
});
