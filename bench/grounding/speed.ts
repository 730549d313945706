// Retrieval speed on 10,000 chunks: what a caller turn's retrieval costs once the agent's index is
// in memory — lexical (stems, concepts, BM25) and hybrid (the same plus a nearest-vector search
// over every chunk's vector and the fusion). The embedding call itself is not timed here: it is
// the provider's latency (the grounding bench reports it when run with a real model). Vectors are
// seeded random unit vectors of the given dimensions, stored through the real embedding path.
// Run: node bench/grounding/speed.ts [--chunks 10000] [--queries 2000] [--dimensions 1536]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestKnowledge } from '../../src/knowledge/ingest.ts';
import { knowledgeIndexOf } from '../../src/knowledge/index-cache.ts';
import { retrieve } from '../../src/knowledge/retrieve.ts';
import { vocabulary as conceptVocabulary } from '../../src/knowledge/vocabulary.ts';
import type { Embedder } from '../../src/knowledge/embeddings.ts';
import { openStore } from '../../src/store/store.ts';
import { prose, question, REALISTIC, seeded, vocabulary } from '../knowledge/corpus.ts';

const { values } = parseArgs({ options: { chunks: { type: 'string', default: '10000' }, queries: { type: 'string', default: '2000' }, dimensions: { type: 'string', default: '1536' } } });
const CHUNKS = Number(values.chunks);
const QUERIES = Number(values.queries);
const DIMS = Number(values.dimensions);
const WARM_UP = 200;

const random = seeded(20261206);
const words = vocabulary(12000, random, REALISTIC);
const work = mkdtempSync(join(tmpdir(), 'parley-bench-retrieval-'));

/** Seeded random unit vectors: the cost of a search does not depend on what the numbers mean. */
const embedder: Embedder = {
  label: `bench:random@${DIMS}`,
  embed: async (texts) =>
    texts.map(() => {
      const v = Float32Array.from({ length: DIMS }, () => random() - 0.5);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    }),
};

try {
  mkdirSync(join(work, 'knowledge'));
  for (let f = 0; f * 100 < CHUNKS; f++) {
    let md = '';
    for (let s = 0; s < 100 && f * 100 + s < CHUNKS; s++) md += `## ${words.sample()} ${words.sample()}\n\n${prose(words, random, 100 + Math.floor(random() * 51), 790)}\n\n`;
    writeFileSync(join(work, 'knowledge', `doc-${f}.md`), md);
  }
  const store = await openStore(`file:${join(work, 'parley.db')}`);
  let t0 = performance.now();
  const report = await ingestKnowledge(store, { agent: 'bench', dir: work, sources: ['knowledge/'] }, { embedder });
  const ingestMs = performance.now() - t0;

  t0 = performance.now();
  await knowledgeIndexOf(store, 'bench');
  const buildLexicalMs = performance.now() - t0;
  t0 = performance.now();
  await knowledgeIndexOf(store, 'bench', { embeddingLabel: embedder.label });
  const buildHybridMs = performance.now() - t0;
  const rss = process.memoryUsage().rss / 2 ** 20;

  const V = conceptVocabulary();
  const qs = Array.from({ length: QUERIES + WARM_UP }, () => question(words, random));
  const lexical = await time(qs, (q) => retrieve(store, 'bench', q, { limit: 4, vocabulary: V }));
  const hybrid = await time(qs, (q) => retrieve(store, 'bench', q, { limit: 4, vocabulary: V, embedder }));
  await store.close();

  const result = {
    bench: 'retrieval-speed',
    machine: `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, Node ${process.versions.node}, SQLite ${process.versions.sqlite}`,
    chunks: report.chunks,
    dimensions: DIMS,
    ingestWithEmbeddingsMs: Math.round(ingestMs),
    indexBuildMs: { lexical: Math.round(buildLexicalMs), hybrid: Math.round(buildHybridMs) },
    rssMb: Math.round(rss),
    lexical,
    hybridExcludingEmbedCall: hybrid,
  };
  console.log(`retrieval speed — ${result.machine}`);
  console.log(`  ${result.chunks} chunks, vectors of ${DIMS}; index built in ${result.indexBuildMs.lexical} ms (words) / ${result.indexBuildMs.hybrid} ms (with vectors); RSS ${result.rssMb} MB`);
  console.log(`  lexical retrieval: median ${lexical.medianMs} ms, p90 ${lexical.p90Ms}, p99 ${lexical.p99Ms}`);
  console.log(`  hybrid retrieval (embedding call excluded): median ${hybrid.medianMs} ms, p90 ${hybrid.p90Ms}, p99 ${hybrid.p99Ms}`);
  console.log(JSON.stringify(result));
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Median and tail of `searchMs` as retrieval measures it (the store's freshness check included). */
async function time(qs: string[], run: (q: string) => Promise<{ searchMs: number }>) {
  for (const q of qs.slice(0, WARM_UP)) await run(q);
  const ms: number[] = [];
  for (const q of qs.slice(WARM_UP)) {
    const t0 = performance.now();
    await run(q);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] * 1000) / 1000;
  return { medianMs: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99) };
}
