// A caller in Los Angeles books through the example agent (business in Warsaw), in a whole text
// conversation against the cal.com fake: their "tomorrow at 3 pm" is 3 pm their time, the slots
// name both clocks, book_call waits for the time read back on both, and the record keeps the clock.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Conversation, type AgentOutput } from '../../src/session/conversation.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { calendarFor } from '../../src/tools/calendar/index.ts';
import { startFakeCalcom, startFakeOpenAI, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

const NOW = new Date('2026-11-30T09:00:00Z'); // Monday: 10:00 in Warsaw, 01:00 in Los Angeles
const clock = () => NOW;
// Tuesday 1 December: 3 PM in Warsaw (6 AM in LA), and 3 PM and 3:30 PM in LA (midnight in Warsaw).
const OPEN = ['2026-12-01T14:00:00Z', '2026-12-01T23:00:00Z', '2026-12-01T23:30:00Z'];
const KEY = 'cal_live_clock_789';

const lastToolResult = (r: ChatRequest) => JSON.parse(String(r.messages.filter((m) => m.role === 'tool').at(-1)?.content));

async function talk(c: Conversation, text: string): Promise<string> {
  let out = '';
  for await (const o of c.reply(text) as AsyncIterable<AgentOutput>) if (o.type === 'text') out += o.text;
  return out;
}

describe('a caller abroad books on their own clock', () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;
  before(async () => {
    store = await openTestStore();
    agent = await loadAgent(EXAMPLE);
    llm = await startFakeOpenAI();
  });
  after(async () => {
    await llm.close();
    await store.close();
  });

  it('offers 3 PM Los Angeles time, not 3 PM Warsaw time, and books it after reading it back on both clocks', async () => {
    const cal = await startFakeCalcom({ slots: OPEN, apiKey: KEY });
    try {
      const withCal = { ...agent, config: { ...agent.config, calendar: { provider: 'calcom', apiKey: '${CALCOM_API_KEY}', eventTypeId: cal.eventTypeId, baseURL: cal.url } } } as Agent;
      const env = { CALCOM_API_KEY: KEY };
      const model = createOpenAICompatible({ name: 'fake', baseURL: llm.url, apiKey: 'test' })('fake-model');
      const c = new Conversation({ agent: withCal, store, models: [model], calendar: calendarFor(withCal, { store, env, now: clock }), clock, env });
      let offered: { start: string; say: string }[] = [];
      llm.push(
        { toolCalls: [{ name: 'check_availability', args: { when: 'tomorrow at 3 pm', callerTimeZone: 'America/Los_Angeles' } }] },
        (r) => {
          offered = lastToolResult(r).slots;
          return { text: `I have ${offered[0].say}.` };
        },
        { text: 'That is J-A-N-E D-O-E, and j-a-n-e dot d-o-e at a-c-m-e dot i-o. Right?' },
        () => ({ toolCalls: [{ name: 'book_call', args: { start: offered[0].start, name: 'Jane Doe', email: 'jane.doe@acme.io' } }] }),
        (r) => {
          assert.match(lastToolResult(r).error, /read the time back on both clocks/);
          return { text: 'Just to be sure: tomorrow at 3 PM your time, which is midnight in Warsaw. Is that right?' };
        },
        () => ({ toolCalls: [{ name: 'book_call', args: { start: offered[0].start, name: 'Jane Doe', email: 'jane.doe@acme.io' } }] }),
        (r) => ({ text: `Booked: ${lastToolResult(r).say}.` }),
      );
      await c.start();
      assert.equal(await talk(c, "I'm in Los Angeles. Tomorrow at 3 pm?"), 'I have tomorrow at 3 PM your time, Wednesday, December 2nd at midnight in Warsaw.');
      assert.deepEqual(
        offered.map((s) => s.start),
        ['2026-12-01T23:00:00Z', '2026-12-01T23:30:00Z'],
      );
      await talk(c, 'Great. Jane Doe, jane.doe@acme.io.');
      await talk(c, 'Yes.');
      assert.equal(cal.bookings.length, 0, 'not booked before the time was read back on both clocks');
      assert.equal(await talk(c, 'Yes.'), 'Booked: tomorrow at 3 PM your time, Wednesday, December 2nd at midnight in Warsaw.');

      assert.equal(cal.bookings.length, 1);
      assert.equal(new Date(cal.bookings[0].start).toISOString(), '2026-12-01T23:00:00.000Z');
      assert.equal(cal.bookings[0].attendee.timeZone, 'America/Los_Angeles', 'the caller’s zone is remembered from check_availability');

      const rec = await new Records(store.db).get(c.id);
      const check = rec!.toolCalls.find((t) => t.name === 'check_availability')!;
      assert.deepEqual((check.result as { clock: { whose: string; timeZone: string } }).clock.whose, 'caller');
      assert.equal(new URL((check.request as { url: string }).url).searchParams.get('start'), '2026-12-01T23:00:00.000Z'.replace('.000', ''));
    } finally {
      await cal.close();
    }
  });
});
