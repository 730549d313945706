import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeEmbeddings, type FakeEmbeddings } from '../../src/testing/index.ts';
import { runParley, tempDir } from '../helpers/cli.ts';

// `parley knowledge explain` tells an author in advance whether a question is turned away as a
// guarded topic, and which matcher recognised it: the topic's words, or (with
// knowledge.embeddings) its meaning, with the similarity and the example it was close to.

describe('parley knowledge explain: guarded topics', () => {
  let fake: FakeEmbeddings;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    fake = await startFakeEmbeddings({ dimensions: 64 });
    dir = tempDir();
    mkdirSync(join(dir, 'knowledge'));
    writeFileSync(join(dir, 'knowledge', 'prices.md'), '# Prices\nA website audit costs 900 euros and takes two weeks.\n');
    writeFileSync(
      join(dir, 'agent.yaml'),
      [
        'persona: { prompt: You help., firstMessage: Hi. }',
        `knowledge: { embeddings: { model: "openai:text-embedding-3-small", baseURL: "${fake.url}" } }`,
        'guardrails:',
        '  - topic: competitors',
        '    words: [acme]',
        '    examples: ["Are you cheaper than the other agencies?"]',
        '    say: I can only speak for us.',
        '',
      ].join('\n'),
    );
    env = { OPENAI_API_KEY: 'sk-test', PARLEY_DATABASE_URL: `file:${join(tempDir(), 'p.db')}` };
    const ingest = await runParley(['knowledge', 'ingest', dir], { env });
    assert.equal(ingest.code, 0, ingest.stderr);
  });
  after(() => fake.close());

  it('says a question is guarded by meaning, with the similarity and the nearest example', async () => {
    const r = await runParley(['knowledge', 'explain', dir, 'are you cheaper than the other agencies in town', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const { decision } = JSON.parse(r.stdout);
    assert.equal(decision.guarded, 'competitors');
    assert.equal(decision.guardedBy, 'meaning');
    assert.equal(decision.guardExample, 'Are you cheaper than the other agencies?');
    assert.ok(decision.guardSimilarity >= 0.6);
    const text = await runParley(['knowledge', 'explain', dir, 'are you cheaper than the other agencies in town'], { env });
    assert.match(text.stdout, /GUARDED topic "competitors" \(recognised by meaning: similarity 0\.\d\d to "Are you cheaper than the other agencies\?", at least 0\.6 needed\)/);
  });

  it('says when the words recognised it, and lets a question on the documents through', async () => {
    const words = await runParley(['knowledge', 'explain', dir, 'is acme any good'], { env });
    assert.match(words.stdout, /GUARDED topic "competitors" \(recognised by its words\)/);
    const prices = await runParley(['knowledge', 'explain', dir, 'how much is a website audit', '--json'], { env });
    const { decision } = JSON.parse(prices.stdout);
    assert.equal(decision.guarded, null);
    assert.equal(decision.declined, false);
  });

  it('without the embedding key, matches by words alone and says so', async () => {
    const r = await runParley(['knowledge', 'explain', dir, 'are you cheaper than the other agencies in town', '--json'], { env: { PARLEY_DATABASE_URL: env.PARLEY_DATABASE_URL } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).decision.guarded, null);
    assert.match(r.stderr, /no API key for the embedding model .*OPENAI_API_KEY/);
  });
});

