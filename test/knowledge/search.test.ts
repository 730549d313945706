import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestKnowledge } from '../../src/knowledge/ingest.ts';
import { searchKnowledge } from '../../src/knowledge/search.ts';
import { contentTerms, ftsQuery } from '../../src/knowledge/terms.ts';
import type { Store } from '../../src/store/store.ts';
import { folderWith } from './fixtures.ts';
import { openTestStore } from '../helpers/store.ts';

const PRICING = `# Pricing
All prices are in euros and exclude VAT.

## Automation audit
A fixed price of 2,400 EUR for the two-week audit. If you start a build project within 60 days,
half of the audit fee is credited against the project.

## Care plans
Essential: 350 EUR per month — monitoring and fixes. Growth: 900 EUR per month with a monthly review call.

## Discounts
Registered charities get 15% off build projects. We do not offer other discounts.`;

const PROCESS = `# How we work
## Discovery
We start with a free thirty-minute intro call to understand the workflow you want to automate.

## Delivery
Projects are delivered in two-week sprints with a demo at the end of each sprint.`;

describe('searching knowledge', () => {
  let store: Store;
  const kb = folderWith({ 'knowledge/pricing.md': PRICING, 'knowledge/process.md': PROCESS });
  const other = folderWith({ 'notes.md': '# Audit\n\nThe other agent also has an audit, priced differently.' });

  before(async () => {
    store = await openTestStore();
    await ingestKnowledge(store, { agent: 'sales', dir: kb.dir, sources: ['knowledge/'] });
    await ingestKnowledge(store, { agent: 'support', dir: other.dir, sources: ['notes.md'] });
  });
  after(async () => {
    await store.close();
    kb.dispose();
    other.dispose();
  });

  it('ranks the chunk that answers a question first, with positive, descending scores', async () => {
    const hits = await searchKnowledge(store, 'sales', 'How much does the automation audit cost?');
    assert.equal(hits[0].heading, 'Pricing › Automation audit');
    assert.equal(hits[0].source, 'knowledge/pricing.md');
    assert.match(hits[0].text, /2,400 EUR/);
    assert.ok(Number.isInteger(hits[0].chunkId));
    for (const h of hits) assert.ok(h.score > 0, `score ${h.score}`);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);

    assert.equal((await searchKnowledge(store, 'sales', 'Do charities get a discount?'))[0].heading, 'Pricing › Discounts');
    assert.equal((await searchKnowledge(store, 'sales', 'how long are your sprints'))[0].heading, 'How we work › Delivery');
    assert.equal((await searchKnowledge(store, 'sales', 'what is in the care plans'))[0].heading, 'Pricing › Care plans');
  });

  it('weights heading words above body words', async () => {
    // "discovery" only in a heading, "workflow" only in a body: the heading match outranks.
    const hits = await searchKnowledge(store, 'sales', 'discovery or workflow');
    assert.equal(hits[0].heading, 'How we work › Discovery');
  });

  it('matches word forms through stemming', async () => {
    assert.equal((await searchKnowledge(store, 'sales', 'discounted pricing for a charity'))[0].heading, 'Pricing › Discounts');
  });

  it('returns nothing for a query of stop words and short words only', async () => {
    assert.deepEqual(await searchKnowledge(store, 'sales', 'what is it that you do?'), []);
    assert.deepEqual(await searchKnowledge(store, 'sales', 'Is it OK? Can you tell me, please'), []);
    assert.deepEqual(await searchKnowledge(store, 'sales', ''), []);
    assert.deepEqual(await searchKnowledge(store, 'sales', '   ?!  '), []);
  });

  it('returns nothing when no chunk shares a content term', async () => {
    assert.deepEqual(await searchKnowledge(store, 'sales', 'Do you repair bicycles?'), []);
  });

  it('survives FTS5 syntax in the caller’s words', async () => {
    const nasty = [
      'audit"',
      '"audit',
      'audit*',
      '(audit',
      'audit)',
      'audit NEAR price',
      'NEAR(audit price)',
      '-audit',
      'audit - price',
      'audit AND OR NOT',
      'heading:audit',
      '{heading text}: audit',
      '^audit + price',
      "l'audit d'automation",
      'audit; DROP TABLE knowledge_chunks; --',
      '\u0000audit',
    ];
    for (const q of nasty) {
      const hits = await searchKnowledge(store, 'sales', q);
      assert.ok(hits.length > 0, `no hit for ${JSON.stringify(q)}`);
      assert.ok(hits.some((h) => /audit/i.test(h.heading + h.text)), q);
    }
    assert.deepEqual(await searchKnowledge(store, 'sales', '" * ( ) - NOT : ^'), []);
  });

  it('keeps each agent to its own chunks', async () => {
    const sales = await searchKnowledge(store, 'sales', 'audit', { limit: 20 });
    const support = await searchKnowledge(store, 'support', 'audit', { limit: 20 });
    assert.ok(sales.length > 0 && support.length === 1);
    assert.ok(sales.every((h) => h.source.startsWith('knowledge/')));
    assert.equal(support[0].source, 'notes.md');
    assert.deepEqual(await searchKnowledge(store, 'nobody', 'audit'), []);
  });

  it('finds a small agent’s chunks even when a bigger agent’s outrank them all', async () => {
    const big = folderWith({ 'big.md': Array.from({ length: 40 }, (_, i) => `## Refund ${i}\n\nRefund refund refund policy number ${i}.`).join('\n\n') });
    const small = folderWith({ 'small.md': Array.from({ length: 7 }, (_, i) => `## Note ${i}\n\nA long note that mentions a refund once, among many other words about item ${i}.`).join('\n\n') });
    try {
      await ingestKnowledge(store, { agent: 'big', dir: big.dir, sources: ['big.md'] });
      await ingestKnowledge(store, { agent: 'small', dir: small.dir, sources: ['small.md'] });
      const hits = await searchKnowledge(store, 'small', 'refund policy', { limit: 5 });
      assert.equal(hits.length, 5);
      assert.ok(hits.every((h) => h.source === 'small.md'));
      const bigHits = await searchKnowledge(store, 'big', 'refund policy', { limit: 5 });
      assert.ok(bigHits.every((h) => h.source === 'big.md') && bigHits.length === 5);
    } finally {
      big.dispose();
      small.dispose();
    }
  });

  it('honours the limit', async () => {
    assert.equal((await searchKnowledge(store, 'sales', 'price project month EUR audit', { limit: 2 })).length, 2);
    assert.ok((await searchKnowledge(store, 'sales', 'price project month EUR audit')).length <= 5);
    assert.equal((await searchKnowledge(store, 'sales', 'audit', { limit: Number('x') })).length > 0, true);
  });

  it('stops when aborted', async () => {
    await assert.rejects(searchKnowledge(store, 'sales', 'audit', { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });
});

describe('search terms', () => {
  it('keeps lowercased content words once, without stop words and 1–2-letter words', () => {
    assert.deepEqual(contentTerms('What does the Automation AUDIT cost, and is the audit in EU?'), ['automation', 'audit', 'cost']);
    assert.deepEqual(contentTerms('Café crème à Kraków'), ['café', 'crème', 'kraków']);
    assert.deepEqual(contentTerms('Can you tell me what you do?'), []);
  });

  it('quotes every term and ORs them', () => {
    assert.equal(ftsQuery('audit NEAR "price*" (-x)'), '"audit" OR "near" OR "price"');
    assert.equal(ftsQuery('the of and'), null);
  });
});
