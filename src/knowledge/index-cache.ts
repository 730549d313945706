import type { Store } from '../store/store.ts';
import type { KnownLanguage } from '../util/language.ts';
import { decodeVector, textHash } from './embeddings.ts';
import { KnowledgeIndex } from './knowledge-index.ts';

// One in-memory index per agent (and embedding model) and store, rebuilt when the agent's
// documents or vectors change. What changed is read from knowledge_sources (one row per document,
// with its content hash) and the count of stored vectors, so an ingest by another process or
// node is seen on the next turn; chunks and vectors are read only then. The agent's language is
// part of the key: its words are stemmed in it, so a language change builds the index anew.

interface Cached {
  fingerprint: string;
  index: Promise<KnowledgeIndex>;
  /** Vector count when built; -1 when every chunk had a vector (nothing more can arrive without a document change). */
  vectors: number;
  checkedAt: number;
}

/** How often an index missing some vectors looks for them (an ingest may still be embedding). */
const VECTOR_RECHECK_MS = 2000;

const cache = new WeakMap<Store, Map<string, Cached>>();

/** The agent's current index, with the vectors of `embeddingLabel` when given; built on first use and after a change. */
export async function knowledgeIndexOf(store: Store, agent: string, o: { embeddingLabel?: string; language?: KnownLanguage; signal?: AbortSignal } = {}): Promise<KnowledgeIndex> {
  const language = o.language ?? 'en';
  o.signal?.throwIfAborted();
  const sources = await store.db.selectFrom('knowledge_sources').select(['source', 'hash']).where('agent', '=', agent).orderBy('source').execute();
  const fingerprint = sources.map((s) => `${s.source}\0${s.hash}`).join('\n');
  const key = `${agent}\0${o.embeddingLabel ?? ''}\0${language}`;
  let byAgent = cache.get(store);
  if (!byAgent) cache.set(store, (byAgent = new Map()));
  const cached = byAgent.get(key);
  if (cached?.fingerprint === fingerprint) {
    // Vectors are written after the chunks: an index built in between looks again, now and then.
    if (!o.embeddingLabel || cached.vectors < 0 || Date.now() - cached.checkedAt < VECTOR_RECHECK_MS) return cached.index;
    cached.checkedAt = Date.now();
    if ((await vectorCount(store, agent, o.embeddingLabel)) === cached.vectors) return cached.index;
  }
  const loading = load(store, agent, o.embeddingLabel, language);
  const entry: Cached = { fingerprint, index: loading.then((l) => l.index), vectors: 0, checkedAt: Date.now() };
  byAgent.set(key, entry);
  loading.then(
    ({ index, rows }) => {
      entry.vectors = index.vectors.every(Boolean) ? -1 : rows;
    },
    () => {
      if (byAgent.get(key) === entry) byAgent.delete(key); // the next turn tries again
    },
  );
  return entry.index;
}

async function vectorCount(store: Store, agent: string, label: string): Promise<number> {
  const row = await store.db
    .selectFrom('knowledge_embeddings')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('agent', '=', agent)
    .where('model', '=', label)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function load(store: Store, agent: string, embeddingLabel: string | undefined, language: KnownLanguage): Promise<{ index: KnowledgeIndex; rows: number }> {
  const rows = await store.db
    .selectFrom('knowledge_chunks')
    .select(['id', 'source', 'heading', 'text'])
    .where('agent', '=', agent)
    .orderBy('source')
    .orderBy('seq')
    .execute();
  const chunks = rows.map((r) => ({ id: Number(r.id), source: r.source, heading: r.heading, text: r.text }));
  if (!embeddingLabel) return { index: new KnowledgeIndex(chunks, [], language), rows: 0 };
  const stored = await store.db.selectFrom('knowledge_embeddings').select(['text_hash', 'vector']).where('agent', '=', agent).where('model', '=', embeddingLabel).execute();
  const byHash = new Map(stored.map((r) => [r.text_hash, r.vector]));
  const vectors = chunks.map((c) => {
    const v = byHash.get(textHash(c.heading, c.text));
    return v === undefined ? undefined : decodeVector(v);
  });
  return { index: new KnowledgeIndex(chunks, vectors, language), rows: stored.length };
}
