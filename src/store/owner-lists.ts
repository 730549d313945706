import type { ExpressionBuilder, Kysely } from 'kysely';
import { realConversation } from './outcome-sql.ts';
import type { BookingRecord } from './record-types.ts';
import type { ConversationTable, Tables } from './tables.ts';

// The lists an owner exports: leads, bookings, and the questions the documents could not answer.

/** Which records a list covers: `from` inclusive, `to` exclusive (ISO instants), one agent or all. */
export interface ListRange {
  from: string;
  to: string;
  agent?: string;
  /** Only real conversations (web and phone, not the sandbox). */
  real: boolean;
  limit: number;
}

/** A saved lead, with the conversation it came from and that conversation's summary. */
export interface LeadRow {
  conversationId: string;
  agent: string;
  door: string;
  createdAt: string;
  updatedAt: string;
  fields: Record<string, string>;
  summary: string | null;
}

/** A booking made in a conversation. */
export interface BookingRow {
  conversationId: string;
  agent: string;
  bookedAt: string;
  booking: BookingRecord;
}

/** A question strict knowledge declined, grouped by its wording. */
export interface UnansweredQuestion {
  text: string;
  count: number;
  lastAt: string;
  conversationIds: string[];
}

type C = ExpressionBuilder<Tables & { c: ConversationTable }, 'c'>;
const filtered = (r: ListRange) => (eb: C) => eb.and([...(r.agent ? [eb('c.agent', '=', r.agent)] : []), ...(r.real ? [realConversation(eb)] : [])]);

/** Leads saved in the range, newest first. */
export async function leadsIn(db: Kysely<Tables>, r: ListRange): Promise<LeadRow[]> {
  const rows = await db
    .selectFrom('leads as l')
    .innerJoin('conversations as c', 'c.id', 'l.conversation_id')
    .leftJoin('analyses as a', 'a.conversation_id', 'l.conversation_id')
    .select(['l.conversation_id', 'c.agent', 'c.channel', 'l.created_at', 'l.updated_at', 'l.fields', 'a.summary'])
    .where('l.created_at', '>=', r.from)
    .where('l.created_at', '<', r.to)
    .where(filtered(r))
    .orderBy('l.created_at', 'desc')
    .limit(r.limit)
    .execute();
  return rows.map((x) => ({ conversationId: x.conversation_id, agent: x.agent, door: x.channel, createdAt: x.created_at, updatedAt: x.updated_at, fields: JSON.parse(x.fields) as Record<string, string>, summary: x.summary }));
}

/** Bookings made in the range (by any calendar), newest first. */
export async function bookingsIn(db: Kysely<Tables>, r: ListRange): Promise<BookingRow[]> {
  const rows = await db
    .selectFrom('events as e')
    .innerJoin('conversations as c', 'c.id', 'e.conversation_id')
    .select(['e.conversation_id', 'c.agent', 'e.at', 'e.data'])
    .where('e.type', '=', 'booking.made')
    .where('e.at', '>=', r.from)
    .where('e.at', '<', r.to)
    .where(filtered(r))
    .orderBy('e.at', 'desc')
    .limit(r.limit)
    .execute();
  return rows.map((x) => ({ conversationId: x.conversation_id, agent: x.agent, bookedAt: x.at, booking: (JSON.parse(x.data) as { booking: BookingRecord }).booking }));
}

/**
 * Caller turns whose answer strict knowledge declined (the agent turn's grounding is 'declined'),
 * grouped by their words lowercased with whitespace collapsed; most asked first. Only declined
 * questions are read, at most `limit` of them.
 */
export async function unansweredIn(db: Kysely<Tables>, r: ListRange): Promise<UnansweredQuestion[]> {
  const rows = await db
    .selectFrom('turns as a')
    .innerJoin('conversations as c', 'c.id', 'a.conversation_id')
    .innerJoin('turns as q', (j) =>
      j.onRef('q.conversation_id', '=', 'a.conversation_id').on((eb) =>
        eb('q.seq', '=', eb.selectFrom('turns as p').select((p) => p.fn.max('p.seq').as('s')).whereRef('p.conversation_id', '=', 'a.conversation_id').where('p.role', '=', 'caller').whereRef('p.seq', '<', 'a.seq')),
      ),
    )
    .select(['q.text', 'q.started_at', 'a.conversation_id'])
    .where('a.role', '=', 'agent')
    .where('a.grounding', '=', 'declined')
    .where('a.started_at', '>=', r.from)
    .where('a.started_at', '<', r.to)
    .where(filtered(r))
    .orderBy('q.started_at', 'desc')
    .limit(r.limit)
    .execute();
  const groups = new Map<string, UnansweredQuestion>();
  for (const row of rows) {
    const key = row.text.toLowerCase().replace(/\s+/g, ' ').trim();
    const g = groups.get(key);
    if (!g) groups.set(key, { text: key, count: 1, lastAt: row.started_at, conversationIds: [row.conversation_id] });
    else {
      g.count++;
      if (!g.conversationIds.includes(row.conversation_id)) g.conversationIds.push(row.conversation_id);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}
