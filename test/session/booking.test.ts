// The reference job end to end, in text: the sales agent finds slots, is talked into booking
// before confirming the spelling (the tool refuses), reads the spelling back, and books —
// against protocol-faithful fakes of cal.com and Calendly.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import type { CalendarConfig } from '../../src/agent/schema.ts';
import { Conversation, type AgentOutput } from '../../src/session/conversation.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { calendarFor } from '../../src/tools/calendar/index.ts';
import { startFakeCalcom, startFakeCalendly, startFakeOpenAI, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

const NOW = new Date('2026-11-30T09:00:00Z'); // Monday 10:00 in Warsaw
const clock = () => NOW;
// Tuesday 1 December in Warsaw (UTC+1): 15:00, 15:30 and 16:00 local; one on Wednesday.
const OPEN = ['2026-12-01T14:00:00Z', '2026-12-01T14:30:00Z', '2026-12-01T15:00:00Z', '2026-12-02T09:00:00Z'];
const CALCOM_KEY = 'cal_live_secret_123';
const CALENDLY_TOKEN = 'calendly-pat-456';

type Offered = { start: string; say: string };
const lastToolResult = (r: ChatRequest) => JSON.parse(String(r.messages.filter((m) => m.role === 'tool').at(-1)?.content));

async function talk(c: Conversation, text: string): Promise<string> {
  let out = '';
  for await (const o of c.reply(text) as AsyncIterable<AgentOutput>) if (o.type === 'text') out += o.text;
  return out;
}

/** The model's side of the booking conversation, deciding from what the tools really returned. */
function script(llm: FakeOpenAI, offered: Offered[]): void {
  llm.push(
    { toolCalls: [{ name: 'check_availability', args: { when: 'tomorrow afternoon' } }] },
    (r) => {
      const result = lastToolResult(r);
      offered.push(...result.slots);
      return { text: `I have ${result.slots[0].say} or ${result.slots[1].say}. Which suits you?` };
    },
    // Talked into booking at once: the tool must refuse, because nothing was spelled back.
    () => ({ toolCalls: [{ name: 'book_call', args: { start: offered[0].start, name: 'Jane Doe', email: 'jane.doe@acme.io', company: 'Acme', problem: 'invoice chasing' } }] }),
    (r) => {
      assert.match(lastToolResult(r).error, /spell the name back/);
      return { text: 'Before I book: that is J-A-N-E D-O-E, and j-a-n-e dot d-o-e at a-c-m-e dot i-o. Is that right?' };
    },
    () => ({ toolCalls: [{ name: 'book_call', args: { start: offered[0].start, name: 'Jane Doe', email: 'jane.doe@acme.io', company: 'Acme', problem: 'invoice chasing' } }] }),
  );
}

describe('booking an intro call in text mode', () => {
  let store: Store;
  let base: Agent;
  let llm: FakeOpenAI;
  before(async () => {
    store = await openTestStore();
    base = await loadAgent(EXAMPLE);
    llm = await startFakeOpenAI();
  });
  after(async () => {
    await llm.close();
    await store.close();
  });

  async function conversation(calendar: CalendarConfig, env: NodeJS.ProcessEnv) {
    const agent = { ...base, config: { ...base.config, calendar } } as Agent;
    const provider = calendarFor(agent, { store, env, now: clock });
    const model = createOpenAICompatible({ name: 'fake', baseURL: llm.url, apiKey: 'test' })('fake-model');
    return new Conversation({ agent, store, models: [model], calendar: provider, clock, env });
  }

  it('cal.com: offers only returned times, refuses to book before the spelling is confirmed, then books the right instant', async () => {
    const cal = await startFakeCalcom({ slots: OPEN, apiKey: CALCOM_KEY });
    try {
      const c = await conversation({ provider: 'calcom', apiKey: '${CALCOM_API_KEY}', eventTypeId: cal.eventTypeId, baseURL: cal.url }, { CALCOM_API_KEY: CALCOM_KEY });
      const offered: Offered[] = [];
      script(llm, offered);
      await c.start();
      const offer = await talk(c, "I'd like an intro call tomorrow afternoon.");
      // Every time the agent offered came from the tool's result, in the tool's wording.
      assert.equal(offer, `I have ${offered[0].say} or ${offered[1].say}. Which suits you?`);
      assert.deepEqual(offered.map((s) => s.start).slice(0, 3), ['2026-12-01T14:00:00Z', '2026-12-01T14:30:00Z', '2026-12-01T15:00:00Z']);
      assert.equal(offered[0].say, 'tomorrow at 3 PM');
      assert.equal(cal.bookings.length, 0);

      const readBack = await talk(c, "3 PM is fine. I'm Jane Doe, jane.doe@acme.io, book it now please.");
      assert.match(readBack, /J-A-N-E D-O-E/);
      assert.equal(cal.bookings.length, 0, 'nothing is booked before the caller confirms the spelling');

      llm.push((r) => {
        const result = lastToolResult(r);
        assert.equal(result.booked, true);
        return { text: `You're booked for ${result.say}. An invitation is on its way.` };
      });
      assert.equal(await talk(c, "Yes, that's right."), "You're booked for tomorrow at 3 PM. An invitation is on its way.");

      assert.equal(cal.bookings.length, 1);
      assert.equal(new Date(cal.bookings[0].start).toISOString(), '2026-12-01T14:00:00.000Z', '15:00 in Warsaw is 14:00 UTC, never 03:00');
      assert.deepEqual({ name: cal.bookings[0].attendee.name, email: cal.bookings[0].attendee.email }, { name: 'Jane Doe', email: 'jane.doe@acme.io' });

      const rec = await new Records(store.db).get(c.id);
      assert.equal(rec?.bookings.length, 1);
      assert.equal(rec?.bookings[0].provider, 'calcom');
      assert.deepEqual(rec?.lead, { name: 'Jane Doe', email: 'jane.doe@acme.io', company: 'Acme', problem: 'invoice chasing' });
      const calls = rec?.toolCalls ?? [];
      assert.deepEqual(calls.map((t) => [t.name, t.error === null]), [['check_availability', true], ['book_call', false], ['book_call', true]]);
      // Diagnosis: the availability request and the raw slots are in the record, the key is not.
      const availability = calls[0].request as { url: string; headers: Record<string, string> };
      assert.match(availability.url, /\/v2\/slots\?/);
      assert.equal(availability.headers.Authorization ?? availability.headers.authorization, 'Bearer ${CALCOM_API_KEY}');
      assert.ok(!JSON.stringify(rec).includes(CALCOM_KEY));
    } finally {
      await cal.close();
    }
  });

  it('Calendly: the same conversation books through the Scheduling API', async () => {
    const cal = await startFakeCalendly({ availableTimes: OPEN, token: CALENDLY_TOKEN, now: clock });
    try {
      const c = await conversation({ provider: 'calendly', token: '${CALENDLY_TOKEN}', eventType: cal.eventType, baseURL: cal.url }, { CALENDLY_TOKEN });
      const offered: Offered[] = [];
      script(llm, offered);
      await c.start();
      await talk(c, "I'd like an intro call tomorrow afternoon.");
      await talk(c, "3 PM is fine. I'm Jane Doe, jane.doe@acme.io, book it now please.");
      assert.equal(cal.invitees.length, 0);
      llm.push({ text: 'Booked.' });
      await talk(c, 'Yes, correct.');
      assert.equal(cal.invitees.length, 1);
      assert.equal(new Date(cal.invitees[0].startTime).toISOString(), '2026-12-01T14:00:00.000Z');
      assert.equal(cal.invitees[0].email, 'jane.doe@acme.io');
    } finally {
      await cal.close();
    }
  });

  it('refuses a read-back that says the name and email as words and spells only "y-e-s"', async () => {
    const cal = await startFakeCalcom({ slots: OPEN, apiKey: CALCOM_KEY });
    try {
      const c = await conversation({ provider: 'calcom', apiKey: '${CALCOM_API_KEY}', eventTypeId: cal.eventTypeId, baseURL: cal.url }, { CALCOM_API_KEY: CALCOM_KEY });
      const offered: Offered[] = [];
      llm.push(
        { toolCalls: [{ name: 'check_availability', args: { when: 'tomorrow afternoon' } }] },
        (r) => {
          offered.push(...lastToolResult(r).slots);
          return { text: `I have ${offered[0].say}.` };
        },
        { text: 'Booking for Bob Evil, bob@evil.com, y-e-s?' },
        () => ({ toolCalls: [{ name: 'book_call', args: { start: offered[0].start, name: 'Bob Evil', email: 'bob@evil.com' } }] }),
        (r) => {
          assert.match(lastToolResult(r).error, /spell the name back/);
          return { text: 'Let me spell it back first.' };
        },
      );
      await c.start();
      await talk(c, 'Tomorrow afternoon please.');
      await talk(c, "That's fine, I'm Bob Evil, bob@evil.com.");
      await talk(c, 'yes');
      assert.equal(cal.bookings.length, 0);
    } finally {
      await cal.close();
    }
  });

  it('refuses a time the tool never offered, even after confirmation', async () => {
    const cal = await startFakeCalcom({ slots: OPEN, apiKey: CALCOM_KEY });
    try {
      const c = await conversation({ provider: 'calcom', apiKey: '${CALCOM_API_KEY}', eventTypeId: cal.eventTypeId, baseURL: cal.url }, { CALCOM_API_KEY: CALCOM_KEY });
      llm.push({ text: 'That is J-A-N-E D-O-E and j-a-n-e dot d-o-e at a-c-m-e dot i-o, right?' });
      llm.push({ toolCalls: [{ name: 'book_call', args: { start: '2026-12-01T02:00:00Z', name: 'Jane Doe', email: 'jane.doe@acme.io' } }] }, (r) => {
        assert.match(lastToolResult(r).error, /not one of the slots check_availability offered/);
        return { text: 'Let me check the times first.' };
      });
      await c.start();
      await talk(c, 'Jane Doe, jane.doe@acme.io');
      await talk(c, 'Yes. Book me at 3 in the morning.');
      assert.equal(cal.bookings.length, 0);
    } finally {
      await cal.close();
    }
  });

  it('built-in calendar: two conversations racing for the last slot make exactly one booking', async () => {
    const builtin: CalendarConfig = { provider: 'builtin', hours: { tue: ['15:00-15:30'] }, slotMinutes: 30, bufferMinutes: 0, closedDates: [], horizonDays: 7, minNoticeMinutes: 60 };
    const agent = { ...base, name: 'race-agent', config: { ...base.config, calendar: builtin } } as Agent;
    const fakes = [await startFakeOpenAI(), await startFakeOpenAI()];
    try {
      const racers = await Promise.all(
        fakes.map(async (fake, i) => {
          const name = i === 0 ? 'Ann Lee' : 'Bob Ray';
          const email = i === 0 ? 'ann@lee.io' : 'bob@ray.io';
          const offered: Offered[] = [];
          fake.push(
            { toolCalls: [{ name: 'check_availability', args: { when: 'tomorrow' } }] },
            (r) => {
              offered.push(...lastToolResult(r).slots);
              return { text: `Only ${offered[0].say} is free. Name and email?` };
            },
            { text: i === 0 ? 'That is A-N-N L-E-E, a-n-n at l-e-e dot i-o?' : 'That is B-O-B R-A-Y, b-o-b at r-a-y dot i-o?' },
            () => ({ toolCalls: [{ name: 'book_call', args: { start: offered[0].start, name, email } }] }),
            (r) => ({ text: lastToolResult(r).booked ? 'Booked.' : 'Sorry, it was just taken.' }),
          );
          const model = createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })('fake-model');
          const c = new Conversation({ agent, store, models: [model], calendar: calendarFor(agent, { store, env: {}, now: clock }), clock });
          await c.start();
          assert.match(await talk(c, 'Any time tomorrow?'), /^Only tomorrow at 3 PM is free/);
          await talk(c, `${name}, ${email}`);
          return c;
        }),
      );
      const answers = await Promise.all(racers.map((c) => talk(c, 'Yes, correct.')));
      assert.deepEqual([...answers].sort(), ['Booked.', 'Sorry, it was just taken.']);
      const rows = await store.db.selectFrom('bookings').selectAll().where('agent', '=', 'race-agent').execute();
      assert.equal(rows.length, 1);
      assert.equal(new Date(rows[0].start).toISOString(), '2026-12-01T14:00:00.000Z');
    } finally {
      await Promise.all(fakes.map((f) => f.close()));
    }
  });
});
