import { sql, type Kysely } from 'kysely';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { outcomeOf, realConversation } from './outcome-sql.ts';
import type { AnalysisRecord, BookingRecord, Outcome, ToolCallRecord } from './record-types.ts';
import type { StoreKind } from './migrations.ts';
import type { CallOutcome } from './campaign-types.ts';
import type { ConversationTable, Tables } from './tables.ts';

export { END_REASONS, OUTCOMES, type BookingRecord, type EndReason, type Outcome, type ToolCallRecord } from './record-types.ts';

// Conversation records: written as things happen, read back whole for the CLI,
// the dashboard and replay. JSON columns are parsed on the way out.

export interface TurnRecord {
  seq: number;
  role: 'agent' | 'caller';
  text: string;
  heardText: string | null;
  interrupted: boolean;
  grounding: string | null;
  startedAt: string;
  endedAt: string | null;
  latency: Record<string, number | null> | null;
  knowledge: { chunkId: number; source: string; heading: string; score: number }[];
}


/** One conversation, everything the store knows about it. */
export interface ConversationRecord {
  id: string;
  agent: string;
  agentVersion: string;
  channel: string;
  direction: string;
  caller: string | null;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  turns: TurnRecord[];
  toolCalls: ToolCallRecord[];
  lead: Record<string, string> | null;
  bookings: BookingRecord[];
  /** The stereo recording (caller left, agent right), when the conversation had audio. */
  recording?: { path: string; durationMs: number } | null;
  /** Failures during the conversation (a model that failed, a recorder error), in order. */
  errors?: { at: string; where: string; message: string }[];
  /** Once ended: how long it lasted, what it used from paid providers, and its estimated cost (USD). */
  durationSec?: number | null;
  usage?: unknown;
  costUsd?: number | null;
  /** An outbound call Parley placed: its Twilio CallSid, outcome, what answered, and its campaign and contact. */
  call?: { sid: string; outcome: CallOutcome | null; answeredBy: string | null; campaignId: string | null; contactId: string | null } | null;
}

export interface ConversationSummary {
  id: string;
  agent: string;
  channel: string;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  turns: number;
  lead: boolean;
}


/** Filters for `Records.search`: all optional; `from` inclusive and `to` exclusive, ISO-8601 UTC. */
export interface ConversationFilter {
  agent?: string;
  /** The door: `text` (terminal, tests), `web` or `phone`. */
  channel?: string;
  outcome?: Outcome;
  from?: string;
  to?: string;
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Words that must all appear (as words or word starts) in one line of the transcript. */
  text?: string;
  /** Only real conversations: web or phone, not the dashboard's sandbox (see realConversation). */
  real?: boolean;
}

/** One row of the conversations list, with its derived outcome. */
export interface ConversationListItem extends ConversationSummary {
  direction: string;
  caller: string | null;
  outcome: Outcome;
  bookings: number;
  recording: boolean;
  /** The caller's first words, for the list. */
  preview: string | null;
  /** From the saved lead, when it has them. */
  name: string | null;
  company: string | null;
  /** The post-call analysis: its summary, and where it stands (null: none yet, or none declared). */
  summary: string | null;
  analysis: AnalysisRecord['status'] | null;
  /** An outbound call's outcome (human, voicemail, no-answer, busy, failed); null for other conversations. */
  callOutcome: CallOutcome | null;
  /** The campaign the call belonged to. */
  campaignId: string | null;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const parse = (v: string | null): unknown => (v == null ? null : JSON.parse(v));

/** Write and read conversation records through one query layer. */
export class Records {
  readonly db: Kysely<Tables>;
  /** Which SQL dialect: full-text search differs (needed only by `search` with `text`). */
  readonly kind: StoreKind | undefined;
  constructor(db: Kysely<Tables>, kind?: StoreKind) {
    this.db = db;
    this.kind = kind;
  }

  async startConversation(c: Omit<ConversationTable, 'ended_at' | 'end_reason' | 'duration_sec' | 'cost_usd' | 'usage'>): Promise<void> {
    await this.db.insertInto('conversations').values({ ...c, ended_at: null, end_reason: null, duration_sec: null, cost_usd: null, usage: null }).execute();
  }

