import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { AgentFile } from '../../src/agent/schema.ts';
import { meetingName } from '../../src/agent/meeting.ts';
import { secretMask } from '../../src/agent/secret-mask.ts';
import { bookingEmail } from '../../src/events/emails.ts';
import { bookCallTool, checkAvailabilityTool } from '../../src/tools/booking.ts';
import { icsCalendar } from '../../src/tools/calendar/ics.ts';
import type { CalendarProvider } from '../../src/tools/calendar/types.ts';
import { spellOut } from '../../src/tools/spelling.ts';
import { toolContext } from '../helpers/tool-context.ts';

// calendar.meetingName names the meeting in the booking tools' words; calendar.location (an
// address or a video-call link, ${ENV_NAME} allowed) goes into the invitation and the booking result.

const SLOT = { start: '2026-01-16T10:00:00Z', end: '2026-01-16T10:30:00Z' };
const fileWith = (calendar: Record<string, unknown>) => AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Hi.' }, description: 'Brightside Solar', calendar });

async function book(calendarConfig: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, emailsInvitations = false) {
  const calendar: CalendarProvider = { id: calendarConfig.provider as string, availability: async () => [SLOT], book: async () => ({ id: 'b1', ...SLOT, status: 'confirmed' }) };
  const { ctx } = toolContext({
    agent: { name: 'shop', config: { ...fileWith(calendarConfig), timeZone: 'UTC' } },
    booking: { offered: [SLOT], bookings: [] },
    env,
    emailsInvitations,
    transcript: () => [
      { role: 'agent', text: `That is ${spellOut('Jane Doe')}, and ${spellOut('jane@example.com')}. Right?` },
      { role: 'caller', text: 'yes' },
    ],
  });
  const tools = { check: checkAvailabilityTool(ctx, calendar), book: bookCallTool(ctx, calendar) };
  const out = await tools.book.run({ start: SLOT.start, name: 'Jane Doe', email: 'jane@example.com' }, AbortSignal.timeout(5000), 'call-1');
  return { tools, result: out.result as { booked: boolean; meeting: string; location?: string; note: string } };
}

