import { sql } from 'kysely';
import type { Store } from '../store/store.ts';
import type { KnowledgeHit } from './search.ts';

// Knowledge search on PostgreSQL. Postgres' full-text parser and English stemmer turn each chunk
// into lexemes (the `tsv` column: heading weighted A, body D); a trigger copies them into
// knowledge_postings (agent, lexeme → chunk, term frequency with heading words counted twice,
// chunk length). A search reads one index range per query lexeme — index-only, no chunk is
// touched until the winners — and ranks with BM25 (k1 1.2, b 0.75), as FTS5's bm25() does on
// SQLite, so both stores rank alike. Migration 0005 says why this replaced ts_rank.

type Row = { id: number; source: string; heading: string; text: string; score: number };

const K1 = 1.2;
const B = 0.75;

/** The agent's `limit` best chunks for `terms` (already content terms: letters and digits only). */
export async function searchPostgres(store: Store, agent: string, terms: string[], limit: number, signal?: AbortSignal): Promise<KnowledgeHit[]> {
  const { rows } = await sql<Row>`
    WITH q AS (
      SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('english', ${terms.join(' ')}))) AS lexeme
    ), corpus AS (
      SELECT greatest(coalesce(sum(chunks), 0), 1) AS n, greatest(coalesce(sum(lexemes), 0), 1)::float8 / greatest(coalesce(sum(chunks), 0), 1) AS avglen
      FROM knowledge_sources WHERE agent = ${agent}
    ), hit AS MATERIALIZED (
      SELECT p.lexeme, p.chunk_id, p.tf, p.len FROM q JOIN knowledge_postings p ON p.agent = ${agent} AND p.lexeme = q.lexeme
    ), idf AS (
      -- once per lexeme, in float8: numeric ln() on every match cost more than the whole lookup
      SELECT hit.lexeme, ln(1 + (corpus.n - count(*) + 0.5)::float8 / (count(*) + 0.5)) AS w
      FROM hit CROSS JOIN corpus GROUP BY hit.lexeme, corpus.n
    ), best AS (
      SELECT hit.chunk_id,
             sum(idf.w * hit.tf * ${sql.lit(K1 + 1)} / (hit.tf + ${sql.lit(K1)} * (${sql.lit(1 - B)} + ${sql.lit(B)} * hit.len / corpus.avglen))) AS score
      FROM hit JOIN idf USING (lexeme) CROSS JOIN corpus
      GROUP BY hit.chunk_id
      ORDER BY score DESC, hit.chunk_id
      LIMIT ${limit}
    )
    SELECT c.id, c.source, c.heading, c.text, best.score
    FROM best JOIN knowledge_chunks c ON c.id = best.chunk_id
    ORDER BY best.score DESC, c.id`.execute(store.db, { signal });
  return rows.map((r) => ({ chunkId: Number(r.id), source: r.source, heading: r.heading, text: r.text, score: Math.max(Number(r.score), Number.MIN_VALUE) }));
}
