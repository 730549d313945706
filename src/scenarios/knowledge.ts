import type { Agent } from '../agent/load.ts';
import { ingestKnowledge, type IngestReport, type KnowledgeSource } from '../knowledge/index.ts';
import { openStore, type Store } from '../store/store.ts';

// Every scenario run gets a store of its own, so bookings and leads of one run never leak into
// the next. The documents are read and indexed once per `parley test`, then copied row by row
// into each run's store (triggers keep the full-text index in step).

const BATCH = 200;

/** The agent's knowledge, indexed once in memory, ready to copy into each run's store. */
export interface KnowledgeTemplate {
  readonly store: Store;
  readonly report: IngestReport;
}

/** Reads and indexes the agent's documents into an in-memory store; a page with a stand-in file (`offline:`) is read from the file, never fetched. */
export async function indexKnowledge(agent: Agent, sources: KnowledgeSource[], signal?: AbortSignal, fetch?: typeof globalThis.fetch): Promise<KnowledgeTemplate> {
  const store = await openStore('file::memory:');
  const urls = { allowPrivate: agent.config.knowledge.allowPrivateUrls, maxBytes: agent.config.knowledge.maxUrlBytes };
  const report = await ingestKnowledge(store, { agent: agent.name, dir: agent.dir, sources, urls, offline: true }, { signal, fetch });
  return { store, report };
}

/** A fresh in-memory store holding a copy of the agent's indexed knowledge. */
export async function storeWithKnowledge(template: KnowledgeTemplate, agent: string): Promise<Store> {
  const store = await openStore('file::memory:');
  const from = template.store.db;
  const sources = await from.selectFrom('knowledge_sources').selectAll().where('agent', '=', agent).execute();
  const chunks = await from.selectFrom('knowledge_chunks').selectAll().where('agent', '=', agent).orderBy('id').execute();
  await store.db.transaction().execute(async (tx) => {
    if (sources.length) await tx.insertInto('knowledge_sources').values(sources).execute();
    for (let i = 0; i < chunks.length; i += BATCH) await tx.insertInto('knowledge_chunks').values(chunks.slice(i, i + BATCH)).execute();
  });
  return store;
}
