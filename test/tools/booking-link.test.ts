import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AgentFile } from '../../src/agent/schema.ts';
import { destinationsOf } from '../../src/events/destinations.ts';
import { bookingLinkEmail, type LinkBookingData } from '../../src/events/link-email.ts';
import { emailSender } from '../../src/events/mail.ts';
import type { ConversationEvent } from '../../src/session/events.ts';
import { startFakeCalendly } from '../../src/testing/calendly.ts';
import { bookCallTool } from '../../src/tools/booking.ts';
import { CalendlyCalendar } from '../../src/tools/calendar/calendly.ts';
import type { PhoneLine } from '../../src/tools/phone-line.ts';
import { spellOut } from '../../src/tools/spelling.ts';
import { leaves, startSmtpServer } from '../helpers/smtp.ts';
import { toolContext } from '../helpers/tool-context.ts';

// Calendly without a paid plan gives a single-use scheduling link instead of a booking. On a phone
// call a URL cannot be read out, so Parley emails it to the address book_call took only after it
// was spelled back and confirmed — through the same outbox and SMTP path as the invitations.

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.calendly-token';
const NOW = new Date('2026-12-01T08:00:00Z');
const SLOT = { start: '2026-12-02T09:00:00Z', end: '2026-12-02T09:30:00Z' };
const config = (language: string) =>
  AgentFile.parse({ description: 'Rachunek Plus', persona: { prompt: 'x', firstMessage: 'Dzień dobry', language }, calendar: { provider: 'calendly', token: '${CALENDLY_TOKEN}', eventType: 'https://api.calendly.com/event_types/ETFAKE0000000001' }, timeZone: 'Europe/Warsaw' });