// Before `parley knowledge ingest` (or from another working directory's store) there is no index:
// explain indexes the documents in memory, as `parley test` does, rather than reading an empty
// index as "not in the documents".
describe('parley knowledge explain before ingest', () => {
  it('indexes the documents in memory and says so, instead of declining everything', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'knowledge'));
    writeFileSync(join(dir, 'knowledge', 'roofs.md'), '# Roofs\nWe install solar panels on metal roofs and tile roofs.\n');
    writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: You help., firstMessage: Hi. }\n');
    const env = { PARLEY_DATABASE_URL: `file:${join(tempDir(), 'empty.db')}` };
    const r = await runParley(['knowledge', 'explain', dir, 'do you install on metal roofs', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const { hits, decision } = JSON.parse(r.stdout);
    assert.equal(decision.declined, false, decision.reason);
    assert.equal(hits[0].source, 'knowledge/roofs.md');
    assert.match(r.stderr, /nothing is indexed for .* in this store yet: indexing its documents in memory .*parley knowledge ingest/);
    const text = await runParley(['knowledge', 'explain', dir, 'do you install on metal roofs'], { env });
    assert.match(text.stdout, /goes to the model with these passages/);
  });

  // solar LOG entry 8: "Did you run ingest?" right after saying it had indexed the documents itself
  it('with no chunk matching, suggests ingest only where it would help', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'knowledge'));
    writeFileSync(join(dir, 'knowledge', 'roofs.md'), '# Roofs\nWe install solar panels on metal roofs and tile roofs.\n');
    writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: You help., firstMessage: Hi. }\n');
    const env = { PARLEY_DATABASE_URL: `file:${join(tempDir(), 'p.db')}` };
    const before = await runParley(['knowledge', 'explain', dir, 'xylophone zeppelin'], { env });
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /no chunk matches \([\d.]+ ms\) among the 1 chunks of its documents \(indexed just now, above\)\./);
    assert.doesNotMatch(before.stdout, /ingest/);

    assert.equal((await runParley(['knowledge', 'ingest', dir], { env })).code, 0);
    const after = await runParley(['knowledge', 'explain', dir, 'xylophone zeppelin'], { env });
    assert.match(after.stdout, /no chunk matches \([\d.]+ ms\)\. If the documents changed since, run `parley knowledge ingest .*` again\./);
    assert.doesNotMatch(after.stderr, /nothing is indexed/);

    const empty = tempDir();
    mkdirSync(join(empty, 'knowledge'));
    writeFileSync(join(empty, 'agent.yaml'), 'persona: { prompt: You help., firstMessage: Hi. }\n');
    const none = await runParley(['knowledge', 'explain', empty, 'xylophone zeppelin'], { env });
    assert.match(none.stdout, /no chunk matches \([\d.]+ ms\)\. Nothing could be indexed from knowledge\.sources \(see above\): fix them, then `parley knowledge ingest .*`\./);
  });
});

// The words that only make a statement a question ("I'm interested in", "interesuje mnie") name
// nothing to find: explain never lists them as missing from the documents, and retrieval, which
// reads the turn the same way, never weighs them against it.
describe('parley knowledge explain: statements that ask', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = tempDir();
    mkdirSync(join(dir, 'knowledge'));
    writeFileSync(join(dir, 'knowledge', 'roofs.md'), '# Roofs\nWe install solar panels on metal roofs and tile roofs.\n');
    writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: You help., firstMessage: Hi. }\n');
    env = { PARLEY_DATABASE_URL: `file:${join(tempDir(), 'p.db')}` };
  });

  it('names the caller\'s missing words, not "interested" or "wondering"', async () => {
    for (const q of ["I'm interested in a heat pump", "I was wondering, any idea about heat pumps", "I'm hoping to know about heat pumps"]) {
      const r = await runParley(['knowledge', 'explain', dir, q, '--json'], { env });
      assert.equal(r.code, 0, r.stderr);
      const { decision } = JSON.parse(r.stdout);
      assert.equal(decision.declined, true, `${q}: ${decision.reason}`);
      assert.deepEqual(decision.unknown.map((w: string) => w.replace(/s$/, '')), ['heat', 'pump'], q);
    }
    const text = await runParley(['knowledge', 'explain', dir, "I'm interested in a heat pump"], { env });
    assert.match(text.stdout, /not in the documents: heat, pump\)/);
  });

  it('finds a covered statement covered, and reads a negated one as no question', async () => {
    const covered = await runParley(['knowledge', 'explain', dir, "I'm interested in solar panels for a metal roof", '--json'], { env });
    const { decision } = JSON.parse(covered.stdout);
    assert.equal(decision.declined, false, decision.reason);
    assert.deepEqual(decision.unknown, []);
    const negated = await runParley(['knowledge', 'explain', dir, "we're not interested in a heat pump", '--json'], { env });
    assert.equal(JSON.parse(negated.stdout).decision.reason, 'not a question');
  });
});
