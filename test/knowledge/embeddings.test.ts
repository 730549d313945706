import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeVector, encodeVector, ingestKnowledge, retrieve, unitLength, vocabulary } from '../../src/knowledge/index.ts';
import { embedderFor } from '../../src/llm/embedder.ts';
import { groundTurn } from '../../src/session/grounding.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeEmbeddings, type FakeEmbeddings } from '../../src/testing/index.ts';
import { openTestStore } from '../helpers/store.ts';
import { folderWith } from './fixtures.ts';

// Hybrid retrieval through the real AI SDK adapter against a protocol-faithful fake of OpenAI's
// embeddings endpoint: vectors computed at ingest and only for changed text, stored in the store
// (SQLite here, PostgreSQL under `npm run test:postgres`), searched in process, fused with words.

const V = vocabulary();
const ENV = { OPENAI_API_KEY: 'sk-test' };

describe('embeddings at ingest', () => {
  let store: Store;
  let fake: FakeEmbeddings;
  let folder: ReturnType<typeof folderWith>;
  const spec = () => ({ agent: 'acme', dir: folder.dir, sources: ['.'] });

  before(async () => {
    store = await openTestStore();
    fake = await startFakeEmbeddings({ dimensions: 32 });
    folder = folderWith({
      'a.md': '# Cancellations\nIf you cancel less than a day ahead we charge 20 GBP.\n\n# Parking\nThere is free parking behind the building.',
      'b.md': '# Hours\nWe are open Monday to Friday, 8 to 6.',
    });
  });
  after(async () => {
    await store.close();
    await fake.close();
    folder.dispose();
  });

  it('embeds every chunk once, then nothing while the documents are unchanged', async () => {
    const embedder = embedderFor({ model: 'openai:text-embedding-3-small', baseURL: fake.url }, ENV);
    const first = await ingestKnowledge(store, spec(), { embedder });
    assert.deepEqual(first.embeddings, { embedded: 3, kept: 0, dropped: 0 });
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0].model, 'text-embedding-3-small');
    assert.deepEqual(fake.requests[0].input.map((t) => t.split('\n')[0]).sort(), ['Cancellations', 'Hours', 'Parking']);

    const again = await ingestKnowledge(store, spec(), { embedder });
    assert.deepEqual(again.embeddings, { embedded: 0, kept: 3, dropped: 0 });
    assert.equal(fake.requests.length, 1, 'no request when nothing changed');
  });

  it('re-embeds only the paragraph that changed, and drops the vector of text that is gone', async () => {
    const embedder = embedderFor({ model: 'openai:text-embedding-3-small', baseURL: fake.url }, ENV);
    const before = fake.requests.length;
    folder.write({ 'a.md': '# Cancellations\nIf you cancel less than a day ahead we charge 25 GBP.\n\n# Parking\nThere is free parking behind the building.' });
    const report = await ingestKnowledge(store, spec(), { embedder });
    assert.deepEqual(report.embeddings, { embedded: 1, kept: 2, dropped: 1 });
    assert.deepEqual(fake.requests.slice(before).flatMap((r) => r.input), ['Cancellations\nIf you cancel less than a day ahead we charge 25 GBP.']);
    const rows = await store.db.selectFrom('knowledge_embeddings').select(['model', 'vector']).where('agent', '=', 'acme').execute();
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r.model === 'openai:text-embedding-3-small' && decodeVector(r.vector).length === 32));
  });

  it('keeps vectors per model and dimensions: another model embeds everything again, the first one’s vectors stay', async () => {
    const small = embedderFor({ model: 'openai:text-embedding-3-small', dimensions: 8, baseURL: fake.url }, ENV);
    assert.equal(small.label, 'openai:text-embedding-3-small@8');
    const report = await ingestKnowledge(store, spec(), { embedder: small });
    assert.equal(report.embeddings && 'embedded' in report.embeddings ? report.embeddings.embedded : -1, 3);
    assert.equal(fake.requests.at(-1)!.dimensions, 8, 'dimensions reach the provider');
    const labels = await store.db.selectFrom('knowledge_embeddings').select('model').where('agent', '=', 'acme').execute();
    assert.equal(labels.length, 6);
  });

  it('reports a provider failure without failing the ingest; a later ingest fills the gap', async () => {
    const embedder = embedderFor({ model: 'openai:text-embedding-3-large', baseURL: fake.url }, ENV);
    fake.failNext(4, 500); // the adapter retries once; both attempts of the one batch fail
    const failed = await ingestKnowledge(store, spec(), { embedder });
    assert.ok(failed.embeddings && 'error' in failed.embeddings, JSON.stringify(failed.embeddings));
    assert.equal(failed.failed.length, 0);
    assert.equal(failed.chunks, 3);
    fake.failNext(0);
    const filled = await ingestKnowledge(store, spec(), { embedder });
    assert.deepEqual(filled.embeddings, { embedded: 3, kept: 0, dropped: 0 });
  });
});

