import { z } from 'zod';
import type { ToolContext } from './context.ts';
import { parseSpokenEmail, spellOut } from './spelling.ts';
import type { ToolSpec } from './traced.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;

/** A plausible email address (the caller still confirms its spelling aloud). */
export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

/** save_lead: stores the collected fields as soon as any is known, merging with earlier saves. */
export function saveLeadTool(ctx: ToolContext): ToolSpec<Record<string, string | undefined>> {
  const fields = ctx.agent.collect;
  const shape = Object.fromEntries(fields.map((f) => [f.field, z.string().max(2000).optional().describe(f.description ?? f.field)]));
  return {
    name: 'save_lead',
    description: `Save what you have learned about the caller so far (${fields.map((f) => f.field).join(', ')}). Call it as soon as you learn any field; later calls add to earlier ones.`,
    inputSchema: z.object(shape),
    run: async (input) => {
      const clean: Record<string, string> = {};
      const rejected: string[] = [];
      for (const f of fields) {
        const value = input[f.field]?.trim();
        if (!value) continue;
        // Recognisers write what they hear: "john dot smith at acme dot com" is an address too.
        const email = f.field === 'email' ? (isEmail(value) ? value.toLowerCase() : parseSpokenEmail(value)) : undefined;
        if (f.field === 'email' && !email) rejected.push(`email "${value}" is not a valid address; ask the caller to spell it again`);
        else clean[f.field] = email ?? value;
      }
      if (Object.keys(clean).length) {
        Object.assign(ctx.lead, clean);
        ctx.emit({ type: 'lead.saved', at: ctx.now().toISOString(), fields: clean });
      }
      const missing = fields.filter((f) => f.required && !ctx.lead[f.field]).map((f) => f.field);
      // How to read the name and email back so the caller can check each letter.
      const readBack = Object.fromEntries(['name', 'email'].filter((k) => clean[k]).map((k) => [k, spellOut(clean[k])]));
      const result = { saved: { ...ctx.lead }, stillMissing: missing, ...(Object.keys(readBack).length ? { readBack } : {}), ...(rejected.length ? { rejected } : {}) };
      return { result, error: rejected.length ? rejected.join('; ') : undefined };
    },
  };
}
