import { z } from 'zod';
import type { ToolContext } from './context.ts';
import { awaitingReadBack } from './collect/confirmed.ts';
import { checkValue } from './collect/values.ts';
import type { ToolSpec } from './traced.ts';
import { perAgent } from './per-agent.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;

/** A plausible email address (the caller still confirms its spelling aloud). */
export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

/** What the model is told about a field's type, so it passes what the code accepts. */
function fieldHint(f: ToolContext['agent']['collect'][number]): string {
  const about = f.description ?? f.field;
  switch (f.type) {
    case 'phone':
      return `${about} (a phone number; with its country code, or as dialled in ${f.country ?? 'the business country'})`;
    case 'choice':
      return `${about} (one of: ${f.options?.join(', ')})`;
    case 'date':
      return `${about} (a date: YYYY-MM-DD, or the caller's words such as "next Tuesday")`;
    case 'number':
      return `${about} (a number${range(f)})`;
    case 'money':
      return `${about} (an amount in ${f.currency}${range(f)}; the caller's words such as "about 180" work)`;
    default:
      // An owner's description often says the rule already ("NIP, 10 digits"): say it once.
      return f.patternHint && !about.toLowerCase().includes(f.patternHint.toLowerCase()) ? `${about} (${f.patternHint})` : about;
  }
}

function range(f: ToolContext['agent']['collect'][number]): string {
  return f.min !== undefined && f.max !== undefined ? `, ${f.min} to ${f.max}` : f.min !== undefined ? `, at least ${f.min}` : f.max !== undefined ? `, at most ${f.max}` : '';
}

/** save_lead: stores the collected fields as soon as any is known, merging with earlier saves; each value is checked by its type. */
export function saveLeadTool(ctx: ToolContext): ToolSpec<Record<string, string | undefined>> {
  const fields = ctx.agent.collect;
  return {
    name: 'save_lead',
    description: `Save what you have learned about the caller so far (${fields.map((f) => f.field).join(', ')}). Call it as soon as you learn any field; later calls add to earlier ones. readBack says how to read each value back (letters spelled, phone digits in groups); do so and wait for a yes before booking or passing them to another tool.`,
    inputSchema: perAgent(ctx.agent, 'save_lead', () => z.object(Object.fromEntries(fields.map((f) => [f.field, z.string().max(2000).optional().describe(fieldHint(f))])))),
    run: async (input) => {
      const clean: Record<string, string> = {};
      const readBack: Record<string, string> = {};
      const rejected: string[] = [];
      for (const f of fields) {
        const value = input[f.field];
        if (!value?.trim()) continue;
        // Recognisers write what they hear: "john dot smith at acme dot com" is an address too.
        const checked = checkValue(f, value, { now: ctx.now(), timeZone: ctx.agent.config?.timeZone ?? 'UTC', language: ctx.agent.config?.persona?.language });
        if ('error' in checked) {
          rejected.push(checked.error.startsWith(f.field) || f.type === 'phone' ? checked.error : `${f.field}: ${checked.error}`);
          continue;
        }
        clean[f.field] = checked.value;
        if (f.confirm !== 'none') readBack[f.field] = checked.say;
      }
      if (Object.keys(clean).length) {
        Object.assign(ctx.lead, clean);
        ctx.emit({ type: 'lead.saved', at: ctx.now().toISOString(), fields: clean });
      }
      const missing = fields.filter((f) => f.required && !ctx.lead[f.field]).map((f) => f.field);
      // Saved at once (a hang-up loses nothing), but marked until read back: tools using them wait for it.
      const waiting = awaitingReadBack(ctx, ctx.lead);
      const result = { saved: { ...ctx.lead }, stillMissing: missing, ...(Object.keys(readBack).length ? { readBack } : {}), ...(waiting.length ? { awaitingReadBack: waiting } : {}), ...(rejected.length ? { rejected } : {}) };
      return { result, error: rejected.length ? rejected.join('; ') : undefined };
    },
  };
}
