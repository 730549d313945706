import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Guardrail, type GuardrailInput } from '../../src/agent/schema.ts';
import type { Embedder } from '../../src/knowledge/index.ts';
import { embedderFor } from '../../src/llm/embedder.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { nearestTopic, topicVectorsOf } from '../../src/session/guardrail-meaning.ts';
import { guardedTopics, guardedTopicsOf } from '../../src/session/guardrails.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeEmbeddings, startFakeOpenAI, type FakeEmbeddings, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

// Guarded topics recognised by meaning, where the agent has knowledge.embeddings: a turn with none
// of the topic's words but close to one of its examples is turned away too, on the embedding
// retrieval already made for the turn (one per caller turn), against the topics' vectors made once.

const ENV = { OPENAI_API_KEY: 'sk-test' };
const COMPETITORS: GuardrailInput = { topic: 'competitors', words: ['acme'], examples: ['Are you cheaper than the other agencies?'], say: 'I can only speak for Brightpath.' };

interface Hits {
  decision: { declined: boolean; reason: string; guardedBy?: string; guardSimilarity?: number; guardEmbedError?: string };
}

describe('guarded topics by meaning', () => {
  let store: Store;
  let example: Agent;
  let llm: FakeOpenAI;
  let fake: FakeEmbeddings;

  before(async () => {
    store = await openTestStore();
    example = await loadAgent(EXAMPLE);
    llm = await startFakeOpenAI();
    // "killing" means what "pain" means, as a real model would place them.
    fake = await startFakeEmbeddings({ dimensions: 64, meanings: [['pain', 'killing', 'hurting']] });
  });
  after(async () => {
    await fake.close();
    await llm.close();
    await store.close();
  });

  const agentWith = (guardrails: GuardrailInput[], timeoutMs = 400): Agent => ({
    ...example,
    config: { ...example.config, guardrails: guardrails.map((g) => Guardrail.parse(g)), knowledge: { ...example.config.knowledge, embeddings: { model: 'openai:text-embedding-3-small', baseURL: fake.url, minSimilarity: 0.5, timeoutMs } } },
  });
  const model = () => createOpenAICompatible({ name: 'fake', baseURL: llm.url, apiKey: 'test' })('fake-model');

  async function say(agent: Agent, embedder: Embedder, line: string): Promise<{ text: string; asked: boolean; hits: Hits; grounding: string | null | undefined }> {
    const c = new Conversation({ agent, store, models: [model()], embedder });
    await c.start();
    const before = llm.requests.length;
    let text = '';
    for await (const o of c.reply(line)) if (o.type === 'text') text += o.text;
    await c.end('caller hung up');
    const rec = await new Records(store.db).get(c.id);
    const row = await store.db.selectFrom('events').select('data').where('conversation_id', '=', c.id).where('type', '=', 'knowledge.hits').executeTakeFirstOrThrow();
    return { text, asked: llm.requests.length > before, hits: JSON.parse(row.data) as Hits, grounding: rec?.turns.at(-1)?.grounding };
  }

  it('turns away a turn with none of the topic’s words that means the same as an example, and says how it knew', async () => {
    const agent = agentWith([COMPETITORS]);
    const embedder = embedderFor(agent.config.knowledge.embeddings!, ENV);
    await topicVectorsOf(guardedTopicsOfAgent(agent), embedder); // made before the first turn, as in a live call
    const r = await say(agent, embedder, 'are you cheaper than the other agencies in town');
    assert.equal(r.text, 'I can only speak for Brightpath.');
    assert.equal(r.asked, false, 'the model never saw the turn');
    assert.equal(r.grounding, 'guarded:competitors');
    assert.equal(r.hits.decision.reason, 'guarded topic: competitors');
    assert.equal(r.hits.decision.guardedBy, 'meaning');
    assert.ok(r.hits.decision.guardSimilarity! >= 0.6, `similarity ${r.hits.decision.guardSimilarity}`);
  });

  it('recognises a built-in topic by meaning: advice asked in words the word list lacks', async () => {
    const agent = agentWith([{ topic: 'medical' }]);
    const embedder = embedderFor(agent.config.knowledge.embeddings!, ENV);
    await topicVectorsOf(guardedTopicsOfAgent(agent), embedder);
    const r = await say(agent, embedder, 'what should i take for this killing');
    assert.equal(r.hits.decision.guardedBy, 'meaning');
    assert.equal(r.grounding, 'guarded:medical');
    const business = await say(agent, embedder, 'how much is an intro call');
    assert.notEqual(business.grounding, 'guarded:medical');
    assert.equal(business.hits.decision.guardedBy, undefined);
  });

  it('embeds each caller turn once, and the topics once per agent and model, shared by conversations', async () => {
    const agent = agentWith([COMPETITORS, { topic: 'legal' }]);
    const embedder = embedderFor(agent.config.knowledge.embeddings!, ENV);
    const start = fake.requests.length;
    await say(agent, embedder, 'are you cheaper than the other agencies in town');
    await say(agent, embedder, 'do you offer a discount for charities');
    await say(agent, embedder, 'is acme better than you'); // by words: the turn is still embedded once, for retrieval
    const made = fake.requests.slice(start);
    const topicRequests = made.filter((r) => r.input.length > 1);
    assert.equal(topicRequests.length, 1, 'the topics are embedded once');
    assert.equal(topicRequests[0]!.input.length, 1 + 4, 'one example of the own topic and the legal topic’s four');
    assert.deepEqual(made.filter((r) => r.input.length === 1).map((r) => r.input[0]), ['are you cheaper than the other agencies in town', 'do you offer a discount for charities', 'is acme better than you']);
  });

  it('when the topics cannot be embedded, matches by words, records why, and tries again later', async () => {
    const agent = agentWith([{ ...COMPETITORS, examples: ['is your agency better than the others', 'who else does this'] }]);
    const topics = guardedTopicsOfAgent(agent);
    let down = true;
    const flaky: Embedder = {
      label: 'flaky-topics',
      async embed(texts) {
        if (texts.length > 1 && down) throw new Error('HTTP 503 from the embedding model');
        return texts.map(oneHot);
      },
    };
    const r = await say(agent, flaky, 'is your agency better than the others');
    assert.notEqual(r.grounding, 'guarded:competitors');
    assert.equal(r.hits.decision.guardEmbedError, 'HTTP 503 from the embedding model');
    const byWords = await say(agent, flaky, 'is acme any good');
    assert.equal(byWords.hits.decision.guardedBy, 'words', 'words still guard while meaning cannot');
    down = false;
    const again = await say(agent, flaky, 'is your agency better than the others');
    assert.equal(again.grounding, 'guarded:competitors', 'the failure was not kept: the next conversation asked again');
    assert.equal(again.hits.decision.guardSimilarity, 1);
    assert.ok(!('error' in (await topicVectorsOf(topics, flaky))));
  });

  it('when the topics’ vectors are late, the turn goes on by words after the turn’s own embedding timeout', async () => {
    const agent = agentWith([{ ...COMPETITORS, examples: ['Are you cheaper than the other agencies?', 'Who else does this?'] }], 50);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slowTopics: Embedder = {
      label: 'held-topics',
      async embed(texts) {
        if (texts.length > 1) await held; // the topics: held until the test lets go
        return texts.map(() => Float32Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0)));
      },
    };
    const r = await say(agent, slowTopics, 'are you cheaper than the other agencies in town');
    assert.notEqual(r.grounding, 'guarded:competitors');
    assert.match(r.hits.decision.guardEmbedError ?? '', /not ready within 50 ms/);
    release();
    const later = await say(agent, slowTopics, 'are you cheaper than the other agencies in town');
    assert.equal(later.grounding, 'guarded:competitors', 'identical vectors: similarity 1 once the topics are in');
  });

  it('picks the closest topic, and never one under its threshold', () => {
    const topics = guardedTopics([
      { topic: 'a', words: ['x'], examples: ['one'], minSimilarity: 0.9 },
      { topic: 'b', words: ['y'], examples: ['two', 'three'] },
    ]);
    const v = (...xs: number[]) => Float32Array.from(xs);
    const vectors = [[v(1, 0, 0)], [v(0, 1, 0), v(0.8, 0.6, 0)]];
    assert.equal(nearestTopic(v(1, 0, 0), topics, vectors)?.topic.topic, 'a');
    const m = nearestTopic(v(0.8, 0.6, 0), topics, vectors);
    assert.equal(m?.topic.topic, 'b');
    assert.equal(m?.by === 'meaning' && m.example, 'three');
    assert.equal(nearestTopic(v(0, 0, 1), topics, vectors), undefined);
    assert.equal(nearestTopic(v(1, 0), topics, vectors), undefined, 'a vector of another length is never compared');
  });
});

/** A vector per distinct text: the same text, the same direction; others orthogonal (mostly). */
function oneHot(text: string): Float32Array {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const v = new Float32Array(64);
  v[h % 64] = 1;
  return v;
}

function guardedTopicsOfAgent(agent: Agent) {
  return guardedTopicsOf(agent.config.guardrails);
}
