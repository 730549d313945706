import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Calendar } from '../../../src/agent/schema.ts';
import { openStore, type Store } from '../../../src/store/store.ts';
import { openPostgresSchema, TEST_POSTGRES_URL } from '../../helpers/store.ts';
import { BuiltinCalendar, bookingsIcs, type BuiltinConfig } from '../../../src/tools/calendar/builtin.ts';
import { foldLine } from '../../../src/tools/calendar/ics.ts';
import { SlotUnavailableError, type CalendarCall } from '../../../src/tools/calendar/types.ts';

const call: CalendarCall = { signal: new AbortController().signal, trace: () => assert.fail('the built-in calendar makes no HTTP calls') };
const jan = { name: 'Jan Kowalski', email: 'jan@example.com', timeZone: 'Europe/Warsaw' };

function config(o: Partial<BuiltinConfig> = {}): BuiltinConfig {
  return { ...(Calendar.parse({ provider: 'builtin' }) as BuiltinConfig), minNoticeMinutes: 0, horizonDays: 60, ...o };
}

describe('built-in calendar', () => {
  let dir: string;
  let store: Store;
  let agents = 0;
  // One database several processes share: a SQLite file, or a Postgres schema (npm run test:postgres).
  let url: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-builtin-'));
    if (TEST_POSTGRES_URL) {
      store = await openPostgresSchema(TEST_POSTGRES_URL);
      const u = new URL(TEST_POSTGRES_URL);
      u.searchParams.set('schema', new URL(store.where).searchParams.get('schema')!);
      url = u.toString();
    } else {
      url = `file:${join(dir, 'parley.db')}`;
      store = await openStore(url);
    }
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // Each test books for its own agent, so tests share one store without seeing each other's bookings.
  const calendar = (timeZone: string, now: string, o: Partial<BuiltinConfig> = {}) =>
    new BuiltinCalendar({ agent: `agent-${++agents}`, timeZone, config: config(o), store, now: () => new Date(now) });
  const starts = async (c: BuiltinCalendar, from: string, to: string) => (await c.availability({ from, to, timeZone: 'UTC' }, call)).map((s) => s.start);

  describe('hours become slots in the business time zone', () => {
    it('keeps 09:00 at 09:00 in Warsaw across the March change to summer time', async () => {
      const c = calendar('Europe/Warsaw', '2026-03-20T00:00:00Z');
      const slots = await c.availability({ from: '2026-03-27T00:00:00Z', to: '2026-03-31T00:00:00Z', timeZone: 'UTC' }, call);
      const friday = slots.filter((s) => s.start.startsWith('2026-03-27'));
      const monday = slots.filter((s) => s.start.startsWith('2026-03-30'));
      assert.equal(friday[0].start, '2026-03-27T08:00:00Z'); // 09:00 CET (+01:00)
      assert.equal(friday.at(-1)!.end, '2026-03-27T16:00:00Z'); // closes 17:00 CET
      assert.equal(monday[0].start, '2026-03-30T07:00:00Z'); // 09:00 CEST (+02:00)
      assert.equal(monday.at(-1)!.end, '2026-03-30T15:00:00Z');
      assert.equal(friday.length, 16);
      assert.equal(monday.length, 16);
      assert.ok(!slots.some((s) => s.start.startsWith('2026-03-28') || s.start.startsWith('2026-03-29')), 'no weekend hours');
    });

    it('keeps 09:00 at 09:00 in Warsaw across the October change back to winter time', async () => {
      const c = calendar('Europe/Warsaw', '2026-10-15T00:00:00Z');
      const s = await starts(c, '2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z');
      assert.equal(s[0], '2026-10-23T07:00:00Z'); // Friday 09:00 CEST
      assert.ok(s.includes('2026-10-26T08:00:00Z'), 'Monday 09:00 CET');
      assert.ok(!s.includes('2026-10-26T07:00:00Z'), 'Monday 08:00 CET is before opening');
    });

    it('skips wall-clock times the spring-forward jump removes', async () => {
      const c = calendar('Europe/Warsaw', '2026-03-20T00:00:00Z', { hours: { sun: ['02:00-04:00'] } });
      // On 29 March 2026 Warsaw jumps from 02:00 to 03:00: only 03:00 and 03:30 exist.
      assert.deepEqual(await starts(c, '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'), ['2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z']);
    });

    it('follows New York’s own change date (8 March 2026)', async () => {
      const c = calendar('America/New_York', '2026-03-01T00:00:00Z', { hours: { fri: ['09:00-10:00'], mon: ['09:00-10:00'] } });
      assert.deepEqual(await starts(c, '2026-03-06T00:00:00Z', '2026-03-10T00:00:00Z'), [
        '2026-03-06T14:00:00Z', // 09:00 EST (-05:00)
        '2026-03-06T14:30:00Z',
        '2026-03-09T13:00:00Z', // 09:00 EDT (-04:00)
        '2026-03-09T13:30:00Z',
      ]);
    });

    it('offers nothing on closed dates', async () => {
      const c = calendar('Europe/Warsaw', '2026-11-30T00:00:00Z', { closedDates: ['2026-12-02'] });
      const s = await starts(c, '2026-12-01T00:00:00Z', '2026-12-04T00:00:00Z');
      assert.ok(s.some((x) => x.startsWith('2026-12-01')) && s.some((x) => x.startsWith('2026-12-03')));
      assert.ok(!s.some((x) => x.startsWith('2026-12-02')));
    });

    it('closes yearly days and a yearly range across New Year, every year', async () => {
      const c = calendar('Europe/Warsaw', '2026-12-20T00:00:00Z', { closedDates: ['12-24..12-26', '12-31..01-01', '2027-01-05'], hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['09:00-10:00']])), slotMinutes: 60, horizonDays: 400 });
      const days = new Set((await starts(c, '2026-12-21T00:00:00Z', '2027-01-08T00:00:00Z')).map((x) => x.slice(0, 10)));
      assert.deepEqual([...days], ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-27', '2026-12-28', '2026-12-29', '2026-12-30', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-06', '2027-01-07']);
      // The next year's holidays are closed too, without listing them.
      const next = new Set((await starts(c, '2027-12-23T00:00:00Z', '2028-01-03T00:00:00Z')).map((x) => x.slice(0, 10)));
      assert.deepEqual([...next], ['2027-12-23', '2027-12-27', '2027-12-28', '2027-12-29', '2027-12-30', '2028-01-02']);
    });

    it('gives slots of slotMinutes back to back, the last one ending at closing time', async () => {
      const c = calendar('UTC', '2026-11-30T00:00:00Z', { hours: { tue: ['09:00-10:40'] }, slotMinutes: 45 });
      const slots = await c.availability({ from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z', timeZone: 'UTC' }, call);
      assert.deepEqual(slots, [
        { start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:45:00Z' },
        { start: '2026-12-01T09:45:00Z', end: '2026-12-01T10:30:00Z' },
      ]);
    });
  });

  describe('booking rules', () => {
    it('keeps bufferMinutes clear on both sides of a booking', async () => {
      const c = calendar('UTC', '2026-11-30T00:00:00Z', { hours: { tue: ['09:00-12:00'] }, bufferMinutes: 15 });
      await c.book({ start: '2026-12-01T10:00:00Z', attendee: jan, idempotencyKey: 'k1' }, call);
      assert.deepEqual(await starts(c, '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z'), ['2026-12-01T09:00:00Z', '2026-12-01T11:00:00Z', '2026-12-01T11:30:00Z']);
      await assert.rejects(c.book({ start: '2026-12-01T10:30:00Z', attendee: jan, idempotencyKey: 'k2' }, call), SlotUnavailableError);
    });

    it('offers nothing sooner than minNoticeMinutes from now', async () => {
      const c = calendar('Europe/Warsaw', '2026-12-01T08:10:00Z', { minNoticeMinutes: 120 }); // 09:10 in Warsaw
      const s = await starts(c, '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z');
      assert.equal(s[0], '2026-12-01T10:30:00Z'); // 11:30 local: the first slot at or after 11:10
      await assert.rejects(c.book({ start: '2026-12-01T09:00:00Z', attendee: jan, idempotencyKey: 'k' }, call), SlotUnavailableError);
    });

    it('offers nothing beyond horizonDays', async () => {
      const c = calendar('UTC', '2026-12-01T12:00:00Z', { horizonDays: 2, hours: { mon: ['09:00-10:00'], tue: ['09:00-10:00'], wed: ['09:00-10:00'], thu: ['09:00-10:00'], fri: ['09:00-10:00'] } });
      const s = await starts(c, '2026-12-01T00:00:00Z', '2026-12-10T00:00:00Z');
      assert.deepEqual(s, ['2026-12-02T09:00:00Z', '2026-12-02T09:30:00Z', '2026-12-03T09:00:00Z', '2026-12-03T09:30:00Z']);
      await assert.rejects(c.book({ start: '2026-12-04T09:00:00Z', attendee: jan, idempotencyKey: 'k' }, call), SlotUnavailableError);
    });

    it('refuses a time that is not on the slot grid', async () => {
      const c = calendar('UTC', '2026-11-30T00:00:00Z');
      await assert.rejects(c.book({ start: '2026-12-01T09:10:00Z', attendee: jan, idempotencyKey: 'k' }, call), SlotUnavailableError);
      await assert.rejects(c.book({ start: '2026-12-01T03:00:00Z', attendee: jan, idempotencyKey: 'k' }, call), SlotUnavailableError);
    });

    it('gives the last slot to exactly one of two conversations booking it at once', async () => {
      const c = calendar('UTC', '2026-11-30T00:00:00Z', { hours: { tue: ['09:00-09:30'] } });
      const anna = { name: 'Anna Nowak', email: 'anna@example.com', timeZone: 'Europe/Berlin' };
      const results = await Promise.allSettled([
        c.book({ start: '2026-12-01T09:00:00Z', attendee: jan, idempotencyKey: 'conv-a', conversationId: 'conv-a' }, call),
        c.book({ start: '2026-12-01T09:00:00Z', attendee: anna, idempotencyKey: 'conv-b', conversationId: 'conv-b' }, call),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected');
      assert.ok(lost?.reason instanceof SlotUnavailableError);
      assert.deepEqual(await starts(c, '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z'), []);
    });

    it('gives one slot to exactly one of two processes sharing the database', async () => {
      // Two Parley nodes on one database: each books the same slot for its own caller.
      const src = (f: string) => pathToFileURL(join(import.meta.dirname, '../../../src', f)).href;
      const child = `
        import { createInterface } from 'node:readline';
        import { openStore } from ${JSON.stringify(src('store/store.ts'))};
        import { BuiltinCalendar } from ${JSON.stringify(src('tools/calendar/builtin.ts'))};
        const [file, who, config] = process.argv.slice(1);
        const store = await openStore(file);
        const c = new BuiltinCalendar({ agent: 'two-nodes', timeZone: 'UTC', config: JSON.parse(config), store, now: () => new Date('2026-11-30T00:00:00Z') });
        const call = { signal: new AbortController().signal, trace() {} };
        const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
        console.log('ready');
        await lines.next();
        try {
          const b = await c.book({ start: '2026-12-01T09:00:00Z', attendee: { name: who, email: who + '@example.com', timeZone: 'UTC' }, idempotencyKey: who }, call);
          console.log(JSON.stringify({ ok: true, id: b.id }));
        } catch (e) {
          console.log(JSON.stringify({ ok: false, name: e.name, message: e.message }));
        }
        await store.close();
        process.exit(0);`;
      const file = url;
      const nodes = ['node-a', 'node-b'].map((who) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', child, file, who, JSON.stringify(config({ hours: { tue: ['09:00-09:30'] } }))], { stdio: ['pipe', 'pipe', 'inherit'] });
        const lines = createInterface({ input: p.stdout })[Symbol.asyncIterator]();
        return { p, lines };
      });
      for (const n of nodes) assert.equal((await n.lines.next()).value, 'ready');
      for (const n of nodes) n.p.stdin.write('go\n');
      const results = await Promise.all(nodes.map(async (n) => JSON.parse((await n.lines.next()).value as string) as { ok: boolean; name?: string }));
      assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
      assert.equal(results.find((r) => !r.ok)?.name, 'SlotUnavailableError');
      const rows = await store.db.selectFrom('bookings').select('id').where('agent', '=', 'two-nodes').execute();
      assert.equal(rows.length, 1);
    });

    it('relies on the database too: a second row for the same agent and start is refused', async () => {
      const row = { agent: 'db-agent', conversation_id: null, start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:30:00Z', attendee: '{}', notes: null, status: 'confirmed', created_at: '2026-11-30T00:00:00Z' };
      await store.db.insertInto('bookings').values({ ...row, id: 'b1', idempotency_key: 'k1' }).execute();
      await assert.rejects(store.db.insertInto('bookings').values({ ...row, id: 'b2', idempotency_key: 'k2' }).execute(), /UNIQUE|unique constraint/i);
      await assert.rejects(store.db.insertInto('bookings').values({ ...row, id: 'b3', start: '2026-12-01T10:00:00Z', idempotency_key: 'k1' }).execute(), /UNIQUE|unique constraint/i);
      await store.db.insertInto('bookings').values({ ...row, id: 'b4', agent: 'other-agent', idempotency_key: 'k1' }).execute();
      // A cancelled booking frees its slot.
      await store.db.updateTable('bookings').set({ status: 'cancelled' }).where('id', '=', 'b1').execute();
      await store.db.insertInto('bookings').values({ ...row, id: 'b5', idempotency_key: 'k5' }).execute();
    });

    it('returns the existing booking for a repeated idempotency key, even for another time', async () => {
      const c = calendar('UTC', '2026-11-30T00:00:00Z');
      const first = await c.book({ start: '2026-12-01T09:00:00Z', attendee: jan, idempotencyKey: 'conv-1:book' }, call);
      const again = await c.book({ start: '2026-12-01T11:00:00Z', attendee: jan, idempotencyKey: 'conv-1:book' }, call);
      assert.deepEqual(again, first);
    });
  });

  describe('iCalendar feed', () => {
    it('lists the agent’s bookings as RFC 5545 events', async () => {
      const c = new BuiltinCalendar({ agent: 'ics-agent', timeZone: 'Europe/Warsaw', config: config(), store, now: () => new Date('2026-11-30T10:00:00Z') });
      await c.book({ start: '2026-12-02T08:00:00Z', attendee: { name: 'Kowalski, Jan; "JK"', email: 'jan@example.com', timeZone: 'Europe/Warsaw', company: 'Żółć Sp. z o.o.' }, notes: 'Wants to automate invoices\nand reminders; budget, 5k. '.repeat(4), idempotencyKey: 'a' }, call);
      await c.book({ start: '2026-12-01T13:00:00Z', attendee: { name: 'Anna Nowak', email: 'anna@example.com', timeZone: 'Europe/Berlin' }, idempotencyKey: 'b' }, call);
      const ics = await bookingsIcs(store, 'ics-agent', { signal: new AbortController().signal });

      assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:'));
      assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
      assert.ok(!/[^\r]\n/.test(ics), 'every line ends in CRLF');
      for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `line over 75 octets: ${line}`);

      const unfolded = ics.replace(/\r\n[ \t]/g, '');
      const events = unfolded.split('BEGIN:VEVENT').slice(1);
      assert.equal(events.length, 2);
      assert.match(events[0], /\r\nDTSTART:20261201T130000Z\r\nDTEND:20261201T133000Z\r\n/, 'ordered by start');
      assert.match(events[1], /\r\nDTSTART:20261202T080000Z\r\nDTEND:20261202T083000Z\r\n/);
      for (const e of events) {
        assert.match(e, /\r\nUID:[0-9a-f-]{36}@parley\r\n/);
        assert.match(e, /\r\nDTSTAMP:20261130T100000Z\r\n/);
        assert.match(e, /\r\nEND:VEVENT\r\n/);
      }
      assert.match(events[1], /\r\nSUMMARY:Call with Kowalski\\, Jan\\; "JK" \(Żółć Sp\. z o\.o\.\)\r\n/);
      assert.match(events[1], /\r\nATTENDEE;CN="Kowalski, Jan; JK";ROLE=REQ-PARTICIPANT:mailto:jan@example\.com\r\n/);
      assert.match(events[1], /\r\nDESCRIPTION:jan@example\.com\\, Żółć Sp\. z o\.o\.\\nWants to automate invoices\\nand reminders\\; budget\\, 5k\. /);
      assert.ok(!(await bookingsIcs(store, 'nobody', { signal: new AbortController().signal })).includes('BEGIN:VEVENT'));
    });

    it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
      const line = `SUMMARY:${'ż'.repeat(60)}`; // 8 + 120 octets
      const parts = foldLine(line).split('\r\n');
      assert.ok(parts.length > 1);
      for (const p of parts) assert.ok(Buffer.byteLength(p) <= 75);
      assert.ok(parts.slice(1).every((p) => p.startsWith(' ')));
      assert.equal(parts.map((p, i) => (i ? p.slice(1) : p)).join(''), line);
    });
  });
});
