import type { Kysely } from 'kysely';
import { realConversation } from './outcome-sql.ts';
import type { Tables } from './tables.ts';

/** A caller turn a strict agent answered with its unknown-answer line (in code or by the model's marker), or turned away as a guarded topic. */
export interface DeclinedQuestion {
  conversationId: string;
  agent: string;
  channel: string;
  caller: string | null;
  /** What the caller said, as heard. */
  text: string;
  at: string;
  /** The guarded topic it was turned away as ("financial"); absent when declined for want of documents. */
  guardedTopic?: string;
}

const GUARDED = 'guarded:';

/** Which declined questions to read: one agent's or all, in a window of conversation starts, newest first. */
export interface DeclinedFilter {
  agent?: string;
  from?: string;
  to?: string;
  /** Only real conversations (web and phone, not the dashboard's sandbox or text runs). */
  real?: boolean;
  /** Most rows read (default 5,000): the newest win. */
  limit?: number;
}

/**
 * The caller turns whose agent reply was declined for want of documents or turned away as a
 * guarded topic (`grounding: guarded:<topic>`), newest first. The reply is the turn right after
 * the caller's (seq + 1) in the same conversation.
 */
export async function declinedQuestions(db: Kysely<Tables>, f: DeclinedFilter = {}): Promise<DeclinedQuestion[]> {
  let q = db
    .selectFrom('turns as a')
    .innerJoin('turns as ct', (j) => j.onRef('ct.conversation_id', '=', 'a.conversation_id').on((eb) => eb('ct.seq', '=', eb('a.seq', '-', 1))))
    .innerJoin('conversations as c', 'c.id', 'a.conversation_id')
    .select(['c.id as conversationId', 'c.agent as agent', 'c.channel as channel', 'c.caller as caller', 'ct.text as text', 'ct.heard_text as heardText', 'ct.started_at as at', 'a.grounding as grounding'])
    .where('a.role', '=', 'agent')
    .where((eb) => eb.or([eb('a.grounding', '=', 'declined'), eb('a.grounding', 'like', `${GUARDED}%`)]))
    .where('ct.role', '=', 'caller');
  if (f.agent) q = q.where('c.agent', '=', f.agent);
  if (f.from) q = q.where('c.started_at', '>=', f.from);
  if (f.to) q = q.where('c.started_at', '<', f.to);
  if (f.real) q = q.where(realConversation);
  const rows = await q.orderBy('ct.started_at', 'desc').limit(Math.min(50_000, f.limit ?? 5_000)).execute();
  return rows.map((r) => ({ conversationId: r.conversationId, agent: r.agent, channel: r.channel, caller: r.caller, text: r.heardText ?? r.text, at: r.at, ...(r.grounding?.startsWith(GUARDED) ? { guardedTopic: r.grounding.slice(GUARDED.length) } : {}) }));
}
