import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import { cancelSignature } from '../../src/events/booking-links.ts';
import { emailSender } from '../../src/events/mail.ts';
import { buildServer } from '../../src/server/app.ts';
import { Outbox } from '../../src/store/outbox.ts';
import { BuiltinCalendar, builtinBooking, type BuiltinConfig } from '../../src/tools/calendar/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { leaves, startSmtpServer, type ReceivedMail } from '../helpers/smtp.ts';
import { serverFixture } from '../server/helpers.ts';

// Email through a real SMTP server: a built-in booking sends the caller an invitation calendar
// apps accept and the owner a notice; the signed link opens a page whose POST cancels, frees the
// slot and sends METHOD:CANCEL with the same UID and SEQUENCE + 1. Hostile callers and links too.

const LINK_SECRET = 'link-secret-for-tests-0123456789';
const OWNER = 'owner@acme.example';
const NOW = Date.parse('2027-01-11T08:00:00Z'); // a Monday, 09:00 in Warsaw

function calendarPart(m: ReceivedMail) {
  const part = leaves(m.message).find((p) => p.contentType === 'text/calendar');
  assert.ok(part, 'the message has a text/calendar part');
  const cal = new ICAL.Component(ICAL.parse(part.body));
  const ev = cal.getFirstSubcomponent('vevent')!;
  return { method: part.params.method, cal, ev, raw: part.body };
}

function text(m: ReceivedMail): string {
  return leaves(m.message).find((p) => p.contentType === 'text/plain')!.body.replace(/\r\n/g, '\n');
}

