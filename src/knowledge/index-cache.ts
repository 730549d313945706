import type { Store } from '../store/store.ts';
import { decodeVector, textHash } from './embeddings.ts';
import { KnowledgeIndex } from './knowledge-index.ts';

// One in-memory index per agent (and embedding model) and store, rebuilt when the agent's
// documents or vectors change. What changed is read from knowledge_sources (one row per document,
// with its content hash) and the count of stored vectors, so an ingest by another process or
// node is seen on the next turn; chunks and vectors are read only then.

interface Cached {
  fingerprint: string;
  index: Promise<KnowledgeIndex>;
}

const cache = new WeakMap<Store, Map<string, Cached>>();

/** The agent's current index, with the vectors of `embeddingLabel` when given; built on first use and after a change. */
export async function knowledgeIndexOf(store: Store, agent: string, o: { embeddingLabel?: string; signal?: AbortSignal } = {}): Promise<KnowledgeIndex> {
  o.signal?.throwIfAborted();
  const sources = await store.db.selectFrom('knowledge_sources').select(['source', 'hash']).where('agent', '=', agent).orderBy('source').execute();
  let fingerprint = sources.map((s) => `${s.source}\0${s.hash}`).join('\n');
  if (o.embeddingLabel) {
    const n = await store.db
      .selectFrom('knowledge_embeddings')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('agent', '=', agent)
      .where('model', '=', o.embeddingLabel)
      .executeTakeFirst();
    fingerprint += `\n#${n?.n ?? 0}`;
  }
  const key = `${agent}\0${o.embeddingLabel ?? ''}`;
  let byAgent = cache.get(store);
  if (!byAgent) cache.set(store, (byAgent = new Map()));
  const cached = byAgent.get(key);
  if (cached?.fingerprint === fingerprint) return cached.index;
  const index = load(store, agent, o.embeddingLabel);
  byAgent.set(key, { fingerprint, index });
  index.catch(() => {
    if (byAgent.get(key)?.index === index) byAgent.delete(key); // the next turn tries again
  });
  return index;
}

async function load(store: Store, agent: string, embeddingLabel: string | undefined): Promise<KnowledgeIndex> {
  const rows = await store.db
    .selectFrom('knowledge_chunks')
    .select(['id', 'source', 'heading', 'text'])
    .where('agent', '=', agent)
    .orderBy('source')
    .orderBy('seq')
    .execute();
  const chunks = rows.map((r) => ({ id: Number(r.id), source: r.source, heading: r.heading, text: r.text }));
  if (!embeddingLabel) return new KnowledgeIndex(chunks);
  const stored = await store.db.selectFrom('knowledge_embeddings').select(['text_hash', 'vector']).where('agent', '=', agent).where('model', '=', embeddingLabel).execute();
  const byHash = new Map(stored.map((r) => [r.text_hash, r.vector]));
  const vectors = chunks.map((c) => {
    const v = byHash.get(textHash(c.heading, c.text));
    return v === undefined ? undefined : decodeVector(v);
  });
  return new KnowledgeIndex(chunks, vectors);
}