describe('book_call with a Calendly scheduling link', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  async function book(o: { emailsLinks: boolean; phone: boolean; language?: string }) {
    const fake = await startFakeCalendly({ availableTimes: [SLOT.start], token: TOKEN, now: () => NOW, allowDirectBooking: false });
    closers.push(fake.close);
    const cfg = config(o.language ?? 'en');
    const calendar = new CalendlyCalendar({ config: { provider: 'calendly', token: '${CALENDLY_TOKEN}', eventType: fake.eventType, baseURL: fake.url }, env: { CALENDLY_TOKEN: TOKEN }, now: () => NOW });
    const events: ConversationEvent[] = [];
    const { ctx } = toolContext({
      agent: { name: 'rachunek-plus', config: cfg, collect: [] },
      booking: { offered: [SLOT], bookings: [] },
      emailsLinks: o.emailsLinks,
      ...(o.phone ? { phone: {} as PhoneLine } : {}),
      now: () => NOW,
      emit: (e) => void events.push(e as ConversationEvent),
      transcript: () => [
        { role: 'agent', text: `To ${spellOut('Jan Kowalski')}, ${spellOut('jan@example.com')}. Zgadza się?` },
        { role: 'caller', text: 'tak' },
      ],
    });
    const out = await bookCallTool(ctx, calendar).run({ start: SLOT.start, name: 'Jan Kowalski', email: 'jan@example.com' }, AbortSignal.timeout(5000), 'call-1');
    return { fake, cfg, out, result: out.result as { booked: boolean; link?: string; emailedTo?: string; note: string }, made: events.find((e) => e.type === 'booking.made') as { booking: Record<string, unknown> } | undefined };
  }

  it('on a phone call with email configured, the link is emailed to the confirmed address and the model is told not to read it out', async () => {
    const { fake, cfg, result, made } = await book({ emailsLinks: true, phone: true, language: 'pl-PL' });
    assert.equal(result.booked, false);
    assert.equal(result.link, fake.schedulingLinks[0]);
    assert.equal(result.emailedTo, 'jan@example.com');
    assert.match(result.note, /being emailed to jan@example\.com/);
    assert.match(result.note, /Do not read the link aloud/);
    // booking.made → booking.created in the outbox → one email to the caller, with the link.
    assert.ok(made);
    const event = { id: 'msg_1', agent: 'rachunek-plus', type: 'booking.created' as const, data: { conversationId: 'conv-1', booking: made.booking }, conversationId: 'conv-1', createdAt: NOW.toISOString() };
    const env = { PARLEY_MAIL_FROM: 'biuro@rachunek.example' };
    const destinations = destinationsOf(event, { config: cfg, env, mail: true });
    assert.deepEqual(destinations.map((d) => d.target), [{ kind: 'email', message: 'booking-link', to: ['jan@example.com'] }]);
    const composed = bookingLinkEmail(event.data as unknown as LinkBookingData, cfg, 'rachunek-plus');
    assert.ok(!('error' in composed));
    assert.equal(composed.subject, 'Potwierdź rozmowę: Rachunek Plus');
    const smtp = await startSmtpServer();
    closers.push(smtp.close);
    const send = emailSender({ env: { ...env, PARLEY_SMTP_URL: smtp.url }, config: () => cfg, now: () => NOW.getTime() });
    const sent = await send({ id: 'd1', destination: 'email:booking-link', attempts: 0, target: destinations[0]!.target, event }, AbortSignal.timeout(10_000));
    assert.equal(sent.ok, true, sent.error ?? '');
    const [mail] = await smtp.next(1);
    assert.deepEqual(mail!.to, ['jan@example.com']);
    const body = leaves(mail!.message).find((p) => p.contentType === 'text/plain')!.body;
    assert.ok(body.includes(fake.schedulingLinks[0]!), body);
    assert.match(body, /Jan Kowalski/);
    assert.match(body, /środa, 2 grudnia 2026 10:00/);
    assert.ok(!leaves(mail!.message).some((p) => p.contentType === 'text/calendar'), 'no invitation: nothing is booked');
  });

  it('without email, a phone call is told not to read the link out nor promise it; a chat gives the link', async () => {
    const phone = await book({ emailsLinks: false, phone: true });
    assert.equal(phone.result.emailedTo, undefined);
    assert.match(phone.result.note, /Do not read the link aloud and do not promise to send it/);
    const chat = await book({ emailsLinks: false, phone: false });
    assert.match(chat.result.note, /Give them the link as written; no email is sent/);
  });

  it('only a link event gets the link email: a confirmed Calendly booking, a non-https link or a bad address get none', () => {
    const cfg = config('en');
    const base = { id: 'b', start: SLOT.start, end: SLOT.end, timeZone: 'Europe/Warsaw', provider: 'calendly', attendee: { name: 'Jan', email: 'jan@example.com' } };
    const to = (booking: Record<string, unknown>) => destinationsOf({ id: 'm', agent: 'a', type: 'booking.created', data: { booking }, conversationId: null, createdAt: NOW.toISOString() }, { config: cfg, env: {}, mail: true }).map((d) => d.key);
    assert.deepEqual(to({ ...base, status: 'link', url: 'https://calendly.com/d/abcd/intro-call' }), ['email:booking-link']);
    assert.deepEqual(to({ ...base, status: 'confirmed' }), []);
    assert.deepEqual(to({ ...base, status: 'link', url: 'javascript:alert(1)' }), []);
    assert.deepEqual(destinationsOf({ id: 'm', agent: 'a', type: 'booking.created', data: { booking: { ...base, status: 'link', url: 'https://calendly.com/d/x' } }, conversationId: null, createdAt: NOW.toISOString() }, { config: cfg, env: {}, mail: false }), [], 'no email configured: nothing');
    const bad = bookingLinkEmail({ booking: { ...base, status: 'link', url: 'https://calendly.com/d/x', attendee: { name: 'Jan', email: 'jan@example.com\r\nBcc: x@evil.example' } } }, cfg, 'a');
    assert.ok('error' in bad);
  });
});