describe('email: invitations, cancellation, the owner\'s notices', () => {
  const fx = serverFixture();
  let app: FastifyInstance;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const clock = { now: NOW };
  let calendar: BuiltinCalendar;

  before(async () => {
    smtp = await startSmtpServer();
    const dir = tempDir('parley-email-');
    mkdirSync(join(dir, 'shop'));
    writeFileSync(
      join(dir, 'shop', 'agent.yaml'),
      [
        'name: shop',
        'description: Acme Plumbing',
        'persona: { prompt: You are a test agent., firstMessage: Hello. }',
        'knowledge: { sources: [], strict: false }',
        'timeZone: Europe/Warsaw',
        `calendar: { provider: builtin, ownerEmail: ${OWNER} }`,
        'events: { email: { leads: true } }',
        '',
      ].join('\n'),
    );
    const env = { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SMTP_URL: smtp.url, PARLEY_MAIL_FROM: 'Acme Plumbing <bookings@acme.example>', PARLEY_LINK_SECRET: LINK_SECRET, PARLEY_PUBLIC_URL: 'https://voice.acme.example', PARLEY_ADMIN_TOKEN: 'admin-token-for-email-tests-0123' };
    app = fx.track(await buildServer({ agentsDir: dir, store: fx.store, mode: 'serve', env, now: () => clock.now, events: { run: false, now: () => clock.now } }));
    if (!app.parley.agents.get('shop')) throw new Error(JSON.stringify(app.parley.agents.problems()));
    const config = app.parley.agents.get('shop')!.agent.config.calendar as BuiltinConfig;
    calendar = new BuiltinCalendar({ agent: 'shop', timeZone: 'Europe/Warsaw', config, store: fx.store, now: () => new Date(clock.now) });
  });
  after(() => smtp.close());

  /** Books through the built-in calendar and reports it as book_call does. */
  async function book(start: string, attendee: { name: string; email: string; company?: string }, key: string) {
    const full = { ...attendee, timeZone: 'America/New_York' };
    const booking = await calendar.book({ start, attendee: full, idempotencyKey: key, conversationId: `conv-${key}` }, { signal: AbortSignal.timeout(5000), trace: () => {} });
    app.parley.events.observe('shop', `conv-${key}`, { type: 'booking.made', at: new Date(clock.now).toISOString(), booking: { ...booking, provider: 'builtin', attendee: full, timeZone: 'Europe/Warsaw' } }, {});
    await app.parley.events.idle();
    return booking;
  }

  it('a booking emails the caller an invitation calendar apps accept, and the owner a notice', async () => {
    const booking = await book('2027-01-12T08:00:00Z', { name: 'Jane Doe', email: 'jane@example.com', company: 'Initech' }, 'k1');
    assert.deepEqual(await app.parley.events.deliverer.round(), { attempted: 2, delivered: 2 });
    const [a, b] = smtp.received.slice(-2);
    const invite = a.to[0] === 'jane@example.com' ? a : b;
    const notice = invite === a ? b : a;
    assert.deepEqual(invite.to, ['jane@example.com']);
    assert.deepEqual(notice.to, [OWNER]);
    assert.equal(invite.from, 'bookings@acme.example');

    const { method, cal, ev } = calendarPart(invite);
    assert.equal(method, 'REQUEST');
    assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
    assert.equal(ev.getFirstPropertyValue('uid'), `${booking.id}@parley`);
    assert.equal(ev.getFirstPropertyValue('sequence'), 0);
    const event = new ICAL.Event(ev);
    assert.equal(event.startDate.toJSDate().toISOString(), '2027-01-12T08:00:00.000Z');
    assert.equal(event.endDate.toJSDate().toISOString(), '2027-01-12T08:30:00.000Z');
    assert.equal(ev.getFirstPropertyValue('organizer'), `mailto:${OWNER}`);
    assert.equal(ev.getFirstPropertyValue('attendee'), 'mailto:jane@example.com');
    assert.equal(ev.getFirstProperty('attendee')!.getParameter('cn'), 'Jane Doe');
    assert.equal(ev.getFirstPropertyValue('status'), 'CONFIRMED');
    const link = `https://voice.acme.example/v1/bookings/${booking.id}/cancel?sig=${cancelSignature(LINK_SECRET, booking.id)}`;
    assert.equal(ev.getFirstPropertyValue('url'), link);
    assert.match(text(invite), /Your call with Acme Plumbing is booked for Tuesday, 12 January 2027 at 03:00 \(America\/New_York\)\./, 'in the caller\'s zone');
    assert.ok(text(invite).includes(link), 'the body has the cancel link');
    assert.equal(invite.message.header('message-id')?.endsWith('@parley>'), true);

    assert.match(notice.message.header('subject')!, /^New booking: Jane Doe, Tuesday/);
    assert.match(text(notice), /Email: jane@example\.com\nCompany: Initech/);
    assert.equal(calendarPart(notice).ev.getFirstPropertyValue('uid'), `${booking.id}@parley`);
  });

  it('the cancel link shows the booking on GET and cancels only on POST: the slot is free, METHOD:CANCEL goes out with SEQUENCE 1, booking.cancelled is an event', async () => {
    const booking = await book('2027-01-12T09:00:00Z', { name: 'John Roe', email: 'john@example.com' }, 'k2');
    await app.parley.events.deliverer.round();
    const path = `/v1/bookings/${booking.id}/cancel`;
    const sig = cancelSignature(LINK_SECRET, booking.id);

    const shown = await app.inject({ url: `${path}?sig=${sig}` });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /<form method="post"/);
    assert.match(shown.body, /Cancel this call/);
    assert.equal((await builtinBooking(fx.store, booking.id))!.status, 'confirmed', 'a GET (a mail scanner) cancels nothing');
    const slot = { from: '2027-01-12T09:00:00Z', to: '2027-01-12T09:30:00Z', timeZone: 'Europe/Warsaw' };
    const call = { signal: AbortSignal.timeout(5000), trace: () => {} };
    assert.deepEqual(await calendar.availability(slot, call), []);

    const done = await app.inject({ method: 'POST', url: path, payload: `sig=${sig}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /is cancelled/);
    const after = (await builtinBooking(fx.store, booking.id))!;
    assert.equal(after.status, 'cancelled');
    assert.equal(after.sequence, 1);
    assert.deepEqual(await calendar.availability(slot, call), [{ start: '2027-01-12T09:00:00Z', end: '2027-01-12T09:30:00Z' }], 'the slot is free again');

    const before = smtp.received.length;
    assert.deepEqual(await app.parley.events.deliverer.round(), { attempted: 2, delivered: 2 });
    const sent = smtp.received.slice(before);
    const toCaller = sent.find((m) => m.to[0] === 'john@example.com')!;
    const c = calendarPart(toCaller);
    assert.equal(c.method, 'CANCEL');
    assert.equal(c.ev.getFirstPropertyValue('uid'), `${booking.id}@parley`);
    assert.equal(c.ev.getFirstPropertyValue('sequence'), 1);
    assert.equal(c.ev.getFirstPropertyValue('status'), 'CANCELLED');
    assert.match(sent.find((m) => m.to[0] === OWNER)!.message.header('subject')!, /^Booking cancelled: John Roe/);
    const events = await new Outbox(fx.store).list({ type: 'booking.cancelled' });
    assert.equal(events.events.length, 1);
    assert.equal((events.events[0].data as { booking: { id: string } }).booking.id, booking.id);

    const again = await app.inject({ method: 'POST', url: path, payload: `sig=${sig}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(again.statusCode, 200);
    assert.match(again.body, /Already cancelled/);
    assert.equal((await new Outbox(fx.store).list({ type: 'booking.cancelled' })).events.length, 1, 'cancelling twice sends one cancellation');
  });

  it('a tampered signature, another booking\'s signature, or a past booking cancel nothing', async () => {
    const mine = await book('2027-01-12T10:00:00Z', { name: 'Ann Lee', email: 'ann@example.com' }, 'k3');
    const other = await book('2027-01-12T11:00:00Z', { name: 'Bo Chan', email: 'bo@example.com' }, 'k4');
    await app.parley.events.deliverer.round();
    const post = (id: string, sig: string) => app.inject({ method: 'POST', url: `/v1/bookings/${id}/cancel`, payload: `sig=${encodeURIComponent(sig)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const good = cancelSignature(LINK_SECRET, mine.id);
    const tampered = (good[0] === 'A' ? 'B' : 'A') + good.slice(1);
    assert.equal((await post(mine.id, tampered)).statusCode, 404);
    assert.equal((await post(mine.id, cancelSignature(LINK_SECRET, other.id))).statusCode, 404);
    assert.equal((await post(mine.id, '')).statusCode, 404);
    assert.equal((await app.inject({ url: `/v1/bookings/${mine.id}/cancel?sig=${tampered}` })).statusCode, 404);
    assert.equal((await post('no-such-booking', cancelSignature(LINK_SECRET, 'no-such-booking'))).statusCode, 404);
    assert.equal((await builtinBooking(fx.store, mine.id))!.status, 'confirmed');

    const saved = clock.now;
    clock.now = Date.parse('2027-01-12T10:05:00Z');
    try {
      const late = await post(mine.id, good);
      assert.equal(late.statusCode, 409);
      assert.match(late.body, /has already begun or taken place/);
      assert.equal((await builtinBooking(fx.store, mine.id))!.status, 'confirmed');
    } finally {
      clock.now = saved;
    }
    assert.equal((await new Outbox(fx.store).list({ type: 'booking.cancelled' })).events.length, 1, 'only the earlier test\'s cancellation');
  });

  it('a caller address carrying a header (CRLF) is refused; a name carrying one stays text', async () => {
    const before = smtp.received.length;
    const injected = 'eve@example.com\r\nBcc: victim@elsewhere.example';
    app.parley.events.observe('shop', 'conv-evil', { type: 'booking.made', at: new Date(clock.now).toISOString(), booking: { id: 'bk-evil', provider: 'builtin', start: '2027-01-13T08:00:00Z', end: '2027-01-13T08:30:00Z', status: 'confirmed', timeZone: 'Europe/Warsaw', attendee: { name: 'Eve', email: injected, timeZone: 'Europe/Warsaw' } } }, {});
    app.parley.events.observe('shop', 'conv-evil2', { type: 'booking.made', at: new Date(clock.now).toISOString(), booking: { id: 'bk-evil2', provider: 'builtin', start: '2027-01-13T09:00:00Z', end: '2027-01-13T09:30:00Z', status: 'confirmed', timeZone: 'Europe/Warsaw', attendee: { name: 'Mallory\r\nBcc: victim@elsewhere.example\r\nX-Evil: 1', email: 'mallory@example.com', timeZone: 'Europe/Warsaw' } } }, {});
    await app.parley.events.idle();
    await app.parley.events.deliverer.round();
    const sent = smtp.received.slice(before);
    assert.ok(sent.every((m) => !m.to.includes('victim@elsewhere.example')), 'nobody injected a recipient');
    assert.ok(sent.every((m) => !/^(bcc|x-evil):/im.test(m.raw.split(/\r?\n\r?\n/)[0])), 'no injected header');
    assert.deepEqual(sent.map((m) => m.to[0]).sort(), ['mallory@example.com', OWNER], 'Mallory (as text) and the owner\'s notice of her booking; nothing for the refused address');
    const refused = (await new Outbox(fx.store).list({ type: 'booking.created' })).events.find((e) => (e.data as { booking: { id: string } }).booking.id === 'bk-evil')!;
    const invitation = refused.deliveries.find((d) => d.destination === 'email:invitation')!;
    assert.match(invitation.attempts[0].error!, /not a plain email address/);
    const mallory = sent.find((m) => m.to[0] === 'mallory@example.com')!;
    assert.equal(calendarPart(mallory).ev.getFirstProperty('attendee')!.getParameter('cn'), 'Mallory Bcc: victim@elsewhere.example X-Evil: 1');
  });

  it('the owner gets one lead e-mail per caller, after the call, with every field saved (none per save)', async () => {
    const before = smtp.received.length;
    const at = new Date(clock.now).toISOString();
    app.parley.events.observe('shop', 'conv-lead', { type: 'lead.saved', at, fields: { name: 'Lee Park', email: 'lee@example.com' } }, {});
    app.parley.events.observe('shop', 'conv-lead', { type: 'lead.saved', at, fields: { problem: 'a leaking boiler' } }, { name: 'Lee Park', email: 'lee@example.com' });
    await app.parley.events.idle();
    await app.parley.events.deliverer.round();
    assert.equal(smtp.received.length, before, 'no e-mail for each save');
    const lead = { name: 'Lee Park', email: 'lee@example.com', problem: 'a leaking boiler' };
    await app.parley.events.enqueue({ agent: 'shop', type: 'conversation.ended', conversationId: 'conv-lead', data: { id: 'conv-lead', lead, bookings: [] } });
    assert.deepEqual(await app.parley.events.deliverer.round(), { attempted: 1, delivered: 1 });
    const m = smtp.received[before];
    assert.deepEqual(m.to, [OWNER]);
    assert.equal(m.message.header('subject'), 'New lead for Acme Plumbing: Lee Park');
    assert.match(text(m), /Name: Lee Park\nEmail: lee@example\.com\nproblem: a leaking boiler/);
  });

  it('a caller who booked gets no lead e-mail: the booking notice already lists the fields', async () => {
    const before = smtp.received.length;
    await app.parley.events.enqueue({ agent: 'shop', type: 'conversation.ended', conversationId: 'conv-booked', data: { id: 'conv-booked', lead: { name: 'Ann' }, bookings: [{ id: 'b1' }] } });
    await app.parley.events.enqueue({ agent: 'shop', type: 'conversation.ended', conversationId: 'conv-silent', data: { id: 'conv-silent', lead: {}, bookings: [] } });
    assert.deepEqual(await app.parley.events.deliverer.round(), { attempted: 0, delivered: 0 });
    assert.equal(smtp.received.length, before);
    // A scheduling link (Calendly without a paid plan) booked nothing: the owner hears of the lead.
    await app.parley.events.enqueue({ agent: 'shop', type: 'conversation.ended', conversationId: 'conv-link', data: { id: 'conv-link', lead: { name: 'Bo' }, bookings: [{ status: 'link', url: 'https://calendly.com/x' }] } });
    assert.deepEqual(await app.parley.events.deliverer.round(), { attempted: 1, delivered: 1 });
  });

  it('the .ics feed is served at a secret URL the admin API makes and revokes', async () => {
    const bearer = { authorization: 'Bearer admin-token-for-email-tests-0123' };
    const made = await app.inject({ method: 'POST', url: '/v1/admin/agents/shop/calendar-feeds', headers: bearer });
    assert.equal(made.statusCode, 201);
    const { path } = made.json() as { path: string; url: string };
    const feed = await app.inject({ url: path });
    assert.equal(feed.statusCode, 200);
    assert.match(feed.headers['content-type'] as string, /^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(feed.body));
    assert.ok(cal.getAllSubcomponents('vevent').length >= 3);
    assert.equal((await app.inject({ url: path.replace(/.\.ics$/, 'x.ics') })).statusCode, 404);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/admin/agents/shop/calendar-feeds' })).statusCode, 401);
    assert.deepEqual((await app.inject({ method: 'DELETE', url: '/v1/admin/agents/shop/calendar-feeds', headers: bearer })).json(), { revoked: 1 });
    assert.equal((await app.inject({ url: path })).statusCode, 404, 'revoked');
  });
});

describe('email: an SMTP server that refuses', () => {
  it('a refused login is a failed attempt with the server\'s words and never the password', async () => {
    const smtp = await startSmtpServer();
    const env = { PARLEY_SMTP_URL: smtp.url.replace('mail-secret-123', 'wrong-password-456'), PARLEY_MAIL_FROM: 'bookings@acme.example' };
    const config = { description: 'Acme', persona: { language: 'en' }, events: { email: { to: OWNER, bookings: true, leads: true } }, calendar: undefined } as never;
    const send = emailSender({ env, config: () => config });
    const out = await send({ id: 'd1', destination: 'email:owner-lead', attempts: 0, target: { kind: 'email', message: 'owner-lead', to: [OWNER] }, event: { id: 'msg_1', agent: 'shop', type: 'lead.saved', data: { lead: { name: 'Lee' } }, conversationId: null, createdAt: new Date().toISOString() } }, AbortSignal.timeout(10_000));
    assert.equal(out.ok, false);
    assert.equal(out.status, 535);
    assert.match(out.error!, /Invalid username or password/);
    assert.ok(!out.error!.includes('wrong-password-456'));
    assert.equal(smtp.received.length, 0);
    await smtp.close();
  });
});
