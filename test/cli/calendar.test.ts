import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { openStore } from '../../src/store/store.ts';
import { calendarFor } from '../../src/tools/calendar/index.ts';
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