describe('the meeting: its name and where it happens', () => {
  it('the booking tools say "the intro call" unless calendar.meetingName names the meeting', async () => {
    const plain = await book({ provider: 'builtin' });
    assert.match(plain.tools.check.description, /^Find open times for the intro call\./);
    assert.match(plain.tools.book.description, /^Book the intro call in one/);
    assert.equal(plain.result.meeting, 'the intro call');
    assert.equal(plain.result.location, undefined);
    const named = await book({ provider: 'calendly', eventType: 'https://api.calendly.com/event_types/x', meetingName: 'free 30-minute home-energy consultation' });
    assert.match(named.tools.check.description, /^Find open times for the free 30-minute home-energy consultation\./);
    assert.match(named.tools.book.description, /^Book the free 30-minute home-energy consultation in one/);
    assert.doesNotMatch(named.tools.check.description + named.tools.book.description, /intro call/);
    assert.match(named.result.note, /^Confirm aloud: the free 30-minute home-energy consultation, /);
  });

  it('the booking result carries the location, its ${ENV_NAME} filled', async () => {
    const { result } = await book({ provider: 'builtin', location: '${MEET_LINK}' }, { MEET_LINK: 'https://meet.google.com/abc-defg-hij' });
    assert.equal(result.location, 'https://meet.google.com/abc-defg-hij');
    assert.doesNotMatch(result.note, /meet\.google|Say where/, 'a URL is not for reading aloud');
    assert.match(result.note, /It is a video call; do not read the URL aloud\. No invitation is emailed/);
    // An unset variable leaves the booking without a place rather than failing it.
    assert.equal((await book({ provider: 'builtin', location: '${MEET_LINK}' })).result.location, undefined);
  });

  it('a video-call link is "in the invitation" when one is emailed, never read aloud; an address is said', async () => {
    const link = await book({ provider: 'builtin', location: 'https://zoom.us/j/123456789' }, {}, true);
    assert.equal(link.result.location, 'https://zoom.us/j/123456789');
    assert.match(link.result.note, /It is a video call: say the link to join is in the invitation email; do not read the URL aloud\. A calendar invitation goes to jane@example\.com\./);
    assert.doesNotMatch(link.result.note, /zoom\.us/);
    const office = await book({ provider: 'builtin', location: 'ul. Prosta 1, Warszawa' }, {}, true);
    assert.match(office.result.note, /Say where: ul\. Prosta 1, Warszawa\./);
  });

  it('a meetingName in another language is used as written, without "the"', () => {
    const polish = { ...fileWith({ provider: 'builtin', meetingName: 'bezpłatna 20-minutowa rozmowa wideo' }) };
    assert.equal(meetingName({ ...polish, persona: { ...polish.persona, language: 'pl' } }), 'bezpłatna 20-minutowa rozmowa wideo');
    assert.equal(meetingName({ ...polish, persona: { ...polish.persona, language: 'en-GB' } }), 'the bezpłatna 20-minutowa rozmowa wideo');
    assert.equal(meetingName({ ...fileWith({ provider: 'builtin' }), persona: { ...polish.persona, language: 'pl' } }), 'the intro call');
  });

  it("the model reads the location's value: a ${NAME} in calendar.location is not masked as a secret", async () => {
    const env = { MEET_LINK: 'https://meet.google.com/abc-defg-hij', CRM_URL: 'https://crm.example/hook-abcdef' };
    const { result } = await book({ provider: 'builtin', location: '${MEET_LINK}' }, env);
    const config = fileWith({ provider: 'builtin', location: '${MEET_LINK}' });
    const seen = secretMask(config, env).value(result);
    assert.equal(seen.location, 'https://meet.google.com/abc-defg-hij');
    assert.doesNotMatch(seen.note, /meet\.google/);
    // The same variable used in a secret place too is still hidden.
    const both = AgentFile.parse({ ...config, events: { webhooks: [{ url: '${MEET_LINK}', secret: '${HOOK_SECRET}' }] } });
    assert.equal(secretMask(both, env).text(env.MEET_LINK), '${MEET_LINK}');
  });

  it('the invitation has LOCATION and, for a link, CONFERENCE; its text says where', () => {
    const config = fileWith({ provider: 'builtin', ownerEmail: 'owner@acme.example', location: 'https://zoom.us/j/123456789' });
    const data = { booking: { id: 'b1', ...SLOT, timeZone: 'UTC', attendee: { name: 'Jane Doe', email: 'jane@example.com' } } };
    const mail = bookingEmail('invitation', data, { config, agent: 'shop', env: {}, from: 'bookings@acme.example', now: new Date('2026-01-15T12:00:00Z') });
    assert.ok(!('error' in mail));
    assert.match(mail.text, /Join: https:\/\/zoom\.us\/j\/123456789/);
    const ev = new ICAL.Component(ICAL.parse(mail.icalEvent!.content)).getFirstSubcomponent('vevent')!;
    assert.equal(ev.getFirstPropertyValue('location'), 'https://zoom.us/j/123456789');
    assert.equal(ev.getFirstPropertyValue('conference'), 'https://zoom.us/j/123456789');
    assert.match(String(ev.getFirstPropertyValue('description')), /Join: https:\/\/zoom\.us/);
    // An address is a LOCATION only, and the owner's notice says where too.
    const office = fileWith({ provider: 'builtin', ownerEmail: 'owner@acme.example', location: 'ul. Prosta 1, Warszawa; 2nd floor' });
    const owner = bookingEmail('owner-booking', data, { config: office, agent: 'shop', env: {}, from: 'bookings@acme.example', now: new Date() });
    assert.ok(!('error' in owner));
    assert.match(owner.text, /Where: ul\. Prosta 1, Warszawa; 2nd floor/);
    const ev2 = new ICAL.Component(ICAL.parse(owner.icalEvent!.content)).getFirstSubcomponent('vevent')!;
    assert.equal(ev2.getFirstPropertyValue('location'), 'ul. Prosta 1, Warszawa; 2nd floor');
    assert.equal(ev2.getFirstProperty('conference'), null);
  });

  it('the .ics feed carries the location too', () => {
    const ics = icsCalendar([{ uid: 'b1@parley', stamp: SLOT.start, start: SLOT.start, end: SLOT.end, summary: 'Call with Jane', location: 'https://meet.google.com/abc' }]);
    const ev = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    assert.equal(ev.getFirstPropertyValue('location'), 'https://meet.google.com/abc');
  });
});
