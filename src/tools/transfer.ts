import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { TransferDestinationConfig, TransferToolConfig } from '../agent/schema.ts';
import { sayPhoneDigits } from './collect/phone.ts';
import { meetingName } from '../agent/meeting.ts';
import type { ToolContext } from './context.ts';
import { describeHours, nextOpening, staffedAt } from './staffed-hours.ts';
import type { ToolSpec } from './traced.ts';
import { perAgent } from './per-agent.ts';

// transfer: hands the caller to a person (docs/phone.md#hand-off-to-a-human). Which numbers, and
// when each is staffed, are fixed in agent.yaml: the model picks a destination by its label and
// writes the summary; it can never dial a number of its own. Outside a destination's hours the
// tool says so instead of dialling. On the web nobody can be put through: the tool gives the
// destination's number when the owner marked it sayable, and offers a call back. Every call is
// recorded with its outcome and the summary; one that dialled, with what it dialled as its request.

/** The destinations of a transfer tool, the `number:` shorthand included. */
export function transferDestinations(t: TransferToolConfig): TransferDestinationConfig[] {
  return t.destinations ?? (t.number ? [{ number: t.number, label: 'a person' }] : []);
}

type Offer = 'callBack' | 'booking' | 'message';

/** The offers in order: the tool's `offer`, else the default from `callBack` (default true), a phone field and a calendar. */
export function transferOffers(t: TransferToolConfig, hasPhoneField: boolean, hasCalendar: boolean): Offer[] {
  if (t.offer) return t.offer;
  if ((t.callBack ?? true) && hasPhoneField) return hasCalendar ? ['callBack', 'booking'] : ['callBack'];
  return hasCalendar ? ['booking', 'message'] : ['message'];
}

/** What the model is told to do when nobody can take the call. */
function alternatives(ctx: ToolContext, t: TransferToolConfig, dest?: TransferDestinationConfig): string {
  const phone = ctx.agent.collect?.find((c) => c.type === 'phone');
  const who = dest ? `someone from ${dest.label}` : 'someone';
  // parley check refuses an offer the agent cannot make; one that slips through (no calendar in this run) is dropped.
  const possible = transferOffers(t, Boolean(phone), Boolean(ctx.calendar)).filter((o) => (o === 'callBack' ? phone : o === 'booking' ? ctx.calendar : true));
  const words: Record<Offer, () => string> = {
    callBack: () => `offer a call back: ask for their phone number, save it with save_lead as ${phone!.field} (read it back digit by digit, wait for a yes) and say ${who} will call them back`,
    booking: () => `offer to book ${meetingName(ctx.agent.config)}`,
    message: () => 'offer to take a message (their name, number and what it is about) so someone calls back',
  };
  return (possible.length ? possible : (['message'] as Offer[])).map((o) => words[o]()).join(', or ');
}

/** On the web nobody can be put through: the destination's number to call, when the owner lets it be said, and a call back. */
function webFallback(ctx: ToolContext, t: TransferToolConfig, dest: TransferDestinationConfig, base: Record<string, unknown>): Record<string, unknown> {
  const sayable = dest.sayNumber ?? t.sayNumber;
  const zone = ctx.agent.config.timeZone;
  const now = Temporal.Instant.fromEpochMilliseconds(ctx.now().getTime());
  const open = !dest.hours || staffedAt(dest.hours, zone, now);
  const next = dest.hours && !open ? nextOpening(dest.hours, zone, now) : undefined;
  const hours = dest.hours ? { hours: describeHours(dest.hours), timeZone: zone, ...(next ? { nextOpen: next } : {}) } : {};
  if (!sayable) {
    return { ...base, transferred: false, outcome: 'not on a phone call', note: `A person cannot be put through on the website; do not make up a number. Tell the visitor, and ${alternatives(ctx, t, dest)}.` };
  }
  const parsed = parsePhoneNumberFromString(dest.number);
  const number = parsed?.formatInternational() ?? dest.number;
  const when = open ? 'they can call now' : `nobody answers right now${next ? `; next: ${next}, ${zone}` : ''}`;
  return {
    ...base,
    transferred: false,
    outcome: 'not on a phone call',
    number,
    say: sayPhoneDigits(dest.number),
    ...hours,
    note: `A person cannot be put through on the website, but the visitor may call ${dest.label} at ${number} (${when}). Read the number out digit by digit ("${sayPhoneDigits(dest.number)}")${dest.hours ? ` with its hours (${describeHours(dest.hours)})` : ''}; or ${alternatives(ctx, t, dest)}.`,
  };
}

