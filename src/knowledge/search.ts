import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Store } from '../store/store.ts';
import { ftsQuery } from './terms.ts';

/** A chunk found for a query; a higher score is a better match. */
export interface KnowledgeHit {
  chunkId: number;
  /** The document it came from: a path relative to the agent folder, or a URL. */
  source: string;
  /** Heading path, e.g. "Pricing › Retainer". */
  heading: string;
  text: string;
  /** BM25 relevance (heading words count double), always above zero. */
  score: number;
}

/** How a search is run. */
export interface SearchOptions {
  /** Most hits to return (default 5, at most 100). */
  limit?: number;
  signal?: AbortSignal;
}

// bm25() is lower-is-better and negative; weights follow the column order (heading, text).
const SEARCH_SQL = `
  SELECT c.id AS id, c.source AS source, c.heading AS heading, c.text AS text, bm25(knowledge_fts, 2.0, 1.0) AS rank
  FROM knowledge_fts JOIN knowledge_chunks c ON c.id = knowledge_fts.rowid
  WHERE knowledge_fts MATCH ? AND c.agent = ?
  ORDER BY rank
  LIMIT ?`;

// One prepared statement per open database: preparing costs more than running the search.
const statements = new WeakMap<DatabaseSync, StatementSync>();

/**
 * The agent's chunks that best match free text, best first. Every hit contains at least one of the
 * query's content terms (see `contentTerms`); a query with none (only stop words) returns [].
 */
export async function searchKnowledge(store: Store, agent: string, query: string, o: SearchOptions = {}): Promise<KnowledgeHit[]> {
  o.signal?.throwIfAborted();
  if (store.kind !== 'sqlite' || !store.sqlite) {
    throw new Error(`knowledge search is not supported yet on ${store.kind === 'sqlite' ? 'this store' : 'PostgreSQL'}; use a SQLite store (file:PATH)`);
  }
  const match = ftsQuery(query);
  if (!match) return [];
  const limit = Number.isFinite(o.limit) ? Math.min(100, Math.max(1, Math.floor(o.limit as number))) : 5;
  const rows = statement(store.sqlite).all(match, agent, limit) as { id: number; source: string; heading: string; text: string; rank: number }[];
  return rows.map((r) => ({ chunkId: Number(r.id), source: r.source, heading: r.heading, text: r.text, score: Math.max(-r.rank, Number.MIN_VALUE) }));
}

function statement(db: DatabaseSync): StatementSync {
  let stmt = statements.get(db);
  if (!stmt) {
    stmt = db.prepare(SEARCH_SQL);
    statements.set(db, stmt);
  }
  return stmt;
}
