import type { Kysely } from 'kysely';
import type { AnalysisRecord } from './record-types.ts';
import type { Tables } from './tables.ts';

// Post-call analyses, one row per conversation, written once (done, failed or skipped).

const parse = <T>(v: string | null): T | null => (v == null ? null : (JSON.parse(v) as T));

/** Reads and writes the `analyses` table. */
export class Analyses {
  readonly db: Kysely<Tables>;
  constructor(db: Kysely<Tables>) {
    this.db = db;
  }

  /** Stores a conversation's analysis; false when one was already stored (another node got there first). */
  async save(conversationId: string, agent: string, a: AnalysisRecord): Promise<boolean> {
    const r = await this.db
      .insertInto('analyses')
      .values({
        conversation_id: conversationId,
        agent,
        status: a.status,
        summary: a.summary,
        data: a.data ? JSON.stringify(a.data) : null,
        criteria: JSON.stringify(a.criteria),
        error: a.error,
        model: a.model,
        attempts: a.attempts,
        analysed_at: a.analysedAt,
      })
      .onConflict((oc) => oc.column('conversation_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(conversationId: string): Promise<AnalysisRecord | null> {
    const r = await this.db.selectFrom('analyses').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
    if (!r) return null;
    return {
      status: r.status as AnalysisRecord['status'],
      summary: r.summary,
      data: parse(r.data),
      criteria: parse(r.criteria) ?? [],
      error: r.error,
      model: r.model,
      attempts: r.attempts,
      analysedAt: r.analysed_at,
    };
  }

  /** Conversations of `agents` that ended after `since` (ISO) and have no analysis yet, oldest first: what a crash left undone. */
  async pending(agents: string[], since: string, limit = 500): Promise<string[]> {
    if (!agents.length) return [];
    const rows = await this.db
      .selectFrom('conversations as c')
      .select('c.id')
      .where('c.ended_at', 'is not', null)
      .where('c.ended_at', '>=', since)
      .where('c.agent', 'in', agents)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('analyses').select('analyses.conversation_id').whereRef('analyses.conversation_id', '=', 'c.id'))))
      .orderBy('c.ended_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }
}
