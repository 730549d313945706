import type { CollectSpec } from '../../agent/collect.ts';
import type { ToolContext } from '../context.ts';
import { readBackConfirmed, readBackRefusal } from './read-back.ts';
import { checkValue } from './values.ts';

// "Read it back before it is used" beyond booking: a webhook tool argument the tool's collectFields
// ties to a collected value is refused until the value was read back the field's way and the
// caller said yes — the same check book_call makes. Opt-in per tool, so a tool that only passes a
// lead along (notify the team) is not held up.

/** The collect field each listed argument of a webhook call carries: [email] (same name) or { account_email: email }. */
export function argumentFields(collect: readonly CollectSpec[], listed: string[] | Record<string, string> | undefined): Map<string, CollectSpec> {
  const byName = new Map(collect.map((c) => [c.field, c]));
  const pairs = Array.isArray(listed) ? listed.map((f) => [f, f]) : Object.entries(listed ?? {});
  const out = new Map<string, CollectSpec>();
  for (const [arg, field] of pairs) {
    const spec = byName.get(field);
    if (spec) out.set(arg, spec);
  }
  return out;
}

/** Why the call must wait (a collected value not valid, or not read back and confirmed), or undefined when it may go. */
export function unconfirmedArgument(ctx: ToolContext, tool: string, args: Record<string, unknown>, mapped?: string[] | Record<string, string>): string | undefined {
  const fields = argumentFields(ctx.agent.collect ?? [], mapped);
  const transcript = ctx.transcript();
  const language = ctx.agent.config?.persona?.language;
  for (const [arg, spec] of fields) {
    const raw = args[arg];
    if (spec.confirm === 'none' || typeof raw !== 'string' || !raw.trim()) continue;
    const checked = checkValue(spec, raw, { now: ctx.now(), timeZone: ctx.agent.config?.timeZone ?? 'UTC', language });
    if ('error' in checked) return checked.error;
    const refusal = readBackRefusal(spec.field, spec, checked.value, checked.say, transcript, language, `calling ${tool}`);
    if (refusal) return refusal;
  }
  return undefined;
}

/** The fields of a lead whose value has a read-back not yet heard and confirmed. */
export function awaitingReadBack(ctx: ToolContext, lead: Record<string, string>): string[] {
  const transcript = ctx.transcript();
  const language = ctx.agent.config?.persona?.language;
  return (ctx.agent.collect ?? []).filter((c) => c.confirm !== 'none' && lead[c.field] && !readBackConfirmed(c, lead[c.field], transcript, language)).map((c) => c.field);
}
