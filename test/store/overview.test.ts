import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countWidgetOpened, overview } from '../../src/store/overview.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { zonedDays } from '../../src/util/zoned-days.ts';
import { openTestStore } from '../helpers/store.ts';

// The owner's overview in SQL, on SQLite and (npm run test:postgres) Postgres: days are the
// zone's midnight to midnight, also across a daylight-saving change, and test runs stay out.

describe('overview aggregation', () => {
  let store: Store;
  let n = 0;
  before(async () => {
    store = await openTestStore();
  });
  after(() => store.close());

  async function conversation(o: { at: string; channel?: string; caller?: string | null; cost?: number; lead?: boolean; booking?: boolean; latencies?: number[]; toolError?: string; agent?: string }): Promise<string> {
    const r = new Records(store.db, store.kind);
    const id = `10000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    await r.startConversation({ id, agent: o.agent ?? 'ada', agent_version: 'v', channel: o.channel ?? 'web', direction: 'inbound', caller: o.caller === undefined ? 'https://shop.example' : o.caller, started_at: o.at });
    let seq = 0;
    for (const ms of o.latencies ?? []) await r.addTurn(id, { seq: seq++, role: 'agent', text: 'ok', heardText: null, interrupted: false, grounding: null, startedAt: o.at, endedAt: o.at, latency: { voiceToVoiceMs: ms } });
    if (o.lead) await r.saveLead(id, 'ada', { name: 'Jane' }, o.at);
    if (o.booking) await r.appendEvent(id, o.at, 'booking.made', { booking: { start: o.at } });
    if (o.toolError !== undefined) await r.addToolCall(id, { id: `c${n}`, turnSeq: 0, name: o.toolError, input: {}, request: null, response: null, result: null, error: 'HTTP 500', startedAt: o.at, durationMs: 5 });
    await r.endConversation(id, o.at, 'caller left', { costUsd: o.cost ?? 0 });
    return id;
  }

  it('buckets by local day across a daylight-saving change, with outcomes, bookings, cost, latency percentiles, tool errors and the funnel', async () => {
    // Europe/Warsaw leaves summer time on 2026-10-25: that day is 25 hours, 2026-10-24T22:00Z to 2026-10-25T23:00Z.
    await conversation({ at: '2026-10-24T21:59:00.000Z', cost: 0.5 }); // 23:59 on the 24th, local
    await conversation({ at: '2026-10-24T22:30:00.000Z', cost: 0.25, lead: true, latencies: [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000] }); // 00:30 on the 25th
    await conversation({ at: '2026-10-25T22:30:00.000Z', cost: 0.25, lead: true, booking: true, toolError: 'crm' }); // 23:30 on the 25th (UTC+1 now)
    await conversation({ at: '2026-10-25T23:30:00.000Z', channel: 'phone', toolError: 'crm' }); // 00:30 on the 26th
    await conversation({ at: '2026-10-25T10:00:00.000Z', caller: 'dashboard sandbox', cost: 9, booking: true }); // sandbox
    await conversation({ at: '2026-10-25T11:00:00.000Z', channel: 'text', caller: 'scenario:x', cost: 9 }); // a test run
    await conversation({ at: '2026-10-25T11:00:00.000Z', agent: 'bob', cost: 7 });
    for (let i = 0; i < 3; i++) await countWidgetOpened(store.db, 'ada', new Date('2026-10-25T09:10:00.000Z'));
    await countWidgetOpened(store.db, 'ada', new Date('2026-10-25T12:10:00.000Z'));

    const o = await overview(store.db, store.kind, { days: zonedDays('2026-10-24', '2026-10-26', 'Europe/Warsaw'), zone: 'Europe/Warsaw', agent: 'ada', real: true });
    assert.deepEqual(o.days.map((d) => [d.day, d.conversations, d.bookings, d.costUsd, d.toolErrors]), [
      ['2026-10-24', 1, 0, 0.5, 0],
      ['2026-10-25', 2, 1, 0.5, 1],
      ['2026-10-26', 1, 0, 0, 1],
    ]);
    assert.deepEqual(o.days[1]!.outcomes, { booked: 1, lead: 1, open: 0, error: 0, limit: 0, 'ended-by-agent': 0, 'caller-left': 0 });
    assert.deepEqual(o.days[1]!.latency, { p50: 500, p95: 1000, answers: 10 });
    assert.equal(o.days[0]!.latency, null);
    assert.deepEqual(o.funnel, { widgetOpened: 4, conversations: 3, leads: 2, bookings: 1 });
    assert.deepEqual(o.toolErrors, [{ tool: 'crm', calls: 2, errors: 2 }]);

    // The same records in UTC days, with the test runs and every agent.
    const utc = await overview(store.db, store.kind, { days: zonedDays('2026-10-24', '2026-10-26', 'UTC'), zone: 'UTC', real: false });
    assert.deepEqual(utc.days.map((d) => d.conversations), [2, 5, 0]);
    assert.equal(utc.days[1]!.costUsd, 0.25 + 9 + 9 + 7);
  });

  it('refuses a range it cannot chart', () => {
    assert.throws(() => zonedDays('2026-01-02', '2026-01-01', 'UTC'), /not be before/);
    assert.throws(() => zonedDays('2025-01-01', '2026-06-01', 'UTC'), /at most 366/);
    assert.throws(() => zonedDays('2026-01-01', '2026-01-02', 'Mars/Olympus'), /IANA/);
    assert.throws(() => zonedDays('yesterday', '2026-01-02', 'UTC'), /YYYY-MM-DD/);
  });
});
