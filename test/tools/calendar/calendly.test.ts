import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { MissingSecretError } from '../../../src/agent/secrets.ts';
import { CalendlyCalendar, windows, type CalendlyConfig } from '../../../src/tools/calendar/calendly.ts';
import { SlotUnavailableError, type CalendarCall, type HttpExchange } from '../../../src/tools/calendar/types.ts';
import { startFakeCalendly, type FakeCalendlyOptions } from '../../../src/testing/calendly.ts';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.calendly-token';
const NOW = new Date('2026-12-01T08:00:00Z');
const now = () => NOW;
const jan = { name: 'Jan Kowalski', email: 'jan@example.com', timeZone: 'Europe/Warsaw', phone: '+48600100200' };

function recording(): { call: CalendarCall; traces: HttpExchange[] } {
  const traces: HttpExchange[] = [];
  return { call: { signal: new AbortController().signal, trace: (e) => traces.push(e) }, traces };
}

describe('Calendly calendar', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });
  async function setup(o: Partial<FakeCalendlyOptions> = {}, env: NodeJS.ProcessEnv = { CALENDLY_TOKEN: TOKEN }) {
    const fake = await startFakeCalendly({ availableTimes: ['2026-12-02T09:00:00Z', '2026-12-09T09:00:00Z', '2026-12-15T09:00:00Z'], token: TOKEN, now, ...o });
    closers.push(fake.close);
    const config: CalendlyConfig = { provider: 'calendly', token: '${CALENDLY_TOKEN}', eventType: fake.eventType, baseURL: fake.url };
    return { fake, calendar: new CalendlyCalendar({ config, env, now }) };
  }

  it('asks for a long range in back-to-back windows of at most 7 days', async () => {
    const { fake, calendar } = await setup();
    const { call, traces } = recording();
    const slots = await calendar.availability({ from: '2026-12-01T00:00:00Z', to: '2026-12-18T00:00:00Z', timeZone: 'Europe/Warsaw' }, call);
    assert.deepEqual(slots, [
      { start: '2026-12-02T09:00:00Z', end: '2026-12-02T09:30:00Z' },
      { start: '2026-12-09T09:00:00Z', end: '2026-12-09T09:30:00Z' },
      { start: '2026-12-15T09:00:00Z', end: '2026-12-15T09:30:00Z' },
    ]);
    const asked = fake.requests.filter((r) => r.path === '/event_type_available_times').map((r) => r.query);
    assert.equal(asked.length, 3);
    // The first window starts just after now (Calendly refuses the past), the last ends at `to`.
    assert.equal(asked[0].start_time, '2026-12-01T08:00:30Z');
    assert.equal(asked.at(-1)!.end_time, '2026-12-18T00:00:00Z');
    for (const [i, q] of asked.entries()) {
      assert.equal(q.event_type, fake.eventType);
      assert.ok(Date.parse(q.end_time) - Date.parse(q.start_time) <= 7 * 86_400_000);
      if (i > 0) assert.equal(q.start_time, asked[i - 1].end_time, 'windows are contiguous');
    }
    assert.equal(fake.requests.filter((r) => r.path.startsWith('/event_types/')).length, 1, 'the event type is read once');
    assert.ok(traces.every((t) => t.request.headers.authorization === 'Bearer ${CALENDLY_TOKEN}'));
  });

  it('splits exactly at 7 days', () => {
    const from = Temporal.Instant.from('2026-12-01T00:00:00Z');
    assert.equal(windows(from, Temporal.Instant.from('2026-12-08T00:00:00Z'), 7).length, 1);
    assert.deepEqual(
      windows(from, Temporal.Instant.from('2026-12-08T00:00:01Z'), 7).map(([s, e]) => [s.toString(), e.toString()]),
      [['2026-12-01T00:00:00Z', '2026-12-08T00:00:00Z'], ['2026-12-08T00:00:00Z', '2026-12-08T00:00:01Z']],
    );
  });

  it('books through the Scheduling API with the documented body', async () => {
    const { fake, calendar } = await setup();
    const booking = await calendar.book({ start: '2026-12-02T09:00:00Z', attendee: jan, notes: 'ignored by Calendly', idempotencyKey: 'k' }, recording().call);
    const req = fake.requests.find((r) => r.path === '/invitees')!;
    assert.equal(req.method, 'POST');
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(req.body, {
      event_type: fake.eventType,
      start_time: '2026-12-02T09:00:00Z',
      invitee: { name: 'Jan Kowalski', email: 'jan@example.com', timezone: 'Europe/Warsaw', text_reminder_number: '+48600100200' },
    });
    assert.equal(booking.id, fake.invitees[0].uri);
    assert.equal(booking.status, 'confirmed');
    assert.equal(booking.end, '2026-12-02T09:30:00Z');
    assert.match(booking.url ?? '', /^https:\/\/calendly\.com\/reschedulings\//);
  });

  it('falls back to a single-use scheduling link when the account cannot book directly', async () => {
    const { fake, calendar } = await setup({ allowDirectBooking: false });
    const { call, traces } = recording();
    const booking = await calendar.book({ start: '2026-12-02T09:00:00Z', attendee: jan, idempotencyKey: 'conv-1:book' }, call);
    assert.equal(booking.status, 'link');
    assert.equal(booking.url, fake.schedulingLinks[0]);
    assert.equal(fake.invitees.length, 0);
    const link = fake.requests.find((r) => r.path === '/scheduling_links')!;
    assert.deepEqual(link.body, { max_event_count: 1, owner: fake.eventType, owner_type: 'EventType' });
    assert.deepEqual(
      traces.map((t) => [t.request.method, new URL(t.request.url).pathname, 'status' in t.response ? t.response.status : 0]),
      [['GET', '/event_types/ETFAKE0000000001', 200], ['POST', '/invitees', 403], ['POST', '/scheduling_links', 201]],
    );
    // The same key again: the same link, no new requests.
    const seen = fake.requests.length;
    assert.deepEqual(await calendar.book({ start: '2026-12-02T09:00:00Z', attendee: jan, idempotencyKey: 'conv-1:book' }, call), booking);
    assert.equal(fake.requests.length, seen);
  });

  it('turns a taken time into SlotUnavailableError', async () => {
    const { fake, calendar } = await setup();
    fake.take('2026-12-02T09:00:00Z');
    await assert.rejects(calendar.book({ start: '2026-12-02T09:00:00Z', attendee: jan, idempotencyKey: 'k' }, recording().call), SlotUnavailableError);
    assert.equal(fake.schedulingLinks.length, 0, 'a taken time is not a reason for a link');
  });

  it('says what is wrong with the token, and names a missing one', async () => {
    const wrong = (await setup({}, { CALENDLY_TOKEN: 'not-the-token' })).calendar;
    const q = { from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z', timeZone: 'UTC' };
    await assert.rejects(wrong.availability(q, recording().call), /HTTP 401.*Unauthenticated/);
    const missing = (await setup({}, {})).calendar;
    await assert.rejects(missing.book({ start: '2026-12-02T09:00:00Z', attendee: jan, idempotencyKey: 'k' }, recording().call), (e: unknown) => e instanceof MissingSecretError && e.variable === 'CALENDLY_TOKEN');
  });
});
