import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MissingSecretError } from '../../../src/agent/secrets.ts';
import { CalcomCalendar, type CalcomConfig } from '../../../src/tools/calendar/calcom.ts';
import { SlotUnavailableError, type CalendarCall, type HttpExchange } from '../../../src/tools/calendar/types.ts';
import { startFakeCalcom, type FakeCalcomOptions } from '../../../src/testing/calcom.ts';

const KEY = 'cal_live_0123456789abcdef';
const now = () => new Date('2026-12-01T08:00:00Z');
const jan = { name: 'Jan Kowalski', email: 'jan@example.com', timeZone: 'Europe/Warsaw', company: 'Acme', phone: '+48 600 100 200' };

function recording(): { call: CalendarCall; traces: HttpExchange[] } {
  const traces: HttpExchange[] = [];
  return { call: { signal: new AbortController().signal, trace: (e) => traces.push(e) }, traces };
}

describe('cal.com calendar', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });
  async function setup(o: Partial<FakeCalcomOptions> = {}, c: Partial<CalcomConfig> = {}, language?: string) {
    const fake = await startFakeCalcom({ slots: ['2026-12-02T09:00:00Z', '2026-12-02T09:30:00Z'], apiKey: KEY, ...o });
    closers.push(fake.close);
    const config: CalcomConfig = { provider: 'calcom', apiKey: '${CALCOM_API_KEY}', eventTypeId: fake.eventTypeId, baseURL: fake.url, ...c };
    return { fake, calendar: new CalcomCalendar({ config, env: { CALCOM_API_KEY: KEY }, now, language }) };
  }

  it('asks for slots with the documented query and headers', async () => {
    const { fake, calendar } = await setup();
    const { call, traces } = recording();
    const slots = await calendar.availability({ from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z', timeZone: 'America/New_York' }, call);
    assert.deepEqual(slots, [
      { start: '2026-12-02T09:00:00Z', end: '2026-12-02T09:30:00Z' },
      { start: '2026-12-02T09:30:00Z', end: '2026-12-02T10:00:00Z' },
    ]);
    const [req] = fake.requests;
    assert.equal(req.method, 'GET');
    assert.equal(req.path, '/v2/slots');
    assert.deepEqual(req.query, { eventTypeId: String(fake.eventTypeId), start: '2026-12-02T00:00:00Z', end: '2026-12-03T00:00:00Z', timeZone: 'America/New_York', format: 'range' });
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    assert.equal(req.headers['cal-api-version'], '2024-09-04');
    assert.equal(traces[0].request.headers.authorization, 'Bearer ${CALCOM_API_KEY}');
    assert.equal(traces[0].request.headers['cal-api-version'], '2024-09-04');
  });

  it('asks from now when the range starts in the past', async () => {
    const { fake, calendar } = await setup();
    await calendar.availability({ from: '2026-11-01T00:00:00Z', to: '2026-12-03T00:00:00Z', timeZone: 'UTC' }, recording().call);
    assert.equal(fake.requests[0].query.start, '2026-12-01T08:00:00Z');
    assert.deepEqual(await calendar.availability({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', timeZone: 'UTC' }, recording().call), []);
    assert.equal(fake.requests.length, 1, 'a range wholly in the past is not asked for');
  });

  it('books with the documented body and headers', async () => {
    const { fake, calendar } = await setup({}, {}, 'pl-PL');
    const { call, traces } = recording();
    const booking = await calendar.book({ start: '2026-12-02T09:00:00.000Z', attendee: jan, notes: 'Invoices take too long.', idempotencyKey: 'conv-1:call-7' }, call);
    const req = fake.requests[0];
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v2/bookings');
    assert.equal(req.headers['cal-api-version'], '2024-08-13');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(req.body, {
      start: '2026-12-02T09:00:00Z',
      eventTypeId: fake.eventTypeId,
      attendee: { name: 'Jan Kowalski', email: 'jan@example.com', timeZone: 'Europe/Warsaw', language: 'pl' },
      metadata: { parleyIdempotencyKey: 'conv-1:call-7', company: 'Acme', phone: '+48 600 100 200' },
      bookingFieldsResponses: { notes: 'Invoices take too long.' },
    });
    assert.deepEqual(booking, { id: fake.bookings[0].uid, start: '2026-12-02T09:00:00Z', end: '2026-12-02T09:30:00Z', status: 'confirmed' });
    assert.deepEqual(traces[0].request.body, req.body);
    assert.equal(traces[0].request.headers.authorization, 'Bearer ${CALCOM_API_KEY}');
  });

  it('leaves out a language cal.com does not know, and notes when there are none', async () => {
    const { fake, calendar } = await setup({}, {}, 'tlh');
    await calendar.book({ start: '2026-12-02T09:00:00Z', attendee: { name: 'Worf', email: 'worf@example.com', timeZone: 'UTC' }, idempotencyKey: 'k' }, recording().call);
    const body = fake.requests[0].body as Record<string, Record<string, unknown>>;
    assert.equal(body.attendee.language, undefined);
    assert.equal(body.bookingFieldsResponses, undefined);
  });

  it('reports a booking waiting for the host as pending', async () => {
    const { calendar } = await setup({ requiresConfirmation: true });
    const booking = await calendar.book({ start: '2026-12-02T09:00:00Z', attendee: jan, idempotencyKey: 'k' }, recording().call);
    assert.equal(booking.status, 'pending');
  });

  it('reads the event length once when the server sends start times only', async () => {
    const { fake, calendar } = await setup({ startsOnly: true, lengthMinutes: 45 });
    const q = { from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z', timeZone: 'UTC' };
    assert.deepEqual((await calendar.availability(q, recording().call))[0], { start: '2026-12-02T09:00:00Z', end: '2026-12-02T09:45:00Z' });
    await calendar.availability(q, recording().call);
    const lookups = fake.requests.filter((r) => r.path === `/v2/event-types/${fake.eventTypeId}`);
    assert.equal(lookups.length, 1);
    assert.equal(lookups[0].headers['cal-api-version'], '2024-06-14');
  });

  it('turns a taken slot into SlotUnavailableError and other refusals into errors with cal.com’s words', async () => {
    const { fake, calendar } = await setup();
    fake.take('2026-12-02T09:00:00Z');
    await assert.rejects(calendar.book({ start: '2026-12-02T09:00:00Z', attendee: jan, idempotencyKey: 'a' }, recording().call), SlotUnavailableError);
    await assert.rejects(calendar.book({ start: '2026-12-02T09:30:00Z', attendee: { ...jan, email: 'not an email' }, idempotencyKey: 'b' }, recording().call), (e: Error) => {
      assert.ok(!(e instanceof SlotUnavailableError));
      assert.match(e.message, /HTTP 400.*Invalid email format/);
      return true;
    });
    // The failed attempt is not remembered: the same key may try again.
    const ok = await calendar.book({ start: '2026-12-02T09:30:00Z', attendee: jan, idempotencyKey: 'b' }, recording().call);
    assert.equal(ok.status, 'confirmed');
  });

  it('says what is wrong with the key, and names a missing one', async () => {
    const { fake } = await setup();
    const config: CalcomConfig = { provider: 'calcom', apiKey: '${CALCOM_API_KEY}', eventTypeId: fake.eventTypeId, baseURL: fake.url };
    const wrong = new CalcomCalendar({ config, env: { CALCOM_API_KEY: 'cal_live_wrong' }, now });
    const q = { from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z', timeZone: 'UTC' };
    await assert.rejects(wrong.availability(q, recording().call), /HTTP 401.*Invalid API Key/);
    const missing = new CalcomCalendar({ config, env: {}, now });
    await assert.rejects(missing.availability(q, recording().call), (e: unknown) => e instanceof MissingSecretError && e.variable === 'CALCOM_API_KEY');
  });

  it('records an unreachable server as an error exchange, and stops when the conversation does', async () => {
    const { fake, calendar } = await setup();
    await fake.close();
    const { call, traces } = recording();
    const q = { from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z', timeZone: 'UTC' };
    await assert.rejects(calendar.availability(q, call), /could not reach 127\.0\.0\.1/);
    assert.equal(traces.length, 1);
    assert.ok('error' in traces[0].response);
    assert.equal(traces[0].request.headers.authorization, 'Bearer ${CALCOM_API_KEY}');
    const stopped = new AbortController();
    stopped.abort();
    await assert.rejects(calendar.availability(q, { signal: stopped.signal, trace: () => {} }), { name: 'AbortError' });
  });

  it('shows a key written straight into agent.yaml as redacted', async () => {
    const { fake } = await setup();
    const config: CalcomConfig = { provider: 'calcom', apiKey: KEY, eventTypeId: fake.eventTypeId, baseURL: fake.url };
    const { call, traces } = recording();
    await new CalcomCalendar({ config, env: {}, now }).availability({ from: '2026-12-02T00:00:00Z', to: '2026-12-03T00:00:00Z', timeZone: 'UTC' }, call);
    assert.equal(traces[0].request.headers.authorization, 'Bearer [redacted]');
    assert.ok(!JSON.stringify(traces).includes(KEY));
  });
});
