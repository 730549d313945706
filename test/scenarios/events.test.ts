import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { formatProblem } from '../../src/agent/problems.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { parseScenario, type Scenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// expect.events: the events a scenario's conversation sends out are captured (never delivered)
// and matched by type and partial data; a miss names what was emitted.

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key');
}, {});

describe('scenario expect.events', () => {
  let agent: Agent;
  before(async () => {
    agent = await loadAgent(EXAMPLE);
  });

  const scenario = (data: object, a = agent): Scenario => {
    const { scenario, problems } = parseScenario(stringify(data), 'tests/t.yaml', a);
    assert.deepEqual(problems.map(formatProblem), []);
    return scenario!;
  };
  const run = (s: Scenario, a = agent) => runScenario(s, { agent: a, models: noModels, env: {} });

  // The booking path of test/scenarios/run.test.ts, with a save_lead first.
  const booking = {
    caller: {
      turns: [
        { say: "Can we book the intro call on Tuesday afternoon? I'm Jane Doe from Acme, jane@acme.io." },
        { say: "Yes, that's right." },
        { say: '3 PM please.' },
      ],
    },
    model: {
      script: [
        { toolCalls: [{ name: 'save_lead', args: { name: 'Jane Doe', company: 'Acme Logistics' } }] },
        { text: 'Let me check I have it right: J-a-n-e D-o-e, and j-a-n-e at a-c-m-e dot i-o. Is that right?' },
        { toolCalls: [{ name: 'check_availability', args: { when: 'Tuesday afternoon' } }] },
        { text: 'I have Tuesday at 3 PM. Does that suit you?' },
        { toolCalls: [{ name: 'book_call', args: { start: '2026-12-01T14:00:00Z', name: 'Jane Doe', email: 'jane@acme.io' } }] },
        { text: "You're booked for Tuesday at 3 PM." },
      ],
    },
    stubs: { now: '2026-11-30T10:00:00+01:00', calendar: { slots: ['2026-12-01 15:00'] } },
  };

  it('passes when the conversation sent the events, matched by partial data', async () => {
    const r = await run(
      scenario({
        ...booking,
        expect: {
          events: [
            { type: 'lead.saved', data: { saved: { company: 'acme' } } },
            { type: 'booking.created', data: { booking: { start: '2026-12-01T14:00:00Z', attendee: { email: 'jane@acme.io' } } } },
            { type: 'conversation.ended', data: { lead: { company: '/^Acme/' }, endReason: 'caller left' } },
          ],
        },
      }),
    );
    assert.deepEqual(r.failures, []);
    assert.deepEqual(
      r.events.map((e) => e.type),
      ['lead.saved', 'lead.saved', 'booking.created', 'conversation.ended'],
    );
    assert.equal((r.events[0].data as { conversationId: string }).conversationId, r.conversationId);
  });

  it('fails with what did not match and which events were emitted', async () => {
    const r = await run(
      scenario({
        ...booking,
        expect: {
          events: [
            { type: 'booking.created', data: { booking: { attendee: { email: 'joe@other.io' } } } },
            { type: 'analysis.completed' },
          ],
        },
      }),
    );
    assert.deepEqual(
      r.failures.map((f) => [f.field, f.message]),
      [
        ['expect.events.0', 'the booking.created event does not match: data.booking.attendee.email: expected "joe@other.io", got "jane@acme.io" (emitted: lead.saved, lead.saved, booking.created, conversation.ended)'],
        ['expect.events.1', 'no analysis.completed event was sent (emitted: lead.saved, lead.saved, booking.created, conversation.ended)'],
      ],
    );
  });

  it('names every event of the type when none matches', async () => {
    const r = await run(scenario({ ...booking, expect: { events: [{ type: 'lead.saved', data: { saved: { company: 'Globex' } } }] } }));
    assert.equal(r.failures.length, 1);
    assert.match(r.failures[0].message, /^none of the 2 lead\.saved events matches: data\.saved\.company: expected "Globex", got "Acme Logistics"/);
  });

  it('refuses an unknown event type when loading', () => {
    const { problems } = parseScenario(stringify({ caller: { turns: [{ say: 'hi' }] }, expect: { events: [{ type: 'booking.made' }] } }), 't.yaml', agent);
    assert.equal(problems.length, 1);
    assert.match(formatProblem(problems[0]), /expect\.events\.0\.type/);
  });

  describe('expect.booking: false without a calendar', () => {
    let noCalendar: Agent;
    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-events-'));
      writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: p, firstMessage: hi }\n');
      noCalendar = await loadAgent(dir);
    });

    it('is accepted and passes; a booking object is still refused', async () => {
      const s = scenario({ caller: { turns: [{ say: 'hi' }] }, model: { script: [{ text: 'Hello!' }] }, expect: { booking: false, events: [{ type: 'conversation.ended' }] } }, noCalendar);
      const r = await run(s, noCalendar);
      assert.deepEqual(r.failures, []);
      const { problems } = parseScenario(stringify({ caller: { turns: [{ say: 'hi' }] }, expect: { booking: { localTime: '2026-12-01 15:00' } } }), 't.yaml', noCalendar);
      assert.deepEqual(problems.map(formatProblem), ['t.yaml:6:5 expect.booking: the agent has no calendar: add calendar: to agent.yaml or stubs.calendar to the scenario']);
    });
  });
});
