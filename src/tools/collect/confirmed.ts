import type { CollectSpec } from '../../agent/collect.ts';
import type { ToolContext } from '../context.ts';
import { readBackConfirmed, readBackHow } from './read-back.ts';
import { checkValue } from './values.ts';

// "Read it back before it is used" beyond booking: a webhook tool argument that carries a collected
// value (same name as the field, or mapped by the tool's collectFields) is refused until the value
// was read back the field's way and the caller said yes — the same check book_call makes.

/** The collect field each argument of a webhook call carries: same-named ones, and the tool's collectFields. */
export function argumentFields(collect: readonly CollectSpec[], mapped: Record<string, string> | undefined): Map<string, CollectSpec> {
  const byName = new Map(collect.map((c) => [c.field, c]));
  const out = new Map<string, CollectSpec>();
  for (const c of collect) out.set(c.field, c);
  for (const [arg, field] of Object.entries(mapped ?? {})) {
    const spec = byName.get(field);
    if (spec) out.set(arg, spec);
  }
  return out;
}

/** Why the call must wait (a collected value not valid, or not read back and confirmed), or undefined when it may go. */
export function unconfirmedArgument(ctx: ToolContext, tool: string, args: Record<string, unknown>, mapped?: Record<string, string>): string | undefined {
  const fields = argumentFields(ctx.agent.collect ?? [], mapped);
  const transcript = ctx.transcript();
  for (const [arg, spec] of fields) {
    const raw = args[arg];
    if (spec.confirm === 'none' || typeof raw !== 'string' || !raw.trim()) continue;
    const checked = checkValue(spec, raw, { now: ctx.now(), timeZone: ctx.agent.config?.timeZone ?? 'UTC' });
    if ('error' in checked) return checked.error;
    if (!readBackConfirmed(spec, checked.value, transcript)) return `${readBackHow(spec, checked.say)} for ${spec.field} before calling ${tool}`;
  }
  return undefined;
}

/** The fields of a lead whose value has a read-back not yet heard and confirmed. */
export function awaitingReadBack(ctx: ToolContext, lead: Record<string, string>): string[] {
  const transcript = ctx.transcript();
  return (ctx.agent.collect ?? []).filter((c) => c.confirm !== 'none' && lead[c.field] && !readBackConfirmed(c, lead[c.field], transcript)).map((c) => c.field);
}