  /** Closes a conversation; what it spent, when given, replaces the running figures (kept otherwise, e.g. after a crash). */
  async endConversation(id: string, at: string, reason: string, spent: { durationSec?: number; usage?: unknown; costUsd?: number } = {}): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set((eb) => ({
        ended_at: at,
        end_reason: reason,
        duration_sec: spent.durationSec ?? eb.ref('duration_sec'),
        cost_usd: spent.costUsd ?? eb.ref('cost_usd'),
        usage: spent.usage === undefined ? eb.ref('usage') : json(spent.usage),
      }))
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
  }

  /**
   * What a running conversation has spent so far (replacing the last figures): the daily budget
   * counts it before it ends, on every node sharing the database. A conversation that has ended
   * keeps its final figures.
   */
  async noteSpending(id: string, spent: { durationSec: number; usage: unknown; costUsd: number }): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ duration_sec: spent.durationSec, cost_usd: spent.costUsd, usage: json(spent.usage) })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
  }

  /**
   * Conversations of the server's doors (web, phone) still open and started before `startedBefore`,
   * with the time of their last recorded event: what a crash may have left behind.
   */
  async openDoorConversations(startedBefore: string): Promise<{ id: string; agent: string; channel: string; direction: string; startedAt: string; lastAt: string | null; usage: unknown }[]> {
    const rows = await this.db
      .selectFrom('conversations as c')
      .select((eb) => ['c.id', 'c.agent', 'c.channel', 'c.direction', 'c.started_at', 'c.usage', eb.selectFrom('events').select((e) => e.fn.max('events.at').as('m')).whereRef('events.conversation_id', '=', 'c.id').as('last_at')])
      .where('c.ended_at', 'is', null)
      .where('c.channel', 'in', ['web', 'phone'])
      .where('c.started_at', '<', startedBefore)
      .execute();
    return rows.map((r) => ({ id: r.id, agent: r.agent, channel: r.channel, direction: r.direction, startedAt: r.started_at, lastAt: (r.last_at as string | null) ?? null, usage: parse(r.usage) }));
  }

  /**
   * What one agent's conversations started since `since` (ISO) cost and lasted, summed: the daily
   * budget. Running conversations count with what they have written so far; `except` leaves one
   * out (a conversation adding its own, fresher, figures).
   */
  async spentSince(agent: string, since: string, o: { except?: string } = {}): Promise<{ usd: number; minutes: number; conversations: number }> {
    let q = this.db
      .selectFrom('conversations')
      .select((eb) => [eb.fn.sum<number>('cost_usd').as('usd'), eb.fn.sum<number>('duration_sec').as('seconds'), eb.fn.countAll<number>().as('n')])
      .where('agent', '=', agent)
      .where('started_at', '>=', since);
    if (o.except) q = q.where('id', '<>', o.except);
    const row = await q.executeTakeFirst();
    return { usd: Number(row?.usd ?? 0), minutes: Number(row?.seconds ?? 0) / 60, conversations: Number(row?.n ?? 0) };
  }

  async appendEvent(conversationId: string, at: string, type: string, data: unknown): Promise<void> {
    await this.db.insertInto('events').values({ conversation_id: conversationId, at, type, data: JSON.stringify(data) }).execute();
  }

  async addTurn(conversationId: string, t: Omit<TurnRecord, 'knowledge'>): Promise<void> {
    await this.db
      .insertInto('turns')
      .values({
        conversation_id: conversationId,
        seq: t.seq,
        role: t.role,
        text: t.text,
        heard_text: t.heardText,
        interrupted: t.interrupted ? 1 : 0,
        grounding: t.grounding,
        started_at: t.startedAt,
        ended_at: t.endedAt,
        latency: json(t.latency ?? undefined),
      })
      .execute();
  }

  async setTurnGrounding(conversationId: string, seq: number, grounding: string): Promise<void> {
    await this.db.updateTable('turns').set({ grounding }).where('conversation_id', '=', conversationId).where('seq', '=', seq).execute();
  }

  /** Marks an agent turn interrupted, keeping only the words the caller heard. */
  async setHeard(conversationId: string, seq: number, heardText: string): Promise<void> {
    await this.db.updateTable('turns').set({ heard_text: heardText, interrupted: 1 }).where('conversation_id', '=', conversationId).where('seq', '=', seq).execute();
  }

  /** Adds stage timings to a turn's latency record. */
  async mergeLatency(conversationId: string, seq: number, latency: Record<string, number | null>): Promise<void> {
    const row = await this.db.selectFrom('turns').select('latency').where('conversation_id', '=', conversationId).where('seq', '=', seq).executeTakeFirst();
    if (!row) return;
    const merged = { ...((parse(row.latency) as Record<string, number | null>) ?? {}), ...latency };
    await this.db.updateTable('turns').set({ latency: JSON.stringify(merged) }).where('conversation_id', '=', conversationId).where('seq', '=', seq).execute();
  }

  async addToolCall(conversationId: string, c: ToolCallRecord): Promise<void> {
    await this.db
      .insertInto('tool_calls')
      .values({
        id: c.id,
        conversation_id: conversationId,
        turn_seq: c.turnSeq,
        name: c.name,
        input: JSON.stringify(c.input ?? null),
        request: json(c.request),
        response: json(c.response),
        result: json(c.result),
        error: c.error,
        started_at: c.startedAt,
        duration_ms: c.durationMs,
      })
      .execute();
  }

  async addKnowledgeHits(conversationId: string, turnSeq: number, hits: TurnRecord['knowledge']): Promise<void> {
    if (!hits.length) return;
    await this.db
      .insertInto('knowledge_hits')
      .values(hits.map((h) => ({ conversation_id: conversationId, turn_seq: turnSeq, chunk_id: h.chunkId, source: h.source, heading: h.heading, score: h.score })))
      .execute();
  }

  /** Saves the fields collected so far; later calls merge into earlier ones. */
  async saveLead(conversationId: string, agent: string, fields: Record<string, string>, at: string): Promise<Record<string, string>> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('leads').select('fields').where('conversation_id', '=', conversationId).executeTakeFirst();
      const merged = { ...(row ? (JSON.parse(row.fields) as Record<string, string>) : {}), ...fields };
      if (row) await tx.updateTable('leads').set({ fields: JSON.stringify(merged), updated_at: at }).where('conversation_id', '=', conversationId).execute();
      else await tx.insertInto('leads').values({ conversation_id: conversationId, agent, fields: JSON.stringify(merged), created_at: at, updated_at: at }).execute();
      return merged;
    });
  }

  async list(o: { agent?: string; channel?: string; limit?: number } = {}): Promise<ConversationSummary[]> {
    let q = this.#summaries().limit(o.limit ?? 50);
    if (o.agent) q = q.where('c.agent', '=', o.agent);
    if (o.channel) q = q.where('c.channel', '=', o.channel);
    return (await q.execute()).map(toSummary);
  }

  /** Conversations newest first with their turn and lead counts: what `list` and `search` share. */
  #summaries() {
    return this.db
      .selectFrom('conversations as c')
      .select((eb) => [
        'c.id',
        'c.agent',
        'c.channel',
        'c.started_at',
        'c.ended_at',
        'c.end_reason',
        eb.selectFrom('turns').select(eb.fn.countAll<number>().as('n')).whereRef('turns.conversation_id', '=', 'c.id').as('turns'),
        eb.selectFrom('leads').select(eb.fn.countAll<number>().as('n')).whereRef('leads.conversation_id', '=', 'c.id').as('leads'),
      ])
      .orderBy('c.started_at', 'desc');
  }

  /** Conversations matching `f`, newest first, a page at a time (keyset pagination on start time and id). */
  async search(f: ConversationFilter = {}): Promise<{ items: ConversationListItem[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(Math.trunc(f.limit ?? 50), 1), 200);
    let q = this.#summaries()
      .select((eb) => [
        'c.direction',
        'c.caller',
        eb.selectFrom('events').select(eb.fn.countAll<number>().as('n')).whereRef('events.conversation_id', '=', 'c.id').where('events.type', '=', 'booking.made').as('bookings'),
        eb.selectFrom('events').select(eb.fn.countAll<number>().as('n')).whereRef('events.conversation_id', '=', 'c.id').where('events.type', '=', 'recording.saved').as('recordings'),
        eb.selectFrom('turns').select('turns.text').whereRef('turns.conversation_id', '=', 'c.id').where('turns.role', '=', 'caller').orderBy('turns.seq').limit(1).as('preview'),
        outcomeOf(eb).as('outcome'),
        eb.selectFrom('leads').select('leads.fields').whereRef('leads.conversation_id', '=', 'c.id').as('lead_fields'),
        eb.selectFrom('analyses').select('analyses.summary').whereRef('analyses.conversation_id', '=', 'c.id').as('summary'),
        eb.selectFrom('analyses').select('analyses.status').whereRef('analyses.conversation_id', '=', 'c.id').as('analysis'),
        eb.selectFrom('outbound_calls').select('outbound_calls.outcome').whereRef('outbound_calls.conversation_id', '=', 'c.id').limit(1).as('call_outcome'),
        eb.selectFrom('outbound_calls').select('outbound_calls.campaign_id').whereRef('outbound_calls.conversation_id', '=', 'c.id').limit(1).as('campaign_id'),
      ])
      .orderBy('c.id', 'desc')
      .limit(limit + 1);
    if (f.agent) q = q.where('c.agent', '=', f.agent);
    if (f.channel) q = q.where('c.channel', '=', f.channel);
    if (f.from) q = q.where('c.started_at', '>=', f.from);
    if (f.to) q = q.where('c.started_at', '<', f.to);
    if (f.outcome) q = q.where((eb) => eb(outcomeOf(eb), '=', f.outcome!));
    if (f.real) q = q.where((eb) => realConversation(eb));
    const words = f.text?.match(/[\p{L}\p{N}]+/gu)?.slice(0, 8);
    if (words?.length) {
      if (!this.kind) throw new Error('Records needs the store kind to search transcripts');
      // SQLite: the FTS5 index of turns; Postgres: the GIN index on to_tsvector('simple', text). Each word may be a word's start.
      const match =
        this.kind === 'sqlite'
          ? sql<string>`(select t.conversation_id from turns t join turns_fts f on f.rowid = t.id where turns_fts match ${words.map((w) => `"${w}"*`).join(' ')})`
          : sql<string>`(select t.conversation_id from turns t where to_tsvector('simple', t.text) @@ to_tsquery('simple', ${words.map((w) => `${w.toLowerCase()}:*`).join(' & ')}))`;
      q = q.where('c.id', 'in', match);
    }
    if (f.cursor) {
      const after = decodeCursor(f.cursor);
      q = q.where((eb) => eb.or([eb('c.started_at', '<', after.startedAt), eb.and([eb('c.started_at', '=', after.startedAt), eb('c.id', '<', after.id)])]));
    }
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        ...toSummary(r),
        direction: r.direction,
        caller: r.caller,
        bookings: Number(r.bookings ?? 0),
        recording: Number(r.recordings ?? 0) > 0,
        preview: r.preview ?? null,
        outcome: r.outcome as Outcome,
        ...nameAndCompany(r.lead_fields),
        summary: r.summary ?? null,
        analysis: (r.analysis as AnalysisRecord['status'] | null) ?? null,
        callOutcome: (r.call_outcome as CallOutcome | null) ?? null,
        campaignId: r.campaign_id ?? null,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ startedAt: last.started_at, id: last.id }) : null,
    };
  }

  /** The outcome of one conversation (see `Outcome`), or undefined when there is no such conversation. */
  async outcome(id: string): Promise<Outcome | undefined> {
    const row = await this.db.selectFrom('conversations as c').select((eb) => outcomeOf(eb).as('outcome')).where('c.id', '=', id).executeTakeFirst();
    return row?.outcome as Outcome | undefined;
  }

  /** The whole record of one conversation; an id prefix is enough when it is unique. */
  async get(idOrPrefix: string): Promise<ConversationRecord | undefined> {
    const prefix = idOrPrefix.replace(/[^0-9a-f-]/gi, '');
    if (prefix.length < 4) return undefined; // too short to mean one conversation
    const matches = await this.db.selectFrom('conversations').selectAll().where('id', 'like', `${prefix}%`).limit(2).execute();
    if (matches.length !== 1) return undefined;
    const c = matches[0];
    const [turns, calls, hits, lead, bookings, call] = await Promise.all([
      this.db.selectFrom('turns').selectAll().where('conversation_id', '=', c.id).orderBy('seq').execute(),
      this.db.selectFrom('tool_calls').selectAll().where('conversation_id', '=', c.id).orderBy('started_at').execute(),
      this.db.selectFrom('knowledge_hits').selectAll().where('conversation_id', '=', c.id).orderBy('id').execute(),
      this.db.selectFrom('leads').select('fields').where('conversation_id', '=', c.id).executeTakeFirst(),
      this.db.selectFrom('events').select(['type', 'data', 'at']).where('conversation_id', '=', c.id).where('type', 'in', ['booking.made', 'recording.saved', 'error']).orderBy('id').execute(),
      this.db.selectFrom('outbound_calls').select(['call_sid', 'outcome', 'answered_by', 'campaign_id', 'contact_id']).where('conversation_id', '=', c.id).executeTakeFirst(),
    ]);
    const recording = bookings.findLast((e) => e.type === 'recording.saved');
    return {
      id: c.id,
      agent: c.agent,
      agentVersion: c.agent_version,
      channel: c.channel,
      direction: c.direction,
      caller: c.caller,
      startedAt: c.started_at,
      endedAt: c.ended_at,
      endReason: c.end_reason,
      turns: turns.map((t) => ({
        seq: t.seq,
        role: t.role as 'agent' | 'caller',
        text: t.text,
        heardText: t.heard_text,
        interrupted: t.interrupted === 1,
        grounding: t.grounding,
        startedAt: t.started_at,
        endedAt: t.ended_at,
        latency: parse(t.latency) as Record<string, number | null> | null,
        knowledge: hits.filter((h) => h.turn_seq === t.seq).map((h) => ({ chunkId: h.chunk_id, source: h.source, heading: h.heading, score: h.score })),
      })),
      toolCalls: calls.map((t) => ({
        id: t.id,
        turnSeq: t.turn_seq,
        name: t.name,
        input: parse(t.input),
        request: parse(t.request),
        response: parse(t.response),
        result: parse(t.result),
        error: t.error,
        startedAt: t.started_at,
        durationMs: t.duration_ms,
      })),
      lead: lead ? (JSON.parse(lead.fields) as Record<string, string>) : null,
      bookings: bookings.filter((e) => e.type === 'booking.made').map((b) => (JSON.parse(b.data) as { booking: BookingRecord }).booking),
      recording: recording ? (JSON.parse(recording.data) as { path: string; durationMs: number }) : null,
      errors: bookings.filter((e) => e.type === 'error').map((e) => ({ at: e.at, ...(JSON.parse(e.data) as { where: string; message: string }) })),
      durationSec: c.duration_sec,
      usage: parse(c.usage),
      costUsd: c.cost_usd,
      call: call ? { sid: call.call_sid, outcome: call.outcome as CallOutcome | null, answeredBy: call.answered_by, campaignId: call.campaign_id, contactId: call.contact_id } : null,
    };
  }
}

function toSummary(r: { id: string; agent: string; channel: string; started_at: string; ended_at: string | null; end_reason: string | null; turns: number | null; leads: number | null }): ConversationSummary {
  return { id: r.id, agent: r.agent, channel: r.channel, startedAt: r.started_at, endedAt: r.ended_at, endReason: r.end_reason, turns: Number(r.turns ?? 0), lead: Number(r.leads ?? 0) > 0 };
}

function nameAndCompany(fields: string | null): { name: string | null; company: string | null } {
  const lead = fields ? (JSON.parse(fields) as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return { name: text(lead.name), company: text(lead.company) };
}
