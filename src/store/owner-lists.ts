import type { ExpressionBuilder, Kysely } from 'kysely';
import { realConversation } from './outcome-sql.ts';
import type { BookingRecord } from './record-types.ts';
import type { ConversationTable, Tables } from './tables.ts';

// The lists an owner exports: leads and bookings.

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
