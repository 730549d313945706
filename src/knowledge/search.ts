import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Store } from '../store/store.ts';
import { searchPostgres } from './search-postgres.ts';
import { contentTerms, ftsQuery } from './terms.ts';

/** A chunk found for a query; a higher score is a better match. */
export interface KnowledgeHit {
  chunkId: number;
  /** The document it came from: a path relative to the agent folder, or a URL. */
  source: string;
  /** Heading path, e.g. "Pricing › Retainer". */
  heading: string;
  text: string;
  /** BM25 relevance (heading words count double), always above zero; comparable within one store kind only. */
  score: number;
}

/** How a search is run. */
export interface SearchOptions {
  /** Most hits to return (default 5, at most 100). */
  limit?: number;
  signal?: AbortSignal;
}

// bm25() is lower-is-better and negative; the weights follow the FTS columns (heading, text).
// The FTS query ranks rowids only; chunk rows are read for the few winners, not for every match.
const RANK = 'bm25(knowledge_fts, 2.0, 1.0)';
const SQL = {
  // The best matches of any agent; cheap, and enough whenever the agent owns most of them.
  anyAgent: `
    SELECT c.id AS id, c.agent AS agent, c.source AS source, c.heading AS heading, c.text AS text, r.rank AS rank
    FROM (SELECT rowid AS id, ${RANK} AS rank FROM knowledge_fts WHERE knowledge_fts MATCH ? ORDER BY rank LIMIT ?) r
    JOIN knowledge_chunks c ON c.id = r.id
    ORDER BY r.rank`,
  // Only the agent's chunks: its ids come from the (agent, source) index, and the unary + keeps
  // SQLite from driving the FTS lookup row by row from that list (seconds instead of milliseconds).
  oneAgent: `
    SELECT c.id AS id, c.agent AS agent, c.source AS source, c.heading AS heading, c.text AS text, r.rank AS rank
    FROM (SELECT rowid AS id, ${RANK} AS rank FROM knowledge_fts
          WHERE knowledge_fts MATCH ? AND +rowid IN (SELECT id FROM knowledge_chunks WHERE agent = ?)
          ORDER BY rank LIMIT ?) r
    JOIN knowledge_chunks c ON c.id = r.id
    WHERE c.agent = ?
    ORDER BY r.rank`,
};

// How many more matches than asked for the cheap query fetches before filtering by agent.
const OVERFETCH = 4;

type Row = { id: number; agent: string; source: string; heading: string; text: string; rank: number };

// Prepared once per open database: preparing costs more than running a search.
const prepared = new WeakMap<DatabaseSync, Record<keyof typeof SQL, StatementSync>>();

/**
 * The agent's chunks that best match free text, best first. Every hit contains at least one of the
 * query's content terms (see `contentTerms`); a query with none (only stop words) returns [].
 */
export async function searchKnowledge(store: Store, agent: string, query: string, o: SearchOptions = {}): Promise<KnowledgeHit[]> {
  o.signal?.throwIfAborted();
  const limit = Number.isFinite(o.limit) ? Math.min(100, Math.max(1, Math.floor(o.limit as number))) : 5;
  if (store.kind === 'postgres') {
    const terms = contentTerms(query);
    return terms.length ? searchPostgres(store, agent, terms, limit, o.signal) : [];
  }
  if (!store.sqlite) throw new Error('knowledge search on SQLite needs the store opened by openStore (no raw handle here)');
  const match = ftsQuery(query);
  if (!match) return [];
  const s = statements(store.sqlite);
  // The agent's best chunks, in order, are the agent's among the overall best — exact as long as
  // enough of them are there, or every match was seen. Otherwise ask for the agent's alone.
  const wide = limit * OVERFETCH;
  const best = s.anyAgent.all(match, wide) as Row[];
  let rows = best.filter((r) => r.agent === agent);
  if (rows.length < limit && best.length === wide) rows = s.oneAgent.all(match, agent, limit, agent) as Row[];
  return rows.slice(0, limit).map((r) => ({ chunkId: Number(r.id), source: r.source, heading: r.heading, text: r.text, score: Math.max(-r.rank, Number.MIN_VALUE) }));
}

function statements(db: DatabaseSync): Record<keyof typeof SQL, StatementSync> {
  let s = prepared.get(db);
  if (!s) {
    s = { anyAgent: db.prepare(SQL.anyAgent), oneAgent: db.prepare(SQL.oneAgent) };
    prepared.set(db, s);
  }
  return s;
}
