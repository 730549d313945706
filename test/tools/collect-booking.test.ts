// Typed collect fields through book_call to every calendar: the read-back of each field is
// enforced in code, and each provider receives each field in its documented place.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectSpec } from '../../src/agent/collect.ts';
import type { Agent } from '../../src/agent/load.ts';
import { AgentFile, Calendar, type AgentFileInput } from '../../src/agent/schema.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { startFakeCalcom } from '../../src/testing/calcom.ts';
import { startFakeCalendly } from '../../src/testing/calendly.ts';
import { BuiltinCalendar, type BuiltinConfig } from '../../src/tools/calendar/builtin.ts';
import { CalcomCalendar, type CalcomConfig } from '../../src/tools/calendar/calcom.ts';
import { CalendlyCalendar, type CalendlyConfig } from '../../src/tools/calendar/calendly.ts';
import type { CalendarProvider } from '../../src/tools/calendar/types.ts';
import { booker } from './calendar/tool-harness.ts';
import type { z } from 'zod';
import { bookCallTool } from '../../src/tools/booking.ts';
import type { ToolContext } from '../../src/tools/context.ts';

const NOW = new Date('2026-12-01T08:00:00Z');
const SLOT = '2026-12-02T10:00:00Z';
const COLLECT: AgentFileInput['collect'] = [
  'name',
  'email',
  'phone',
  { field: 'problem', question: 'notes' },
  { field: 'visit', type: 'choice', options: ['in person', 'video'], question: 'How would you like to meet?' },
  { field: 'injury_date', type: 'date' },
];

function agent(): Agent {
  const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'hi' }, timeZone: 'Europe/London', collect: COLLECT });
  return { name: `collect-${Math.random().toString(36).slice(2)}`, config, collect: config.collect.map((c) => collectSpec(c, config.timeZone)) } as unknown as Agent;
}

const READ_BACK: [string, string][] = [
  ['agent', 'Your name is A-d-a, L-o-v-e-l-a-c-e, and your email a-d-a at e-x-a-m-p-l-e dot com?'],
  ['caller', 'Yes.'],
];
const PHONE_BACK: [string, string][] = [
  ['agent', 'And your number: plus four four, seven nine one one, one two three, four five six?'],
  ['caller', 'Yes, that is right.'],
];
const DATE_BACK: [string, string][] = [
  ['agent', 'You hurt it on the 28th of November?'],
  ['caller', 'Yes.'],
];
const ARGS = { start: SLOT, name: 'Ada Lovelace', email: 'ada@example.com', phone: 'oh seven nine one one, one two three, four five six', problem: 'Knee hurts after running', visit: 'Video', injury_date: '2026-11-28' };

async function bookWith(calendar: CalendarProvider, transcript: [string, string][]) {
  const b = booker(agent(), calendar, NOW);
  await b.check({ when: 'Wednesday 2 December at 10am' });
  b.transcript.push(...transcript.map(([role, text]) => ({ role: role as 'agent' | 'caller', text })));
  return { b, out: await b.book(ARGS) };
}