export function transferTool(ctx: ToolContext, t: TransferToolConfig): ToolSpec<{ to?: string; summary: string }> {
  const destinations = transferDestinations(t);
  const labels = destinations.map((d) => d.label);
  const list = destinations.map((d) => `"${d.label}"${d.when ? ` (${d.when})` : ''}${d.hours ? ` — staffed ${describeHours(d.hours)}, ${ctx.agent.config.timeZone}` : ''}`).join('; ');
  return {
    name: 'transfer',
    description: [
      t.description ?? 'Hand the caller to a person when they ask for one, or when you cannot help them further.',
      `Who can take the call: ${list}.`,
      'Do not say anything yourself before calling it: the caller hears a hold message.',
    ].join(' '),
    inputSchema: perAgent(ctx.agent, 'transfer', () =>
      z.object({
        to: (labels.length > 1 ? z.enum(labels as [string, ...string[]]) : z.string().max(60).optional()).describe('Who to hand the caller to, by label.'),
        summary: z.string().min(1).max(600).describe('Two or three sentences for the person taking the call: who the caller is and what they need.'),
      }),
    ) as z.ZodType<{ to?: string; summary: string }>,
    run: async ({ to, summary }, signal) => {
      const dest = destinations.length === 1 ? destinations[0]! : destinations.find((d) => d.label.toLowerCase() === to?.trim().toLowerCase());
      if (!dest) return { result: { transferred: false, outcome: 'failed', note: `No destination is called "${to}". Choose one of: ${labels.join(', ')}.` }, error: 'unknown destination' };
      const base = { to: dest.label, mode: t.mode, summary };
      if (!ctx.phone) return { result: webFallback(ctx, t, dest, base) };
      const zone = ctx.agent.config.timeZone;
      const now = Temporal.Instant.fromEpochMilliseconds(ctx.now().getTime());
      if (dest.hours && !staffedAt(dest.hours, zone, now)) {
        const next = nextOpening(dest.hours, zone, now);
        return {
          result: { ...base, transferred: false, outcome: 'outside hours', hours: describeHours(dest.hours), timeZone: zone, ...(next ? { nextOpen: next } : {}), note: `Nobody from ${dest.label} is available right now${next ? ` (next: ${next}, ${zone})` : ''}. Say so, and ${alternatives(ctx, t, dest)}.` },
        };
      }
      const brief = `Hello, this is the assistant of ${businessName(ctx)}, with a caller for ${dest.label}. ${summary} Connecting you now.`;
      const { outcome, detail } = await ctx.phone.transfer({ number: dest.number, mode: t.mode, brief, holdMessage: t.holdMessage, holdMusic: t.holdMusic, timeoutSec: t.timeoutSec }, signal);
      // What was dialled, and what the person heard first (warm only: a cold hand-off says nothing to them).
      const request = { number: dest.number, mode: t.mode, ...(t.mode === 'warm' ? { brief } : {}) };
      if (outcome === 'connected') {
        ctx.requestEnd('transferred');
        return { result: { ...base, transferred: true, outcome, note: 'The caller is now with the person; you have left the call. Say nothing more.' }, request };
      }
      const what = outcome === 'busy' ? 'the line was busy' : outcome === 'no answer' ? 'nobody answered' : 'the call could not be put through';
      return {
        result: { ...base, transferred: false, outcome, ...(detail ? { detail } : {}), note: `${what[0]!.toUpperCase()}${what.slice(1)} at ${dest.label}; the caller is back with you. Apologise briefly, and ${alternatives(ctx, t, dest)}.` },
        request,
        error: outcome === 'failed' ? detail ?? 'transfer failed' : undefined,
      };
    },
  };
}

/** The business as the person hears it: the agent file's description ("Brightside Solar"), else the slug said as words (brightside-solar is "brightside solar"). */
function businessName(ctx: ToolContext): string {
  return ctx.agent.config.description?.replace(/\s+/g, ' ').trim() || ctx.agent.name.replace(/[-_]+/g, ' ');
}
