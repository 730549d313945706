import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Store } from '../store/store.ts';
import { errorText } from '../util/error-text.ts';
import { chunkBlocks, type Chunk } from './chunk.ts';
import { embedChunks, type EmbedReport, type Embedder } from './embeddings.ts';
import { readDocument, type SourceBytes } from './read.ts';
import { resolveSources, type KnowledgeSource, type SourceRef } from './sources.ts';
import { fetchSource } from './url.ts';
import type { UrlPolicy } from './url-policy.ts';

/** What the agent's knowledge is made of: its name, its folder, and `knowledge.sources` from agent.yaml. */
export interface KnowledgeSpec {
  agent: string;
  /** The agent folder; relative sources are resolved against it and stored relative to it. */
  dir: string;
  /** Files, folders (walked recursively) and http(s) URLs, a URL perhaps with its stand-in file. */
  sources: KnowledgeSource[];
  /** Tests: a URL with a stand-in file (`offline:`) is read from that file, never fetched. */
  offline?: boolean;
  /** What URL sources may reach and how much is read (`knowledge.allowPrivateUrls`, `maxUrlBytes`); public only and 5 MB by default. */
  urls?: Partial<UrlPolicy>;
}

/** What happened to one source during an ingest. */
export type IngestStatus = 'added' | 'updated' | 'unchanged' | 'removed' | 'failed';

/** Progress after each source, for a progress bar. */
export interface IngestProgress {
  done: number;
  total: number;
  source: string;
  status: IngestStatus;
}

/** How an ingest is run. */
export interface IngestOptions {
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** Used for URL sources (tests pass a fake); global fetch by default. */
  fetch?: typeof fetch;
  /** Per-URL time limit in milliseconds (default 20 000). */
  urlTimeoutMs?: number;
  /** `knowledge.embeddings`: chunks without a vector for this model get one after the documents are indexed. */
  embedder?: Embedder;
}

/** The outcome of an ingest: counts per status, what failed and why, and the agent's chunk total afterwards. */
export interface IngestReport {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: { source: string; message: string }[];
  /** Files inside source folders in formats Parley cannot read; not an error. */
  skipped: { source: string; reason: string }[];
  /** Chunks indexed for the agent once the ingest is done. */
  chunks: number;
  /** What embedding did, with an embedder; `error` when the model failed (search then falls back to words for chunks without vectors). */
  embeddings?: EmbedReport | { error: string };
}

const INSERT_BATCH = 200; // rows per INSERT, well under SQLite's bound-parameter limit

/**
 * Brings an agent's knowledge index in line with its sources: new and changed documents are read,
 * chunked and indexed (one transaction per source), unchanged ones (same sha256) are skipped, and
 * documents no longer among the sources are removed. A source that fails keeps its previous chunks.
 */
