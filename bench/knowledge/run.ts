// Knowledge benchmark: ingest ~10,000 chunks into a SQLite store through the real ingest path,
// then time ≥ 1,000 searches. Prints a table, and the results as JSON on the last line.
// Run: npm run bench:knowledge   (options: --chunks N --queries N)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestKnowledge } from '../../src/knowledge/ingest.ts';
import { searchKnowledge } from '../../src/knowledge/search.ts';
import { openStore } from '../../src/store/store.ts';
import { prose, question, seeded, vocabulary } from './corpus.ts';

const { values } = parseArgs({ options: { chunks: { type: 'string', default: '10000' }, queries: { type: 'string', default: '2000' } } });
const CHUNKS = Number(values.chunks);
const QUERIES = Math.max(1000, Number(values.queries));
const SECTIONS_PER_FILE = 100;
const WARM_UP = 200;

const random = seeded(20240611);
const vocab = vocabulary(6000, random);
const work = mkdtempSync(join(tmpdir(), 'parley-bench-knowledge-'));
try {
  // One folder of Markdown files; each section is 100–150 words kept under the 800-character
  // chunk limit, so every section becomes exactly one chunk.
  const dir = join(work, 'agent');
  mkdirSync(join(dir, 'knowledge'), { recursive: true });
  for (let f = 0; f * SECTIONS_PER_FILE < CHUNKS; f++) {
    let md = `# ${title(3)}\n\n`;
    for (let s = 0; s < SECTIONS_PER_FILE && f * SECTIONS_PER_FILE + s < CHUNKS; s++) {
      if (s > 0 && s % 10 === 0) md += `# ${title(3)}\n\n`;
      md += `## ${title(2 + Math.floor(random() * 3))}\n\n${prose(vocab, random, 100 + Math.floor(random() * 51), 790)}\n\n`;
    }
    writeFileSync(join(dir, 'knowledge', `doc-${String(f).padStart(4, '0')}.md`), md);
  }

  const store = await openStore(`file:${join(work, 'parley.db')}`);
  const spec = { agent: 'bench', dir, sources: ['knowledge/'] };
  let t0 = performance.now();
  const report = await ingestKnowledge(store, spec);
  const ingestMs = performance.now() - t0;
  t0 = performance.now();
  const again = await ingestKnowledge(store, spec);
  const reingestMs = performance.now() - t0;
  if (again.unchanged !== report.added) throw new Error('re-ingest should have found every file unchanged');

  const queries = Array.from({ length: QUERIES + WARM_UP }, () => question(vocab, random));
  for (const q of queries.slice(0, WARM_UP)) await searchKnowledge(store, 'bench', q);
  const times: number[] = [];
  let hits = 0;
  let empty = 0;
  for (const q of queries.slice(WARM_UP)) {
    const start = performance.now();
    const found = await searchKnowledge(store, 'bench', q, { limit: 5 });
    times.push(performance.now() - start);
    hits += found.length;
    if (!found.length) empty++;
  }
  await store.close();

  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
  const result = {
    bench: 'knowledge',
    machine: `${cpus()[0]?.model ?? 'unknown cpu'} ×${cpus().length}, Node ${process.versions.node}, SQLite ${process.versions.sqlite}`,
    chunks: report.chunks,
    files: report.added,
    ingestMs: round(ingestMs),
    ingestChunksPerSec: Math.round(report.chunks / (ingestMs / 1000)),
    reingestUnchangedMs: round(reingestMs),
    queries: times.length,
    medianMs: round(pct(50)),
    p90Ms: round(pct(90)),
    p99Ms: round(pct(99)),
    maxMs: round(times[times.length - 1]),
    meanHits: round(hits / times.length),
    emptyQueries: empty,
  };
  console.log(`knowledge benchmark — ${result.machine}`);
  console.log(table([
    ['chunks indexed', `${result.chunks} (from ${result.files} Markdown files)`],
    ['ingest', `${result.ingestMs} ms (${result.ingestChunksPerSec} chunks/s)`],
    ['re-ingest, nothing changed', `${result.reingestUnchangedMs} ms`],
    ['searches (top 5)', `${result.queries} after ${WARM_UP} warm-up; ${result.meanHits} hits on average, ${result.emptyQueries} with none`],
    ['median', `${result.medianMs} ms`],
    ['p90', `${result.p90Ms} ms`],
    ['p99', `${result.p99Ms} ms`],
    ['max', `${result.maxMs} ms`],
  ]));
  console.log(JSON.stringify(result));
} finally {
  rmSync(work, { recursive: true, force: true });
}

function title(words: number): string {
  const t = Array.from({ length: words }, () => vocab.sample()).join(' ');
  return t[0].toUpperCase() + t.slice(1);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function table(rows: string[][]): string {
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}
