// Knowledge benchmark: ingest ~10,000 chunks into a SQLite store through the real ingest path,
// then time ≥ 1,000 searches, first with the agent alone in the store, then sharing it with a
// second agent. Prints a table, and the results as JSON on the last line.
// Run: npm run bench:knowledge   (options: --chunks N --queries N --profile realistic|heavy
//      --database postgres://postgres@127.0.0.1:5432/test  to measure PostgreSQL's search instead, in a schema of its own)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestKnowledge } from '../../src/knowledge/ingest.ts';
import { searchKnowledge } from '../../src/knowledge/search.ts';
import { ftsQuery } from '../../src/knowledge/terms.ts';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/store.ts';
import { HEAVY, prose, question, REALISTIC, seeded, vocabulary } from './corpus.ts';

const { values } = parseArgs({
  options: { chunks: { type: 'string', default: '10000' }, queries: { type: 'string', default: '2000' }, profile: { type: 'string', default: 'realistic' }, database: { type: 'string' } },
});
const CHUNKS = Number(values.chunks);
const QUERIES = Math.max(1000, Number(values.queries));
const PROFILE = values.profile === 'heavy' ? 'heavy' : 'realistic';
const SECTIONS_PER_FILE = 100;
const WARM_UP = 200;

const random = seeded(20240611);
const vocab = vocabulary(12000, random, PROFILE === 'heavy' ? HEAVY : REALISTIC);
const work = mkdtempSync(join(tmpdir(), 'parley-bench-knowledge-'));
try {
  const main = writeAgent('main', CHUNKS);
  const schema = `bench_${process.pid}`;
  const pgUrl = values.database ? new URL(values.database) : undefined;
  pgUrl?.searchParams.set('schema', schema);
  const store = await openStore(pgUrl ? pgUrl.toString() : `file:${join(work, 'parley.db')}`);
  let t0 = performance.now();
  const report = await ingestKnowledge(store, main);
  const ingestMs = performance.now() - t0;
  t0 = performance.now();
  const again = await ingestKnowledge(store, main);
  const reingestMs = performance.now() - t0;
  if (again.unchanged !== report.added) throw new Error('re-ingest should have found every file unchanged');

  const queries = Array.from({ length: QUERIES + WARM_UP }, () => question(vocab, random));
  const alone = await timeSearches(store, 'main', queries);
  // A second agent in the same store: searches must now filter by agent.
  await ingestKnowledge(store, writeAgent('other', Math.round(CHUNKS / 5)));
  const shared = await timeSearches(store, 'main', queries);
  if (pgUrl) await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(store.db);
  await store.close();

  const result = {
    bench: 'knowledge',
    profile: PROFILE,
    machine: `${cpus()[0]?.model ?? 'unknown cpu'} ×${cpus().length}, Node ${process.versions.node}, ${pgUrl ? `PostgreSQL (${pgUrl.host})` : `SQLite ${process.versions.sqlite}`}`,
    chunks: report.chunks,
    files: report.added,
    ingestMs: round(ingestMs),
    ingestChunksPerSec: Math.round(report.chunks / (ingestMs / 1000)),
    reingestUnchangedMs: round(reingestMs),
    queries: QUERIES,
    alone,
    shared,
  };
  console.log(`knowledge benchmark (${PROFILE} corpus) — ${result.machine}`);
  console.log(table([
    ['chunks indexed', `${result.chunks} (from ${result.files} Markdown files)`],
    ['ingest', `${result.ingestMs} ms (${result.ingestChunksPerSec} chunks/s)`],
    ['re-ingest, nothing changed', `${result.reingestUnchangedMs} ms`],
    ['searches (top 5)', `${QUERIES} queries of 3–8 words after ${WARM_UP} warm-up`],
    ['', 'agent alone in store │ store shared with a 2nd agent'],
    ['median', both('medianMs')],
    ['p90', both('p90Ms')],
    ['p99', both('p99Ms')],
    ['max', both('maxMs')],
    ['chunks a query matches', `${alone.meanMatches} of ${result.chunks} on average (${shared.meanMatches} with the 2nd agent's)`],
    ['queries with no hit', `${alone.emptyQueries}`],
  ]));
  console.log(JSON.stringify(result));

  function both(k: 'medianMs' | 'p90Ms' | 'p99Ms' | 'maxMs'): string {
    return `${`${alone[k]} ms`.padStart(20)} │ ${`${shared[k]} ms`.padStart(10)}`;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Writes an agent folder of Markdown files; each section (100–150 words, under 800 characters) becomes one chunk. */
function writeAgent(name: string, chunks: number) {
  const dir = join(work, name);
  mkdirSync(join(dir, 'knowledge'), { recursive: true });
  for (let f = 0; f * SECTIONS_PER_FILE < chunks; f++) {
    let md = `# ${title(3)}\n\n`;
    for (let s = 0; s < SECTIONS_PER_FILE && f * SECTIONS_PER_FILE + s < chunks; s++) {
      if (s > 0 && s % 10 === 0) md += `# ${title(3)}\n\n`;
      md += `## ${title(2 + Math.floor(random() * 3))}\n\n${prose(vocab, random, 100 + Math.floor(random() * 51), 790)}\n\n`;
    }
    writeFileSync(join(dir, 'knowledge', `doc-${String(f).padStart(4, '0')}.md`), md);
  }
  return { agent: name, dir, sources: ['knowledge/'] };
}

/** Times each search after a warm-up; also counts how many chunks the queries match at all. */
async function timeSearches(store: Store, agent: string, queries: string[]) {
  for (const q of queries.slice(0, WARM_UP)) await searchKnowledge(store, agent, q);
  const times: number[] = [];
  let empty = 0;
  for (const q of queries.slice(WARM_UP)) {
    const start = performance.now();
    const found = await searchKnowledge(store, agent, q, { limit: 5 });
    times.push(performance.now() - start);
    if (!found.length) empty++;
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => round(times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]);
  return { medianMs: pct(50), p90Ms: pct(90), p99Ms: pct(99), maxMs: round(times[times.length - 1]), emptyQueries: empty, meanMatches: store.sqlite ? meanMatches(store, queries) : NaN };
}

/** How many chunks (of any agent) a query's terms reach, on average: what each search has to rank (SQLite only). */
function meanMatches(store: Store, queries: string[]): number {
  const count = store.sqlite!.prepare('SELECT count(*) AS n FROM knowledge_fts WHERE knowledge_fts MATCH ?');
  let total = 0;
  for (const q of queries) total += Number((count.get(ftsQuery(q) ?? '""') as { n: number }).n);
  return Math.round(total / queries.length);
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
