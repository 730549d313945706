import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingestKnowledge, type IngestProgress } from '../../src/knowledge/ingest.ts';
import { searchKnowledge } from '../../src/knowledge/search.ts';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../src/store/store.ts';
import { tempDir } from '../helpers/cli.ts';
import { folderWith, onePagePdf } from './fixtures.ts';
import { openPostgresSchema, openTestStore, TEST_POSTGRES_URL } from '../helpers/store.ts';

const long = Array.from({ length: 30 }, (_, i) => `Clause ${i} of the service agreement covers one more obligation in detail.`).join(' ');

describe('ingesting knowledge', () => {
  let store: Store;
  const agentDir = folderWith({
    'agent.yaml': 'name: test\n',
    'knowledge/pricing.md': '# Pricing\n\n## Retainer\n\nThe retainer costs 900 EUR per month.\n\n## Audit\n\nThe audit costs 2400 EUR.',
    'knowledge/faq.html': '<h1>FAQ</h1><h2>Location</h2><p>Our office is in Kraków.</p>',
    'knowledge/terms.txt': long,
    'knowledge/guide.pdf': onePagePdf(['Onboarding takes two weeks.']),
    'knowledge/diagram.png': new Uint8Array([1, 2, 3]),
    'extra/hours.md': '# Hours\n\nWe answer the phone from nine to five.',
  });
  const spec = { agent: 'acme', dir: agentDir.dir, sources: ['knowledge/', 'extra/hours.md'] };
  const chunkCount = async () => Number((await store.db.selectFrom('knowledge_chunks').select((eb) => eb.fn.countAll<number>().as('n')).where('agent', '=', 'acme').executeTakeFirstOrThrow()).n);

  before(async () => {
    store = await openTestStore();
  });
  after(async () => {
    await store.close();
    agentDir.dispose();
  });

  it('adds every readable source, names it relative to the agent folder and reports progress', async () => {
    const seen: IngestProgress[] = [];
    const report = await ingestKnowledge(store, spec, { onProgress: (p) => seen.push(p) });
    assert.equal(report.added, 5);
    assert.deepEqual([report.updated, report.unchanged, report.removed, report.failed.length], [0, 0, 0, 0]);
    assert.deepEqual(report.skipped.map((s) => s.source), ['knowledge/diagram.png']);
    assert.equal(report.chunks, await chunkCount());
    assert.ok(report.chunks >= 6, `${report.chunks} chunks`); // terms.txt alone is more than one chunk
    assert.deepEqual(
      seen.map((p) => [p.done, p.total, p.source, p.status]),
      [
        [1, 5, 'extra/hours.md', 'added'],
        [2, 5, 'knowledge/faq.html', 'added'],
        [3, 5, 'knowledge/guide.pdf', 'added'],
        [4, 5, 'knowledge/pricing.md', 'added'],
        [5, 5, 'knowledge/terms.txt', 'added'],
      ],
    );
    const sources = await store.db.selectFrom('knowledge_sources').selectAll().where('agent', '=', 'acme').orderBy('source').execute();
    assert.equal(sources.length, 5);
    assert.match(sources[0].hash, /^[0-9a-f]{64}$/);
    assert.equal(sources.reduce((n, s) => n + s.chunks, 0), report.chunks);
    const [hit] = await searchKnowledge(store, 'acme', 'How long does onboarding take?');
    assert.equal(hit.source, 'knowledge/guide.pdf');
  });

  it('skips unchanged sources on the next run', async () => {
    const before = await chunkCount();
    const ids = (await store.db.selectFrom('knowledge_chunks').select('id').where('agent', '=', 'acme').orderBy('id').execute()).map((r) => r.id);
    const report = await ingestKnowledge(store, spec);
    assert.deepEqual([report.added, report.updated, report.unchanged, report.removed], [0, 0, 5, 0]);
    assert.equal(await chunkCount(), before);
    const idsAfter = (await store.db.selectFrom('knowledge_chunks').select('id').where('agent', '=', 'acme').orderBy('id').execute()).map((r) => r.id);
    assert.deepEqual(idsAfter, ids, 'unchanged sources are not rewritten');
  });

  it('replaces the chunks of a changed source and removes those of a deleted one', async () => {
    agentDir.write({ 'knowledge/pricing.md': '# Pricing\n\n## Retainer\n\nThe retainer now costs 1100 EUR per month.' });
    rmSync(join(agentDir.dir, 'knowledge/faq.html'));
    const before = await chunkCount();
    const seen: IngestProgress[] = [];
    const report = await ingestKnowledge(store, spec, { onProgress: (p) => seen.push(p) });
    assert.deepEqual([report.added, report.updated, report.unchanged, report.removed], [0, 1, 3, 1]);
    assert.deepEqual(seen.filter((p) => p.status !== 'unchanged').map((p) => [p.source, p.status]), [
      ['knowledge/pricing.md', 'updated'],
      ['knowledge/faq.html', 'removed'],
    ]);
    assert.equal(await chunkCount(), before - 2); // pricing went from 2 chunks to 1, faq's 1 chunk is gone
    assert.equal(report.chunks, before - 2);

    assert.deepEqual(await searchKnowledge(store, 'acme', 'audit'), [], 'old text of a changed file is gone');
    assert.deepEqual(await searchKnowledge(store, 'acme', 'Kraków office location'), [], 'a deleted file is gone');
    const [hit] = await searchKnowledge(store, 'acme', 'retainer cost');
    assert.match(hit.text, /1100 EUR/);
    const rows = await store.db.selectFrom('knowledge_sources').select('source').where('agent', '=', 'acme').execute();
    assert.ok(!rows.some((r) => r.source === 'knowledge/faq.html'));
  });

  it('keeps the old chunks of a source it cannot read now, and reports it', async () => {
    agentDir.write({ 'knowledge/guide.pdf': '%PDF-1.4 this is not really a pdf' });
    const report = await ingestKnowledge(store, spec);
    assert.deepEqual(report.failed.map((f) => f.source), ['knowledge/guide.pdf']);
    assert.match(report.failed[0].message, /cannot read it as pdf/);
    assert.equal((await searchKnowledge(store, 'acme', 'onboarding'))[0]?.source, 'knowledge/guide.pdf');
  });

  it('reports a missing source path without crashing, and drops what it used to hold', async () => {
    const report = await ingestKnowledge(store, { ...spec, sources: ['knowledge/', 'extra/missing.md'] });
    assert.deepEqual(report.failed.map((f) => f.source).sort(), ['extra/missing.md', 'knowledge/guide.pdf']);
    assert.equal(report.removed, 1); // extra/hours.md is no longer among the sources
    assert.deepEqual(await searchKnowledge(store, 'acme', 'phone hours'), []);
  });

  it('keeps agents apart', async () => {
    const other = folderWith({ 'kb.md': '# Retainer\n\nOther agent retainer text.' });
    try {
      const report = await ingestKnowledge(store, { agent: 'other', dir: other.dir, sources: ['kb.md'] });
      assert.equal(report.added, 1);
      assert.equal(report.removed, 0, "another agent's sources are untouched");
      const again = await ingestKnowledge(store, { ...spec, sources: ['knowledge/', 'extra/missing.md'] });
      assert.equal(again.removed, 0);
      for (const hit of await searchKnowledge(store, 'other', 'retainer')) assert.equal(hit.source, 'kb.md');
      for (const hit of await searchKnowledge(store, 'acme', 'retainer')) assert.notEqual(hit.source, 'kb.md');
    } finally {
      other.dispose();
    }
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(ingestKnowledge(store, spec, { signal: ac.signal }), { name: 'AbortError' });
  });
});