export async function ingestKnowledge(store: Store, spec: KnowledgeSpec, o: IngestOptions = {}): Promise<IngestReport> {
  const { signal } = o;
  const report: IngestReport = { added: 0, updated: 0, unchanged: 0, removed: 0, failed: [], skipped: [], chunks: 0 };
  const resolved = await resolveSources(spec.dir, spec.sources, { signal });
  report.skipped = resolved.skipped;

  const stored = new Map(
    (await store.db.selectFrom('knowledge_sources').select(['source', 'hash']).where('agent', '=', spec.agent).execute()).map((r) => [r.source, r.hash]),
  );
  const current = new Set(resolved.refs.map((r) => r.name));
  const gone = [...stored.keys()].filter((name) => !current.has(name));
  const total = resolved.failed.length + resolved.refs.length + gone.length;
  let done = 0;
  const progress = (source: string, status: IngestStatus) => {
    if (status !== 'failed') report[status]++; // failures are recorded with their message
    o.onProgress?.({ done: ++done, total, source, status });
  };

  for (const f of resolved.failed) {
    report.failed.push(f);
    progress(f.source, 'failed');
  }
  for (const ref of resolved.refs) {
    signal?.throwIfAborted();
    let status: IngestStatus;
    try {
      const done = await ingestOne(store, spec, ref, stored.get(ref.name), o);
      status = done.status;
      if (done.fallback) report.failed.push({ source: ref.name, message: done.fallback });
    } catch (e) {
      if (signal?.aborted) throw e;
      report.failed.push({ source: ref.name, message: (e as Error).message });
      status = 'failed';
    }
    progress(ref.name, status);
  }
  for (const name of gone) {
    signal?.throwIfAborted();
    await store.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('knowledge_chunks').where('agent', '=', spec.agent).where('source', '=', name).execute();
      await tx.deleteFrom('knowledge_sources').where('agent', '=', spec.agent).where('source', '=', name).execute();
    });
    progress(name, 'removed');
  }

  // Postgres: fresh statistics for the planner, and a visibility map so a search reads postings
  // from the index alone (without it, one heap page per match: 5× slower on bench/knowledge).
  if (store.kind === 'postgres' && report.added + report.updated + report.removed > 0) await sql`VACUUM (ANALYZE) knowledge_postings, knowledge_chunks`.execute(store.db);

  const sum = await store.db
    .selectFrom('knowledge_sources')
    .select((eb) => eb.fn.sum<number | string | null>('chunks').as('n'))
    .where('agent', '=', spec.agent)
    .executeTakeFirst();
  report.chunks = Number(sum?.n ?? 0);
  if (o.embedder) {
    try {
      report.embeddings = await embedChunks(store, spec.agent, o.embedder, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      report.embeddings = { error: errorText(e) };
    }
  }
  return report;
}

// Bump when reading or chunking rules change, so unchanged files are re-chunked once.
const INDEX_FORMAT = 'parley-knowledge-1';

/**
 * Re-reads one URL source of `spec` (a server's `refreshMinutes`), leaving every other source
 * alone: a changed page replaces its chunks, a failure keeps the last copy and says why.
 */
export async function refreshUrlSource(store: Store, spec: KnowledgeSpec, url: string, o: IngestOptions = {}): Promise<{ status: IngestStatus; error?: string }> {
  const ref = (await resolveSources(spec.dir, spec.sources.filter((s) => (typeof s === 'string' ? s : s.url) === url), { signal: o.signal })).refs.find((r) => r.kind === 'url');
  if (!ref) return { status: 'failed', error: `${url} is not among the agent's knowledge sources` };
  const previous = await store.db.selectFrom('knowledge_sources').select('hash').where('agent', '=', spec.agent).where('source', '=', url).executeTakeFirst();
  try {
    // A refresh never falls back to the stand-in file: the last fetched copy is the better one.
    const done = await ingestOne(store, spec, previous ? { ...ref, offline: undefined } : ref, previous?.hash, o);
    let embedding: string | undefined;
    if (done.status !== 'unchanged' && o.embedder) {
      // Without vectors the new chunks are still found by their words.
      embedding = await embedChunks(store, spec.agent, o.embedder, o.signal).then(
        () => undefined,
        (e: unknown) => {
          if (o.signal?.aborted) throw e;
          return `could not embed its chunks (${errorText(e)}); searching them by words`;
        },
      );
    }
    const error = [done.fallback, embedding].filter(Boolean).join('; ');
    return error ? { status: done.status, error } : { status: done.status };
  } catch (e) {
    if (o.signal?.aborted) throw e;
    return { status: 'failed', error: errorText(e) };
  }
}