describe('hybrid retrieval', () => {
  let store: Store;
  let fake: FakeEmbeddings;
  let slow: FakeEmbeddings;
  let folder: ReturnType<typeof folderWith>;
  const meanings = [['unwell', 'poorly', 'sick', 'ill']];

  before(async () => {
    store = await openTestStore();
    fake = await startFakeEmbeddings({ dimensions: 64, meanings });
    slow = await startFakeEmbeddings({ dimensions: 64, meanings, delayMs: 500 });
    folder = folderWith({
      'policies.md': '# Cancellations\nIf you are unwell, cancel without a fee and we rebook you.\n\n# Parking\nFree parking behind the building.\n\n# Prices\nA check-up costs 45 GBP.',
    });
    await ingestKnowledge(store, { agent: 'clinic', dir: folder.dir, sources: ['.'] }, { embedder: embedderFor({ model: 'openai:text-embedding-3-small', baseURL: fake.url }, ENV) });
  });
  after(async () => {
    await store.close();
    await fake.close();
    await slow.close();
    folder.dispose();
  });

  it('finds by meaning a passage the caller’s words miss, and a strict agent answers instead of declining', async () => {
    const embedder = embedderFor({ model: 'openai:text-embedding-3-small', baseURL: fake.url }, ENV);
    const words = await retrieve(store, 'clinic', 'what if im poorly on the day', { limit: 1, vocabulary: V });
    assert.doesNotMatch(words.hits[0]?.heading ?? '', /Cancellations/, 'words alone should miss it for this test to mean anything');
    const hybrid = await retrieve(store, 'clinic', 'what if im poorly on the day', { limit: 1, vocabulary: V, embedder });
    assert.match(hybrid.hits[0].heading, /Cancellations/);
    assert.ok(hybrid.embedMs !== undefined && hybrid.embedMs >= 0);
    const unrelated = await retrieve(store, 'clinic', 'do you sell bitcoin wallets', { limit: 1, vocabulary: V, embedder });
    assert.ok(hybrid.similarity! > unrelated.similarity! + 0.1, `${hybrid.similarity} vs ${unrelated.similarity}`);

    // The fake's similarities are small (it sums word directions); the threshold sits between the two.
    const minSimilarity = (hybrid.similarity! + unrelated.similarity!) / 2;
    const asked = 'what happens if im poorly on the day';
    const strictWords = await groundTurn(store, 'clinic', asked, { topK: 2, vocabulary: V, strict: true });
    const strictHybrid = await groundTurn(store, 'clinic', asked, { topK: 2, vocabulary: V, strict: true, embedder, minSimilarity });
    assert.equal(strictWords.declined, true, 'by words alone the question looks unanswered');
    assert.equal(strictHybrid.declined, false);
    assert.match(strictHybrid.reason, /similar/);
    const off = await groundTurn(store, 'clinic', 'do you sell bitcoin wallets', { topK: 2, vocabulary: V, strict: true, embedder, minSimilarity });
    assert.equal(off.declined, true);
  });

  it('goes on with words alone when the query’s embedding is late, and says why', async () => {
    const late = embedderFor({ model: 'openai:text-embedding-3-small', baseURL: slow.url }, ENV);
    const t0 = performance.now();
    const r = await retrieve(store, 'clinic', 'how much is a check-up', { limit: 1, vocabulary: V, embedder: late, embedTimeoutMs: 60 });
    assert.ok(performance.now() - t0 < 450, 'did not wait for the slow embedding');
    assert.match(r.hits[0].heading, /Prices/);
    assert.equal(r.similarity, undefined);
    assert.match(r.embedError ?? '', /60 ms|abort|timeout/i);
  });

  it('never compares vectors of another model: an embedder whose vectors were never stored searches by words', async () => {
    const other = embedderFor({ model: 'openai:text-embedding-3-large', baseURL: fake.url }, ENV);
    const r = await retrieve(store, 'clinic', 'free parking', { limit: 1, vocabulary: V, embedder: other });
    assert.match(r.hits[0].heading, /Parking/);
    assert.equal(r.similarity, undefined, 'no stored vector of this model to be similar to');
  });
});

describe('vector encoding', () => {
  it('round-trips float32 through base64 and scales to unit length', () => {
    const v = unitLength([3, 4]);
    assert.deepEqual([...v].map((x) => Math.round(x * 1000) / 1000), [0.6, 0.8]);
    assert.deepEqual([...decodeVector(encodeVector(v))], [...v]);
    assert.deepEqual([...unitLength([0, 0])], [0, 0]);
  });
});
