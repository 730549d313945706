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
  // Heading words count double (A = 1.0 against D = 0.5); normalisation 1 divides by 1 + log(length),
  // so a long chunk does not win just by repeating a word.
  const { rows } = await sql<Row>`
    WITH term AS (
      SELECT to_tsquery('english', t) AS q FROM unnest(${terms}::text[]) AS t
    ), stat AS (
      SELECT term.q, (SELECT count(*) FROM knowledge_chunks c WHERE c.agent = ${agent} AND c.tsv @@ term.q) AS df
      FROM term WHERE numnode(term.q) > 0
    ), size AS (
      SELECT greatest(coalesce(sum(chunks), 0), 1) AS n FROM knowledge_sources WHERE agent = ${agent}
    )
    SELECT c.id, c.source, c.heading, c.text,
           sum(ln(1 + (size.n - stat.df + 0.5) / (stat.df + 0.5)) * ts_rank('{0.5, 0.5, 0.5, 1.0}', c.tsv, stat.q, 1)) AS score
    FROM stat
    JOIN knowledge_chunks c ON c.tsv @@ stat.q AND c.agent = ${agent}
    CROSS JOIN size
    WHERE stat.df > 0
    GROUP BY c.id, c.source, c.heading, c.text
    ORDER BY score DESC, c.id
    LIMIT ${limit}`.execute(store.db, { signal });
  return rows.map((r) => ({ chunkId: Number(r.id), source: r.source, heading: r.heading, text: r.text, score: Math.max(Number(r.score), Number.MIN_VALUE) }));
}