/** Reads one source and, when its bytes changed, replaces its chunks; `fallback` says a page was read from its stand-in file instead. */
async function ingestOne(store: Store, spec: KnowledgeSpec, ref: SourceRef, previousHash: string | undefined, o: IngestOptions): Promise<{ status: IngestStatus; fallback?: string }> {
  const { agent } = spec;
  const { source, fallback } = await load(ref, spec, previousHash, o);
  const hash = createHash('sha256').update(`${INDEX_FORMAT}\0`).update(source.bytes).digest('hex');
  if (hash === previousHash) return { status: 'unchanged', fallback };
  let chunks: Chunk[];
  try {
    chunks = chunkBlocks(await readDocument(source, { signal: o.signal }));
  } catch (e) {
    if (o.signal?.aborted) throw e;
    throw new Error(`cannot read it as ${source.format}: ${(e as Error).message}`, { cause: e });
  }
  o.signal?.throwIfAborted();
  await replaceChunks(store, agent, ref.name, hash, chunks);
  return { status: previousHash === undefined ? 'added' : 'updated', fallback };
}

/**
 * A source's bytes. A URL with a stand-in file is read from the file in tests; elsewhere it is
 * fetched, and the stand-in is read only when the fetch fails and no copy is indexed yet (a copy
 * that is indexed stays, as for any source that fails).
 */
async function load(ref: SourceRef, spec: KnowledgeSpec, previousHash: string | undefined, o: IngestOptions): Promise<{ source: SourceBytes; fallback?: string }> {
  if (ref.kind === 'file') return { source: { bytes: await readFile(ref.path, { signal: o.signal }), format: ref.format } };
  const standIn = async (c: NonNullable<typeof ref.offline>): Promise<SourceBytes> => {
    try {
      return { bytes: await readFile(c.path, { signal: o.signal }), format: c.format };
    } catch (e) {
      if (o.signal?.aborted) throw e;
      throw new Error(`cannot read its stand-in ${c.source}: ${errorText(e)}`, { cause: e });
    }
  };
  if (spec.offline && ref.offline) return { source: await standIn(ref.offline) };
  try {
    return { source: await fetchSource(ref.name, { signal: o.signal, fetch: o.fetch, timeoutMs: o.urlTimeoutMs, policy: spec.urls }) };
  } catch (e) {
    if (o.signal?.aborted || !ref.offline || previousHash !== undefined) throw e;
    return { source: await standIn(ref.offline), fallback: `${errorText(e)}; indexed its stand-in ${ref.offline.source} instead` };
  }
}

/**
 * One transaction: the old chunks go, the new ones come in, the source row records the new hash.
 * Several nodes start at once and each ingests its agents into a shared Postgres: under READ
 * COMMITTED two such transactions would each delete the old chunks and both insert, doubling
 * them. A per-source advisory lock makes them take turns, and the later one finds the hash
 * already stored and leaves the chunks alone. (SQLite's single writer serialises them already.)
 */
async function replaceChunks(store: Store, agent: string, source: string, hash: string, chunks: Chunk[]): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    if (store.kind === 'postgres') {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`parley.knowledge:${agent}|${source}`}))`.execute(tx);
      const now = await tx.selectFrom('knowledge_sources').select('hash').where('agent', '=', agent).where('source', '=', source).executeTakeFirst();
      if (now?.hash === hash) return;
    }
    await tx.deleteFrom('knowledge_chunks').where('agent', '=', agent).where('source', '=', source).execute();
    const rows = chunks.map((c, seq) => ({ agent, source, heading: c.heading, text: c.text, seq }));
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await tx.insertInto('knowledge_chunks').values(rows.slice(i, i + INSERT_BATCH)).execute();
    }
    await tx
      .insertInto('knowledge_sources')
      .values({ agent, source, hash, chunks: chunks.length, ingested_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['agent', 'source']).doUpdateSet({ hash, chunks: chunks.length, ingested_at: new Date().toISOString() }))
      .execute();
    // Postgres search reads the agent's average chunk length from these sums (see search-postgres.ts).
    if (store.kind === 'postgres') {
      await sql`UPDATE knowledge_sources SET lexemes = (SELECT coalesce(sum(length(tsv)), 0) FROM knowledge_chunks WHERE agent = ${agent} AND source = ${source})
        WHERE agent = ${agent} AND source = ${source}`.execute(tx);
    }
  });
}
