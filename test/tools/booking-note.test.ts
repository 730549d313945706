import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bookCallTool } from '../../src/tools/booking.ts';
import type { CalendarProvider } from '../../src/tools/calendar/types.ts';
import { spellOut } from '../../src/tools/spelling.ts';
import { toolContext } from '../helpers/tool-context.ts';

// book_call tells the model to promise an invitation only when one will really be sent: the
// built-in calendar's comes from Parley's email (a server with PARLEY_SMTP_URL); cal.com and
// Calendly send their own.

const SLOT = { start: '2026-01-16T10:00:00Z', end: '2026-01-16T10:30:00Z' };

async function note(provider: string, emailsInvitations: boolean): Promise<string> {
  const calendar: CalendarProvider = { id: provider, availability: async () => [SLOT], book: async () => ({ id: 'b1', ...SLOT, status: 'confirmed' }) };
  const { ctx } = toolContext({
    agent: { name: 'shop', config: { timeZone: 'UTC', limits: { maxBookingsPerConversation: 1 } } },
    booking: { offered: [SLOT], bookings: [] },
    emailsInvitations,
    transcript: () => [
      { role: 'agent', text: `That is ${spellOut('Jane Doe')}, and ${spellOut('jane@example.com')}. Right?` },
      { role: 'caller', text: 'yes' },
    ],
  });
  const out = await bookCallTool(ctx, calendar).run({ start: SLOT.start, name: 'Jane Doe', email: 'jane@example.com' }, AbortSignal.timeout(5000), 'call-1');
  const result = out.result as { booked: boolean; note: string };
  assert.equal(result.booked, true, JSON.stringify(out.result));
  return result.note;
}

test('the built-in calendar promises an invitation only when Parley emails one', async () => {
  assert.match(await note('builtin', true), /A calendar invitation goes to jane@example\.com\./);
  const without = await note('builtin', false);
  assert.doesNotMatch(without, /invitation goes/);
  assert.match(without, /do not promise one/);
});

test('cal.com and Calendly send their own confirmation', async () => {
  assert.match(await note('calcom', false), /cal\.com emails the confirmation to jane@example\.com/);
  assert.match(await note('calendly', false), /Calendly emails the confirmation/);
});
