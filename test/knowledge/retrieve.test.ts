import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fuse, ingestKnowledge, KnowledgeIndex, readCallerQuery, retrieve, vocabulary, type RankedChunk } from '../../src/knowledge/index.ts';
import { MAX_SLOTS } from '../../src/knowledge/caller-query.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../helpers/store.ts';
import { folderWith } from './fixtures.ts';

// Retrieval on callers' own words: the documents below never say "set me back", "ring" or
// "pipe drive"; a caller does. Runs on SQLite and, under `npm run test:postgres`, on PostgreSQL.

const DOCS = {
  'pricing.md': `# Pricing

## Automation audit
A two-week audit of your processes costs 1,500 EUR, paid on signing.

## Care plans
Essential care is 350 EUR per month; Growth care is 900 EUR per month.

## Payment terms
Invoices are paid by bank transfer within 14 days.
`,
  'process.md': `# How we work

## Audit
The audit takes two weeks and ends with a written report and a fixed quote.

## Build
A single workflow is live in three to four weeks. Complex projects take eight to twelve weeks.
`,
  'contact.md': `# Contact

## Phone
Call the office on 012 345 678, weekdays 9:00 to 17:00.

## Tools we connect
Anything with an API: HubSpot, Pipedrive, Salesforce, Xero and Slack.

## Check-ups
Every automation gets a free check-up after three months.
`,
};

const V = vocabulary();

describe('retrieval on callers’ words', () => {
  let store: Store;
  let folder: ReturnType<typeof folderWith>;
  const top = async (text: string, previous: string[] = [], limit = 2) => (await retrieve(store, 'acme', text, { limit, previous, vocabulary: V })).hits.map((h) => h.heading);

  before(async () => {
    store = await openTestStore();
    folder = folderWith(DOCS);
    await ingestKnowledge(store, { agent: 'acme', dir: folder.dir, sources: ['.'] });
  });
  after(async () => {
    await store.close();
    folder.dispose();
  });

  it('finds prices for a spoken way of asking the price that shares no word with them', async () => {
    const r = await retrieve(store, 'acme', 'um what would it set me back', { limit: 2, vocabulary: V });
    assert.ok(r.hits.length > 0);
    assert.ok(r.hits.every((h) => /Pricing/.test(h.heading)), r.hits.map((h) => h.heading).join(' | '));
    assert.equal(r.coverage, 1);
    assert.deepEqual(r.unknown, []);
  });

  it('matches stems: "charges" and "priced" find "costs" and "price" passages alike', async () => {
    assert.match((await top('how is the audit priced'))[0], /Automation audit/);
    assert.match((await top('what does the care plan charge monthly'))[0], /Care plans/);
  });

  it('joins words a recogniser split ("pipe drive") when the documents use the joined word', async () => {
    const r = await retrieve(store, 'acme', 'can you hook it up to pipe drive', { limit: 1, vocabulary: V });
    assert.match(r.hits[0].heading, /Tools we connect/);
    assert.deepEqual(r.unknown, []);
  });

  it('reads a hyphenated document word as the one word callers say ("checkup")', async () => {
    assert.match((await top('is there a checkup later'))[0], /Check-ups/);
  });

  it('matches a misheard word one letter off ("prizing") to the documents’ word', async () => {
    const r = await retrieve(store, 'acme', 'whats the prizing for care', { limit: 1, vocabulary: V });
    assert.match(r.hits[0].heading, /Care plans/);
    assert.deepEqual(r.unknown, []);
  });

  it('takes an earlier turn into account for a follow-up, and only for a follow-up', async () => {
    // Alone, "how long does that take" is about any duration; after the audit question it is about the audit.
    const alone = await top('and how long does that take');
    const followUp = await top('and how long does that take', ['how much is the audit'], 1);
    assert.match(followUp[0], /How we work › Audit/);
    assert.notDeepEqual(alone.slice(0, 1), followUp);
    // A new question is not dragged back to the earlier topic.
    assert.match((await top('what are your phone hours', ['how much is the audit'], 1))[0], /Phone/);
  });

  it('weighs a word no document holds: such a question is poorly covered and says which word', async () => {
    const r = await retrieve(store, 'acme', 'do you accept bitcoin for the audit', { limit: 4, vocabulary: V });
    assert.ok(r.unknown.includes('bitcoin'), r.unknown.join());
    assert.ok(r.coverage < 0.7, `coverage ${r.coverage}`);
    const nothing = await retrieve(store, 'acme', 'who won the football world cup', { limit: 4, vocabulary: V });
    assert.ok(nothing.coverage < 0.15, `coverage ${nothing.coverage}`);
  });

  it('covers less when the passage lacks the kind of answer asked for ("how much" and no amount)', async () => {
    const withAmount = await retrieve(store, 'acme', 'how much is the audit', { limit: 1, vocabulary: V });
    const without = await retrieve(store, 'acme', 'how much is the build', { limit: 1, vocabulary: V });
    assert.match(without.hits[0].heading, /Build/);
    assert.ok(without.coverage < withAmount.coverage, `${without.coverage} < ${withAmount.coverage}`);
  });

  it('uses an agent’s own synonyms (knowledge.synonyms), single words and phrases', async () => {
    const own = vocabulary([['phone', 'blower', 'dog and bone']]);
    const r = await retrieve(store, 'acme', 'can i get you on the dog and bone', { limit: 1, vocabulary: own });
    assert.match(r.hits[0].heading, /Phone/);
    assert.match((await retrieve(store, 'acme', 'whats your blower', { limit: 1, vocabulary: own })).hits[0].heading, /Phone/);
    // An owner's phrase keeps its own words ("care plans" still finds "Care plans"), and finds them for its other words.
    const plans = vocabulary([['care plan', 'retainer']]);
    assert.match((await retrieve(store, 'acme', 'how much is a care plan', { limit: 1, vocabulary: plans })).hits[0].heading, /Care plans/);
    assert.match((await retrieve(store, 'acme', 'how much is the retainer', { limit: 1, vocabulary: plans })).hits[0].heading, /Care plans/);
  });

  it('sees a re-ingest on the next search, without a restart', async () => {
    folder.write({ 'contact.md': `${DOCS['contact.md']}\n## Parking\nPark in the courtyard behind the office.\n` });
    await ingestKnowledge(store, { agent: 'acme', dir: folder.dir, sources: ['.'] });
    assert.match((await top('where do i leave the car'))[0], /Parking/);
  });

  it('keeps agents apart', async () => {
    const other = folderWith({ 'x.md': '# Bitcoin\nWe accept bitcoin.' });
    try {
      await ingestKnowledge(store, { agent: 'other', dir: other.dir, sources: ['.'] });
      const r = await retrieve(store, 'acme', 'do you accept bitcoin', { limit: 4, vocabulary: V });
      assert.ok(r.hits.every((h) => !/Bitcoin/.test(h.heading)));
    } finally {
      other.dispose();
    }
  });
});

