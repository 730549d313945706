import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { BUILT_IN_TOPICS, guardedTopicOf, guardedTopics } from '../../src/session/guardrails.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

// Topics the owner does not want handled, turned away in code before the model is asked.

describe('guardedTopicOf', () => {
  const topics = guardedTopics([{ topic: 'medical' }, { topic: 'legal' }, { topic: 'competitors', words: ['acme', 'globex corp'] }]);
  const topic = (text: string) => guardedTopicOf(text, topics)?.topic;

  it('turns away requests for medical or legal advice, as a recogniser writes them', () => {
    for (const t of ['my gum keeps bleeding is that normal', 'um should i take ibuprofen before the appointment', 'can you diagnose what this lump is', 'what painkillers can i take for the pain', 'is it safe to have whitening if im pregnant']) assert.equal(topic(t), 'medical', t);
    for (const t of ['can i sue my old dentist', 'what are my rights if the landlord wont refund', 'is it legal to record the call']) assert.equal(topic(t), 'legal', t);
  });

  it('lets the business’s own questions through, even in the topic’s words', () => {
    for (const t of ['how much is a filling', 'do you treat children with toothache', 'i have a bit of pain can i book in today', 'what does the contract say about cancelling', 'do you take payment by card']) assert.equal(topic(t), undefined, t);
  });

  it('matches an owner’s own topic on its words and phrases alone', () => {
    assert.equal(topic('are you cheaper than acme'), 'competitors');
    assert.equal(topic('how do you compare to globex corp'), 'competitors');
    assert.equal(topic('how do you compare to globex'), undefined, 'a phrase needs all its words');
  });

  it('uses the owner’s line, or the built-in one', () => {
    const [medical, own] = guardedTopics([{ topic: 'medical' }, { topic: 'medical', say: 'Please ask the dentist at your visit.' }]);
    assert.equal(medical.say, BUILT_IN_TOPICS.medical.say);
    assert.equal(own.say, 'Please ask the dentist at your visit.');
  });

  it('is refused in agent.yaml when a topic of one’s own names no words', () => {
    const r = AgentFile.safeParse({ persona: { prompt: 'x', firstMessage: 'hi' }, guardrails: [{ topic: 'politics' }] });
    assert.equal(r.success, false);
    assert.match(JSON.stringify(r.error?.issues), /not a built-in topic .*list the words/);
  });
});

describe('a guarded topic in a conversation', () => {
  let store: Store;
  let agent: Agent;
  let fake: FakeOpenAI;

  before(async () => {
    store = await openTestStore();
    const example = await loadAgent(EXAMPLE);
    agent = { ...example, config: { ...example.config, guardrails: [{ topic: 'medical' }, { topic: 'competitors', words: ['zapier experts inc'], asking: 'any' as const, say: 'I can only speak for Brightpath.' }] } };
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await fake.close();
    await store.close();
  });

  it('says the fixed line without asking the model, and records the topic', async () => {
    const c = new Conversation({ agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })('fake-model')] });
    await c.start();
    const asked = fake.requests.length;
    let heard = '';
    for await (const o of c.reply('are you better than zapier experts inc')) if (o.type === 'text') heard += o.text;
    assert.equal(heard, 'I can only speak for Brightpath.');
    assert.equal(fake.requests.length, asked, 'the model never saw the turn');
    await c.end('caller hung up');
    const rec = await new Records(store.db).get(c.id);
    assert.equal(rec?.turns.at(-1)?.grounding, 'guarded:competitors');
    const hits = (await store.db.selectFrom('events').select('data').where('conversation_id', '=', c.id).where('type', '=', 'knowledge.hits').execute()).map((e) => JSON.parse(e.data));
    assert.equal(hits[0].decision.reason, 'guarded topic: competitors');
  });
});