describe('several nodes ingesting one agent at once (as they do at start)', () => {
  it('leave exactly one copy of each chunk in the shared store', async () => {
    const kb = folderWith(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`knowledge/doc-${i}.md`, `# Doc ${i}\n\n## Part one\n\nThe first part of document ${i}.\n\n## Part two\n\nThe second part of document ${i}.`])));
    const spec = { agent: 'shared', dir: kb.dir, sources: ['knowledge/'] };
    // Three handles on one database: three pools on one Postgres schema, or three connections to one SQLite file.
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const file = `file:${join(tempDir(), 'parley.db')}`;
    const open = (i: number) => (TEST_POSTGRES_URL ? openPostgresSchema(TEST_POSTGRES_URL, schema, { drop: i === 0 }) : openStore(file));
    const nodes: Store[] = [];
    for (let i = 0; i < 3; i++) nodes.push(await open(i));
    try {
      const reports = await Promise.all(nodes.map((s) => ingestKnowledge(s, spec)));
      for (const r of reports) assert.deepEqual(r.failed, []);
      const rows = await nodes[0]!.db.selectFrom('knowledge_chunks').select(['source', 'heading']).where('agent', '=', 'shared').execute();
      assert.equal(rows.length, 16, `chunks: ${rows.map((r) => `${r.source} ${r.heading}`).join('; ')}`);
      assert.equal(new Set(rows.map((r) => `${r.source}|${r.heading}`)).size, 16);
    } finally {
      for (const s of nodes.reverse()) await s.close();
      kb.dispose();
    }
  });
});
