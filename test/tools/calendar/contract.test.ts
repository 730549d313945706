// One suite every calendar provider must pass: the built-in calendar on a real SQLite store,
// cal.com and Calendly against their protocol-faithful fakes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AgentFile, type AgentFileInput } from '../../../src/agent/schema.ts';
import { openStore } from '../../../src/store/store.ts';
import { calendarFor, SlotUnavailableError, type CalendarCall, type CalendarProvider, type HttpExchange } from '../../../src/tools/calendar/index.ts';
import { startFakeCalcom, startFakeCalendly } from '../../../src/testing/index.ts';

const NOW = new Date('2026-12-01T08:00:00Z'); // Tuesday, 09:00 in Warsaw
const now = () => NOW;
const FROM = '2026-11-30T00:00:00Z'; // starts in the past on purpose
const TO = '2026-12-04T00:00:00Z';
const ZONE = 'Europe/Warsaw';
// Open times the vendor fakes know about: unsorted, some in the past, one beyond the range.
const VENDOR_TIMES = ['2026-12-02T09:00:00Z', '2026-11-30T09:00:00Z', '2026-12-01T12:00:00Z', '2026-12-03T15:30:00Z', '2026-12-02T10:00:00Z', '2026-12-20T09:00:00Z', '2026-12-01T07:00:00Z'];
const attendee = { name: 'Jan Kowalski', email: 'jan@example.com', timeZone: 'Europe/Warsaw', company: 'Acme' };

/** One provider under test, with what the suite needs to look behind it. */
interface Subject {
  provider: CalendarProvider;
  /** Secret values that must never appear in a trace. */
  secrets: string[];
  /** How the Authorization header must appear in the record (HTTP providers). */
  shownAuthorization?: string;
  /** Requests the vendor received so far (HTTP providers). */
  requestsSeen?: () => number;
  bookingCount(): Promise<number>;
  close(): Promise<void>;
}

function agentWith(calendar: AgentFileInput['calendar']) {
  return { name: 'contract-agent', config: AgentFile.parse({ persona: { prompt: 'You book calls.', firstMessage: 'Hi.' }, timeZone: ZONE, calendar }) };
}

