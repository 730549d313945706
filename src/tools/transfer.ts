import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { TransferDestinationConfig, TransferToolConfig } from '../agent/schema.ts';
import type { ToolContext } from './context.ts';
import { describeHours, nextOpening, staffedAt } from './staffed-hours.ts';
import type { ToolSpec } from './traced.ts';

// transfer: hands the caller to a person (docs/phone.md#hand-off-to-a-human). Which numbers, and
// when each is staffed, are fixed in agent.yaml: the model picks a destination by its label and
// writes the summary; it can never dial a number of its own. Outside a destination's hours the
// tool says so instead of dialling. Every call is recorded with its outcome and the summary.

/** The destinations of a transfer tool, the `number:` shorthand included. */
export function transferDestinations(t: TransferToolConfig): TransferDestinationConfig[] {
  return t.destinations ?? (t.number ? [{ number: t.number, label: 'a person' }] : []);
}

/** What the model is told to do when nobody can take the call. */
function alternatives(ctx: ToolContext): string {
  return ctx.calendar ? 'offer to book a call with them or to take a message' : 'offer to take a message (their name, number and what it is about) so someone calls back';
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
    inputSchema: z.object({
      to: (labels.length > 1 ? z.enum(labels as [string, ...string[]]) : z.string().max(60).optional()).describe('Who to hand the caller to, by label.'),
      summary: z.string().min(1).max(600).describe('Two or three sentences for the person taking the call: who the caller is and what they need.'),
    }) as z.ZodType<{ to?: string; summary: string }>,
    run: async ({ to, summary }, signal) => {
      const dest = destinations.length === 1 ? destinations[0]! : destinations.find((d) => d.label.toLowerCase() === to?.trim().toLowerCase());
      if (!dest) return { result: { transferred: false, outcome: 'failed', note: `No destination is called "${to}". Choose one of: ${labels.join(', ')}.` }, error: 'unknown destination' };
      const base = { to: dest.label, mode: t.mode, summary };
      if (!ctx.phone) {
        return { result: { ...base, transferred: false, outcome: 'not on a phone call', note: `Handing over to a person is only possible on phone calls. Tell the caller, and ${alternatives(ctx)}.` } };
      }
      const zone = ctx.agent.config.timeZone;
      const now = Temporal.Instant.fromEpochMilliseconds(ctx.now().getTime());
      if (dest.hours && !staffedAt(dest.hours, zone, now)) {
        const next = nextOpening(dest.hours, zone, now);
        return {
          result: { ...base, transferred: false, outcome: 'outside hours', hours: describeHours(dest.hours), timeZone: zone, ...(next ? { nextOpen: next } : {}), note: `Nobody from ${dest.label} is available right now${next ? ` (next: ${next}, ${zone})` : ''}. Say so, and ${alternatives(ctx)}.` },
        };
      }
      const brief = `Hello, this is the assistant of ${ctx.agent.name.replace(/[-_]+/g, ' ')}, with a caller for ${dest.label}. ${summary} Connecting you now.`; // brightside-solar is said "brightside solar"
      const { outcome, detail } = await ctx.phone.transfer({ number: dest.number, mode: t.mode, brief, holdMessage: t.holdMessage, holdMusic: t.holdMusic, timeoutSec: t.timeoutSec }, signal);
      if (outcome === 'connected') {
        ctx.requestEnd('transferred');
        return { result: { ...base, transferred: true, outcome, note: 'The caller is now with the person; you have left the call. Say nothing more.' } };
      }
      const what = outcome === 'busy' ? 'the line was busy' : outcome === 'no answer' ? 'nobody answered' : 'the call could not be put through';
      return {
        result: { ...base, transferred: false, outcome, ...(detail ? { detail } : {}), note: `${what[0]!.toUpperCase()}${what.slice(1)} at ${dest.label}; the caller is back with you. Apologise briefly, and ${alternatives(ctx)}.` },
        error: outcome === 'failed' ? detail ?? 'transfer failed' : undefined,
      };
    },
  };
}