describe('typed collect fields in book_call', () => {
  const closers: (() => Promise<void>)[] = [];
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-collect-'));
    store = await openStore(`file:${join(dir, 'parley.db')}`);
  });
  after(async () => {
    for (const close of closers) await close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  async function calcom() {
    const fake = await startFakeCalcom({ slots: [SLOT], apiKey: 'k' });
    closers.push(fake.close);
    const config: CalcomConfig = { provider: 'calcom', apiKey: '${CALCOM_API_KEY}', eventTypeId: fake.eventTypeId, baseURL: fake.url };
    return { fake, calendar: new CalcomCalendar({ config, env: { CALCOM_API_KEY: 'k' }, now: () => NOW }) };
  }

  it('book_call’s arguments are the agent’s collect fields: no company or problem unless collected (solar LOG entry 14)', () => {
    const ctx = (collect: AgentFileInput['collect']) => {
      const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'hi' }, timeZone: 'America/Chicago', collect });
      return { agent: { config, collect: config.collect.map((c) => collectSpec(c, config.timeZone)) } } as unknown as ToolContext;
    };
    const args = (collect: AgentFileInput['collect']) => Object.keys((bookCallTool(ctx(collect), {} as CalendarProvider).inputSchema as unknown as z.ZodObject).shape);
    assert.deepEqual(args(['name', 'email', 'phone', 'address', { field: 'monthly_bill', type: 'money' }]), ['start', 'name', 'email', 'phone', 'address', 'monthly_bill', 'callerTimeZone']);
    assert.deepEqual(args(['name', 'email', 'company', 'problem']), ['start', 'name', 'email', 'company', 'problem', 'callerTimeZone']);
    assert.deepEqual(args([]), ['start', 'name', 'email', 'callerTimeZone']);
  });

  it('refuses to book until the phone was read back digit by digit and confirmed, and says how', async () => {
    const { fake, calendar } = await calcom();
    const { out } = await bookWith(calendar, [...READ_BACK, ...DATE_BACK]);
    assert.equal(out.booked, false);
    assert.match(out.error, /read it back digit by digit, in groups \("plus four four, seven nine one one, one two three, four five six"\).*for phone before booking/);
    assert.equal(fake.bookings.length, 0);
  });

  it('refuses a date that was not said back, and a phone number that is not one', async () => {
    const { calendar } = await calcom();
    const noDate = await bookWith(calendar, [...READ_BACK, ...PHONE_BACK]);
    assert.match(noDate.out.error, /say it back \("Saturday 28 November 2026"\).*for injury_date/);
    const b = booker(agent(), calendar, NOW);
    await b.check({ when: 'Wednesday 2 December at 10am' });
    const bad = await b.book({ ...ARGS, phone: '0791 123 45' });
    assert.match(bad.error, /that phone number has 9 digits/);
  });

  it('cal.com gets the phone in attendee.phoneNumber, every field in metadata and the question answers in bookingFieldsResponses', async () => {
    const { fake, calendar } = await calcom();
    const { out, b } = await bookWith(calendar, [...READ_BACK, ...PHONE_BACK, ...DATE_BACK]);
    assert.equal(out.booked, true, JSON.stringify(out));
    const [booking] = fake.bookings;
    assert.equal(booking.attendee.phoneNumber, '+447911123456');
    assert.deepEqual(booking.metadata, { parleyIdempotencyKey: 'conv-clock-1:booking:0', phone: '+447911123456', problem: 'Knee hurts after running', visit: 'video', injury_date: '2026-11-28' });
    assert.deepEqual(booking.bookingFieldsResponses, { notes: 'Knee hurts after running', 'How would you like to meet?': 'video' });
    // The webhook event carries the typed fields too.
    const made = b.events.find((e) => e.type === 'booking.made');
    assert.ok(made?.type === 'booking.made');
    assert.deepEqual(made.booking.attendee.fields?.map((f) => [f.field, f.value]), [['phone', '+447911123456'], ['problem', 'Knee hurts after running'], ['visit', 'video'], ['injury_date', '2026-11-28']]);
    const saved = b.events.find((e) => e.type === 'lead.saved');
    assert.ok(saved?.type === 'lead.saved');
    assert.equal(saved.fields.phone, '+447911123456');
  });

  it('confirm: none on the name lets a name through unspelled; the email is still spelled', async () => {
    const { fake, calendar } = await calcom();
    const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'hi' }, timeZone: 'Europe/London', collect: [{ field: 'name', confirm: 'none' }, 'email'] });
    const a = { name: 'plain-name', config, collect: config.collect.map((c) => collectSpec(c, config.timeZone)) } as unknown as Agent;
    const b = booker(a, calendar, NOW);
    await b.check({ when: 'Wednesday 2 December at 10am' });
    const unspelled = await b.book({ start: SLOT, name: 'Ada Lovelace', email: 'ada@example.com' });
    assert.match(unspelled.error, /spell the email back/);
    b.transcript.push({ role: 'agent', text: 'And the email: a-d-a at e-x-a-m-p-l-e dot com?' }, { role: 'caller', text: 'yes' });
    const out = await b.book({ start: SLOT, name: 'Ada Lovelace', email: 'ada@example.com' });
    assert.equal(out.booked, true, JSON.stringify(out));
    assert.equal(fake.bookings[0].attendee.name, 'Ada Lovelace');
  });

  it('the cal.com fake refuses a malformed phone number, as cal.com does', async () => {
    const { fake } = await calcom();
    const res = await fetch(`${fake.url}/v2/bookings`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'cal-api-version': '2024-08-13', 'content-type': 'application/json' },
      body: JSON.stringify({ start: SLOT, eventTypeId: fake.eventTypeId, attendee: { name: 'A', email: 'a@example.com', timeZone: 'UTC', phoneNumber: '+44 12' } }),
    });
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(await res.json()), /phoneNumber/);
  });

  it('Calendly gets the phone as text_reminder_number and answers to its own questions in questions_and_answers', async () => {
    const fake = await startFakeCalendly({ availableTimes: [SLOT], token: 't', now: () => NOW, questions: ['Anything we should know?', 'How would you like to meet?'] });
    closers.push(fake.close);
    const config: CalendlyConfig = { provider: 'calendly', token: '${CALENDLY_TOKEN}', eventType: fake.eventType, baseURL: fake.url };
    const { out } = await bookWith(new CalendlyCalendar({ config, env: { CALENDLY_TOKEN: 't' }, now: () => NOW }), [...READ_BACK, ...PHONE_BACK, ...DATE_BACK]);
    assert.equal(out.booked, true, JSON.stringify(out));
    const [invitee] = fake.invitees;
    assert.equal(invitee.textReminderNumber, '+447911123456');
    // "notes" is not a question of this event type, so it is left out rather than refused.
    assert.deepEqual(invitee.questionsAndAnswers, [{ question: 'How would you like to meet?', answer: 'video', position: 1 }]);
  });

  it('the Calendly fake refuses what Calendly refuses: a malformed SMS number, an answer to a question it does not ask', async () => {
    const fake = await startFakeCalendly({ availableTimes: [SLOT], token: 't', now: () => NOW, questions: ['How would you like to meet?'] });
    closers.push(fake.close);
    const post = (body: object) =>
      fetch(`${fake.url}/invitees`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify({ event_type: fake.eventType, start_time: SLOT, ...body }) });
    const invitee = { name: 'Ada', email: 'ada@example.com', timezone: 'Europe/London' };
    const sms = await post({ invitee: { ...invitee, text_reminder_number: '07911' } });
    assert.equal(sms.status, 400);
    assert.match(JSON.stringify(await sms.json()), /text_reminder_number/);
    const unknown = await post({ invitee, questions_and_answers: [{ question: 'Shoe size?', answer: '9', position: 0 }] });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(await unknown.json()), /not a question of this event type/);
    assert.equal(fake.invitees.length, 0, 'nothing was booked');
  });

  it('the built-in calendar stores every typed field on the booking', async () => {
    const config = { ...(Calendar.parse({ provider: 'builtin' }) as BuiltinConfig), minNoticeMinutes: 0, horizonDays: 60, hours: { wed: ['09:00-17:00'] } };
    const a = agent();
    const calendar = new BuiltinCalendar({ agent: a.name, timeZone: 'Europe/London', config, store, now: () => NOW });
    const b = booker(a, calendar, NOW);
    await b.check({ when: 'Wednesday 2 December at 10am' });
    b.transcript.push(...[...READ_BACK, ...PHONE_BACK, ...DATE_BACK].map(([role, text]) => ({ role: role as 'agent' | 'caller', text })));
    const out = await b.book(ARGS);
    assert.equal(out.booked, true, JSON.stringify(out));
    const row = await store.db.selectFrom('bookings').select(['attendee', 'notes']).where('agent', '=', a.name).executeTakeFirstOrThrow();
    const attendee = JSON.parse(row.attendee);
    assert.equal(attendee.phone, '+447911123456');
    assert.deepEqual(Object.fromEntries(attendee.fields.map((f: { field: string; value: string }) => [f.field, f.value])), { phone: '+447911123456', problem: 'Knee hurts after running', visit: 'video', injury_date: '2026-11-28' });
    assert.equal(row.notes, 'Knee hurts after running');
  });
});