const subjects: [string, () => Promise<Subject>][] = [
  [
    'builtin',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-calendar-'));
      const store = await openStore(`file:${join(dir, 'parley.db')}`);
      const provider = calendarFor(agentWith({ provider: 'builtin' }), { store, env: {}, now })!;
      return {
        provider,
        secrets: [],
        bookingCount: async () => (await store.db.selectFrom('bookings').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
        close: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'calcom',
    async () => {
      const apiKey = 'cal_live_5ecret0123456789';
      const fake = await startFakeCalcom({ slots: VENDOR_TIMES, apiKey });
      const env = { CALCOM_API_KEY: apiKey };
      const provider = calendarFor(agentWith({ provider: 'calcom', eventTypeId: fake.eventTypeId, baseURL: fake.url }), { store: undefined as never, env, now })!;
      return {
        provider,
        secrets: [apiKey],
        shownAuthorization: 'Bearer ${CALCOM_API_KEY}',
        requestsSeen: () => fake.requests.length,
        bookingCount: async () => fake.bookings.length,
        close: fake.close,
      };
    },
  ],
  [
    'calendly',
    async () => {
      const token = 'eyJraWQiOiJjYWxlbmRseS1zZWNyZXQ';
      const fake = await startFakeCalendly({ availableTimes: VENDOR_TIMES, token, now });
      const env = { CALENDLY_TOKEN: token };
      const provider = calendarFor(agentWith({ provider: 'calendly', eventType: fake.eventType, baseURL: fake.url }), { store: undefined as never, env, now })!;
      return {
        provider,
        secrets: [token],
        shownAuthorization: 'Bearer ${CALENDLY_TOKEN}',
        requestsSeen: () => fake.requests.length,
        bookingCount: async () => fake.invitees.length,
        close: fake.close,
      };
    },
  ],
];

function recordingCall(): { call: CalendarCall; traces: HttpExchange[] } {
  const traces: HttpExchange[] = [];
  return { call: { signal: new AbortController().signal, trace: (e) => traces.push(e) }, traces };
}

async function using(make: () => Promise<Subject>, body: (s: Subject) => Promise<void>): Promise<void> {
  const subject = await make();
  try {
    await body(subject);
  } finally {
    await subject.close();
  }
}

for (const [name, make] of subjects) {
  describe(`calendar contract: ${name}`, () => {
    it('offers only future slots inside the range, sorted, as UTC instants', () =>
      using(make, async ({ provider }) => {
        const { call } = recordingCall();
        const slots = await provider.availability({ from: FROM, to: TO, timeZone: ZONE }, call);
        assert.ok(slots.length >= 3, `expected some slots, got ${slots.length}`);
        for (const s of slots) {
          assert.match(s.start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
          assert.match(s.end, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
          assert.ok(Date.parse(s.start) > NOW.getTime(), `${s.start} is not in the future`);
          assert.ok(Date.parse(s.start) >= Date.parse(FROM) && Date.parse(s.start) < Date.parse(TO), `${s.start} is outside the range`);
          assert.ok(Date.parse(s.end) > Date.parse(s.start));
        }
        const starts = slots.map((s) => s.start);
        assert.deepEqual(starts, [...new Set(starts)].sort(), 'slots are sorted and unique');
      }));

    it('books an offered slot, confirms it, and no longer offers it', () =>
      using(make, async ({ provider }) => {
        const { call } = recordingCall();
        const [slot] = await provider.availability({ from: FROM, to: TO, timeZone: ZONE }, call);
        const booking = await provider.book({ start: slot.start, attendee, notes: 'Invoices take too long.', idempotencyKey: 'conv-1:book' }, call);
        assert.equal(booking.status, 'confirmed');
        assert.equal(booking.start, slot.start);
        assert.equal(booking.end, slot.end);
        assert.ok(booking.id);
        const after = await provider.availability({ from: FROM, to: TO, timeZone: ZONE }, call);
        assert.ok(!after.some((s) => s.start === slot.start), 'the booked slot is still offered');
        assert.ok(after.length > 0, 'the other slots are still offered');
      }));

    it('refuses a slot someone else booked with SlotUnavailableError', () =>
      using(make, async ({ provider, bookingCount }) => {
        const { call } = recordingCall();
        const [slot] = await provider.availability({ from: FROM, to: TO, timeZone: ZONE }, call);
        await provider.book({ start: slot.start, attendee, idempotencyKey: 'conv-1:book' }, call);
        const other = { name: 'Anna Nowak', email: 'anna@example.com', timeZone: 'Europe/Berlin' };
        await assert.rejects(provider.book({ start: slot.start, attendee: other, idempotencyKey: 'conv-2:book' }, call), SlotUnavailableError);
        assert.equal(await bookingCount(), 1);
      }));

    it('makes one booking for one idempotency key, however often it is sent', () =>
      using(make, async ({ provider, bookingCount }) => {
        const { call } = recordingCall();
        const [first, second] = await provider.availability({ from: FROM, to: TO, timeZone: ZONE }, call);
        const a = await provider.book({ start: first.start, attendee, idempotencyKey: 'conv-1:book' }, call);
        const again = await provider.book({ start: first.start, attendee, idempotencyKey: 'conv-1:book' }, call);
        assert.deepEqual(again, a);
        // Sent twice at once (a retried tool call racing the original).
        const [x, y] = await Promise.all([
          provider.book({ start: second.start, attendee, idempotencyKey: 'conv-2:book' }, call),
          provider.book({ start: second.start, attendee, idempotencyKey: 'conv-2:book' }, call),
        ]);
        assert.deepEqual(x, y);
        assert.equal(await bookingCount(), 2);
      }));

    it('traces every HTTP exchange with its request and raw response, never the secret', () =>
      using(make, async ({ provider, secrets, shownAuthorization, requestsSeen }) => {
        const { call, traces } = recordingCall();
        const [slot] = await provider.availability({ from: FROM, to: TO, timeZone: ZONE }, call);
        await provider.book({ start: slot.start, attendee, idempotencyKey: 'conv-1:book' }, call);
        await assert.rejects(provider.book({ start: slot.start, attendee, idempotencyKey: 'conv-2:book' }, call), SlotUnavailableError);
        if (!requestsSeen) return assert.equal(traces.length, 0, 'the built-in calendar makes no HTTP calls');
        assert.equal(traces.length, requestsSeen(), 'one trace per request the vendor received');
        for (const t of traces) {
          assert.ok(t.request.method === 'GET' || t.request.method === 'POST');
          assert.match(t.request.url, /^http:\/\/127\.0\.0\.1:\d+\//);
          assert.equal(t.request.headers.authorization, shownAuthorization);
          assert.ok('status' in t.response, 'a response, not a network error');
          assert.ok(t.response.body !== undefined && t.response.body !== null);
        }
        assert.ok(traces.some((t) => t.request.method === 'POST' && t.request.body), 'the booking request body is recorded');
        assert.ok(traces.some((t) => 'status' in t.response && t.response.status >= 400), 'the refusal is recorded too');
        const recorded = JSON.stringify(traces);
        for (const secret of secrets) assert.ok(!recorded.includes(secret), 'a secret leaked into the trace');
      }));
  });
}
