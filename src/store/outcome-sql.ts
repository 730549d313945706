import { sql, type ExpressionBuilder } from 'kysely';
import { endReasonsFor } from './record-types.ts';
import type { ConversationTable, Tables } from './tables.ts';

// SQL the conversations list and the owner's overview share: a conversation's outcome, and
// whether it is a real one (a caller on the web or phone door) rather than a sandbox or test run.

/** End reasons the doors write when the agent (not the caller) closed the conversation. */
const AGENT_END_REASONS = endReasonsFor('ended-by-agent');
const ERROR_END_REASONS = endReasonsFor('error');
const LIMIT_END_REASONS = endReasonsFor('limit');

/** The caller the dashboard's sandbox sessions are recorded with. */
export const SANDBOX_CALLER = 'dashboard sandbox';

/** The `Outcome` of conversation `c`, as one portable SQL expression (CASE over EXISTS), so it can be filtered on. */
export function outcomeOf(eb: ExpressionBuilder<Tables & { c: ConversationTable }, 'c'>) {
  return eb
    .case()
    .when(eb.exists(eb.selectFrom('events').select('events.id').whereRef('events.conversation_id', '=', 'c.id').where('events.type', '=', 'booking.made')))
    .then('booked')
    .when(eb.exists(eb.selectFrom('leads').select('leads.conversation_id').whereRef('leads.conversation_id', '=', 'c.id')))
    .then('lead')
    .when('c.ended_at', 'is', null)
    .then('open')
    .when('c.end_reason', 'in', ERROR_END_REASONS)
    .then('error')
    .when('c.end_reason', 'in', LIMIT_END_REASONS)
    .then('limit')
    .when(
      eb.or([
        eb('c.end_reason', 'in', AGENT_END_REASONS),
        eb.exists(eb.selectFrom('tool_calls').select('tool_calls.id').whereRef('tool_calls.conversation_id', '=', 'c.id').where('tool_calls.name', '=', 'end_call')),
      ]),
    )
    .then('ended-by-agent')
    .else('caller-left')
    .end();
}


/**
 * A real conversation: on the web or phone door, and not the dashboard's sandbox. Terminal chat
 * and scenario runs are on the `text` door.
 */
export function realConversation(eb: ExpressionBuilder<Tables & { c: ConversationTable }, 'c'>) {
  return eb.and([eb('c.channel', 'in', ['web', 'phone']), eb(sql<string>`coalesce(c.caller, '')`, '<>', SANDBOX_CALLER)]);
}