describe('readCallerQuery', () => {
  it('drops filler and the verbs of asking, and reads spoken phrases as one concept', () => {
    const q = readCallerQuery('um so like what would it set me back you know', V);
    assert.deepEqual(
      q.slots.map((s) => s.text),
      ['set me back'],
    );
    assert.ok(q.slots[0].stems.includes('price') && q.slots[0].stems.includes('cost'));
  });

  it('reads at most MAX_SLOTS things from one turn, however long it is', () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}x`).join(' ');
    assert.equal(readCallerQuery(long, V).slots.length, MAX_SLOTS);
    const followUp = readCallerQuery(`and that ${long}`, V, [long, long]);
    assert.ok(followUp.slots.length <= 2 * MAX_SLOTS);
  });

  it('marks a follow-up and adds the earlier turn’s words as context', () => {
    const q = readCallerQuery('and what about for kids', V, ['how much is a checkup']);
    assert.equal(q.followUp, true);
    assert.deepEqual(q.slots.filter((s) => s.from === 'context').map((s) => s.text), ['how much', 'checkup']);
    assert.equal(readCallerQuery('do you do implants', V, ['how much is a checkup']).followUp, false);
    assert.equal(readCallerQuery('and how long', V, []).followUp, false, 'nothing earlier to refer to');
  });
});

describe('fuse', () => {
  const chunk = (at: number) => ({ id: at, source: 's', heading: `h${at}`, text: '' });
  const ranking = (...ats: number[]): RankedChunk[] => ats.map((at, i) => ({ chunk: chunk(at), at, score: 10 - i }));

  it('ranks by reciprocal rank, so a chunk both rankings like beats one only a single ranking likes best', () => {
    const fused = fuse([ranking(1, 2, 3), ranking(3, 4, 1)], 4);
    assert.deepEqual(fused.map((r) => r.at), [1, 3, 2, 4]);
    assert.ok(fused[0].score > fused[1].score || fused[0].at < fused[1].at);
  });

  it('keeps a chunk only one ranking found, and cuts to the limit', () => {
    assert.deepEqual(fuse([ranking(5), ranking()], 3).map((r) => r.at), [5]);
    assert.equal(fuse([ranking(1, 2, 3, 4, 5), ranking(6, 7, 8)], 2).length, 2);
  });
});

describe('KnowledgeIndex.nearest', () => {
  it('returns chunks by cosine similarity of their vectors, skipping chunks without one or of another length', () => {
    const chunks = [0, 1, 2, 3].map((i) => ({ id: i, source: 's', heading: '', text: `t${i}` }));
    const v = (...x: number[]) => Float32Array.from(x);
    const index = new KnowledgeIndex(chunks, [v(1, 0), v(0.6, 0.8), undefined, v(1, 0, 0)]);
    const near = index.nearest(v(0.8, 0.6), 3);
    assert.deepEqual(near.map((r) => r.at), [1, 0]);
    assert.ok(Math.abs(near[0].score - 0.96) < 1e-6);
  });
});
