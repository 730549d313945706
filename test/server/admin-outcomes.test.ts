import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../helpers/store.ts';

// The conversations list's outcome, derived in SQL from the record (docs/dashboard.md#outcomes).

describe('conversation outcomes, derived from the record', () => {
  let store: Store;
  let records: Records;
  let n = 0;

  /** A conversation started a minute after the previous one; `end` closes it with that reason. */
  async function conversation(o: { end?: string; lead?: boolean; booked?: boolean; tool?: string } = {}): Promise<string> {
    const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    const at = new Date(Date.UTC(2026, 2, 1, 9, n)).toISOString();
    await records.startConversation({ id, agent: n % 2 ? 'ada' : 'bob', agent_version: 'v1', channel: n % 3 ? 'web' : 'phone', direction: 'inbound', caller: null, started_at: at });
    if (o.lead) await records.saveLead(id, 'ada', { name: 'Jane' }, at);
    if (o.booked) await records.appendEvent(id, at, 'booking.made', { booking: { id: 'b1' } });
    if (o.tool) await records.addToolCall(id, { id: 'call_1', turnSeq: 2, name: o.tool, input: {}, request: null, response: null, result: null, error: null, startedAt: at, durationMs: 1 });
    if (o.end) await records.endConversation(id, at, o.end);
    return id;
  }

  const ids: Record<string, string> = {};
  before(async () => {
    store = await openTestStore();
    records = new Records(store.db);
    ids.booked = await conversation({ lead: true, booked: true, end: 'agent ended' });
    ids.lead = await conversation({ lead: true, end: 'caller hung up' });
    ids.open = await conversation();
    ids.error = await conversation({ end: 'error' });
    ids.endCall = await conversation({ tool: 'end_call', end: 'caller asked to stop' });
    ids.silence = await conversation({ end: 'silence' });
    ids.left = await conversation({ tool: 'search_knowledge', end: 'caller left' });
  });
  after(() => store.close());

  it('gives each conversation the first outcome that applies', async () => {
    const expected: Record<string, string> = { booked: 'booked', lead: 'lead', open: 'open', error: 'error', endCall: 'ended-by-agent', silence: 'ended-by-agent', left: 'caller-left' };
    for (const [k, outcome] of Object.entries(expected)) assert.equal(await records.outcome(ids[k]), outcome, k);
    const { items } = await records.search();
    assert.deepEqual(Object.fromEntries(items.map((i) => [i.id, i.outcome])), Object.fromEntries(Object.entries(expected).map(([k, o]) => [ids[k], o])));
  });

  it('filters by outcome, agent, door and time, with the other filters combined', async () => {
    const ofOutcome = async (outcome: 'ended-by-agent') => (await records.search({ outcome })).items.map((i) => i.id);
    assert.deepEqual(await ofOutcome('ended-by-agent'), [ids.silence, ids.endCall]);
    assert.deepEqual((await records.search({ agent: 'bob', channel: 'phone' })).items.map((i) => i.id), [ids.silence]);
    const window = await records.search({ from: '2026-03-01T09:02:00.000Z', to: '2026-03-01T09:04:00.000Z' });
    assert.deepEqual(window.items.map((i) => i.id), [ids.open, ids.lead]);
  });

  it('pages through ties in start time without losing or repeating one', async () => {
    const at = new Date(Date.UTC(2026, 2, 2)).toISOString();
    for (const id of ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000003']) {
      await records.startConversation({ id, agent: 'tie', agent_version: 'v1', channel: 'web', direction: 'inbound', caller: null, started_at: at });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await records.search({ agent: 'tie', limit: 1, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, ['aaaaaaaa-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000001']);
    await assert.rejects(records.search({ cursor: 'garbage' }), RangeError);
  });
});
