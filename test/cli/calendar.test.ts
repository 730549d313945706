import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { openStore } from '../../src/store/store.ts';
import { calendarFor } from '../../src/tools/calendar/index.ts';
import { samplePhone } from '../../src/tools/calendar/preview.ts';
import { EXAMPLE, runParley, tempDir } from '../helpers/cli.ts';

describe('parley calendar ics', () => {
  it("prints the built-in calendar's bookings as an iCalendar feed", async () => {
    const db = join(tempDir(), 'parley.db');
    const agent = await loadAgent(EXAMPLE);
    const store = await openStore(`file:${db}`);
    const now = () => new Date('2026-11-30T09:00:00Z');
    const calendar = calendarFor(agent, { store, env: {}, now });
    assert.ok(calendar);
    const call = { signal: AbortSignal.timeout(5000), trace: () => {} };
    const [slot] = await calendar.availability({ from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z', timeZone: agent.config.timeZone }, call);
    await calendar.book({ start: slot.start, attendee: { name: 'Jane Doe', email: 'jane@acme.io', timeZone: 'Europe/Warsaw' }, idempotencyKey: 'k1' }, call);
    await store.close();

    const r = await runParley(['calendar', 'ics', 'examples/sales-booking'], { env: { PARLEY_DATABASE_URL: `file:${db}` } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^BEGIN:VCALENDAR\r\n/);
    assert.match(r.stdout, /DTSTART:20261201T080000Z\r\n/, '09:00 in Warsaw is 08:00 UTC');
    assert.match(r.stdout, /ATTENDEE.*mailto:jane@acme\.io/);
    assert.match(r.stdout, /END:VCALENDAR\r\n$/);
  });
});

describe('parley calendar preview', () => {
  const agentDir = () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'agent.yaml'),
      ['persona: { prompt: p, firstMessage: hi }', 'timeZone: Europe/London', 'collect: [name, email, phone, { field: visit, type: choice, options: [in person, video], question: How would you like to meet? }]', 'calendar: { provider: calcom, eventTypeId: 42 }'].join('\n'),
    );
    return dir;
  };

  it('prints the exact cal.com request for the caller’s words, offline, with the key as its variable', async () => {
    const r = await runParley(['calendar', 'preview', agentDir(), '--provider', 'calcom', '--value', 'phone=oh seven nine one one, one two three, four five six', '--value', 'visit=Video'], { env: {} });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { calcom: { url: string; headers: Record<string, string>; body: { eventTypeId: number; attendee: { phoneNumber: string }; metadata: Record<string, string>; bookingFieldsResponses: Record<string, string> } } };
    assert.equal(out.calcom.url, 'https://api.cal.com/v2/bookings');
    assert.equal(out.calcom.headers.authorization, 'Bearer ${CALCOM_API_KEY}');
    assert.equal(out.calcom.body.eventTypeId, 42);
    assert.equal(out.calcom.body.attendee.phoneNumber, '+447911123456');
    assert.equal(out.calcom.body.metadata.visit, 'video');
    assert.deepEqual(out.calcom.body.bookingFieldsResponses, { 'How would you like to meet?': 'video' });
  });

  it("fills the phone with a sample from the agent's country: a US number for America/Chicago (solar LOG entry 7)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'agent.yaml'), ['persona: { prompt: p, firstMessage: hi }', 'timeZone: America/Chicago', 'collect: [name, email, phone, { field: office, type: phone, country: PL }]', 'calendar: { provider: calendly, eventType: "https://api.calendly.com/event_types/X" }'].join('\n'));
    const r = await runParley(['calendar', 'preview', dir], { env: {} });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\+44/);
    const out = JSON.parse(r.stdout) as { calendly: { body: { invitee: { text_reminder_number?: string } } }; builtin: { attendee: { fields: { field: string; value: string }[] } } };
    assert.equal(out.calendly.body.invitee.text_reminder_number, samplePhone('US'));
    assert.match(samplePhone('US'), /^\+1\d{10}$/);
    assert.deepEqual(out.builtin.attendee.fields.map((f) => [f.field, f.value.slice(0, 3)]), [['phone', '+12'], ['office', '+48']], "a field's own country wins");
  });

  it('keeps +447911123456 for a British agent and one with no country', () => {
    assert.equal(samplePhone('GB'), '+447911123456');
    assert.equal(samplePhone(undefined), '+447911123456');
  });

  it('says which value would be refused, and exits 1', async () => {
    const r = await runParley(['calendar', 'preview', agentDir(), '--value', 'phone=0791 123', '--value', 'fax=1'], { env: {} });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /phone: that phone number has 7 digits/);
    assert.match(r.stderr, /fax: not a collect field/);
  });
});
