import { sql } from 'kysely';
import type { Store } from '../store/store.ts';
import type { KnowledgeHit } from './search.ts';

// Knowledge search on PostgreSQL: the chunk's `tsv` column (heading weighted A, body D, English
// stemming) behind a GIN index. ts_rank alone has no notion of how rare a word is, so a question's
// common words would drown its telling one; each term's rank is weighted by its BM25 inverse
// document frequency within the agent's chunks, which keeps results in line with SQLite's bm25().

type Row = { id: number; source: string; heading: string; text: string; score: number };

/** The agent's `limit` best chunks for `terms` (already content terms: letters and digits only). */
export async function searchPostgres(store: Store, agent: string, terms: string[], limit: number, signal?: AbortSignal): Promise<KnowledgeHit[]> {
  // One index lookup per term, each with its own constant query so the planner estimates it from
  // the column's statistics (a tsquery coming out of a CTE hides that and gets a full scan).
  // Heading words count double (A = 1.0 against D = 0.5); normalisation 1 divides by 1 + log(length),
  // so a long chunk does not win just by repeating a word. df, the term's document frequency, is
  // counted from the same matches.
  const perTerm = terms.map(
    (t, i) => sql`SELECT ${sql.lit(i)}::int AS term, id, ts_rank('{0.5, 0.5, 0.5, 1.0}', tsv, q, 1) AS rank
      FROM knowledge_chunks, to_tsquery('english', ${t}) AS q
      WHERE agent = ${agent} AND tsv @@ q`,
  );
  const { rows } = await sql<Row>`
    WITH hit AS MATERIALIZED (${sql.join(perTerm, sql` UNION ALL `)}),
    df AS (SELECT term, count(*) AS n FROM hit GROUP BY term),
    size AS (SELECT greatest(coalesce(sum(chunks), 0), 1) AS n FROM knowledge_sources WHERE agent = ${agent}),
    best AS (
      SELECT hit.id, sum(ln(1 + (size.n - df.n + 0.5) / (df.n + 0.5)) * hit.rank) AS score
      FROM hit JOIN df USING (term) CROSS JOIN size
      GROUP BY hit.id
      ORDER BY score DESC, hit.id
      LIMIT ${limit}
    )
    SELECT c.id, c.source, c.heading, c.text, best.score
    FROM best JOIN knowledge_chunks c ON c.id = best.id
    ORDER BY best.score DESC, c.id`.execute(store.db, { signal });
  return rows.map((r) => ({ chunkId: Number(r.id), source: r.source, heading: r.heading, text: r.text, score: Math.max(Number(r.score), Number.MIN_VALUE) }));
}
