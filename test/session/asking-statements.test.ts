import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { ingestKnowledge } from '../../src/knowledge/index.ts';
import { Conversation, type AgentOutput } from '../../src/session/conversation.ts';
import { looksLikeQuestion } from '../../src/session/grounding.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { folderWith } from '../knowledge/fixtures.ts';
import { openTestStore } from '../helpers/store.ts';

// "I'm interested in X" asks for information, so a strict agent declines it in code when no
// document covers X, as docs/knowledge.md says ("Statements that ask"); another statement goes to
// the model (accounting LOG 5).

const agentFolder = (language: string, unknownAnswer: string, doc: string) =>
  folderWith({
    'agent.yaml': `name: office-${language.toLowerCase()}\npersona: { prompt: "Answer from the documents.", firstMessage: "Hello", language: ${language} }\nknowledge: { sources: [knowledge/], strict: true, unknownAnswer: "${unknownAnswer}" }\n`,
    'knowledge/services.md': doc,
  });

describe('statements that ask are declined in code when the documents do not cover them', () => {
  let store: Store;
  let fake: FakeOpenAI;
  const folders: ReturnType<typeof folderWith>[] = [];
  const agents: Record<'pl' | 'en', Agent> = {} as never;
  const model = () => createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })('fake-model');
  const say = async (agent: Agent, text: string) => {
    const c = new Conversation({ agent, store, models: [model()] });
    await c.start();
    const asked = fake.requests.length;
    let heard = '';
    for await (const o of c.reply(text) as AsyncIterable<AgentOutput>) if (o.type === 'text') heard += o.text;
    await c.end('caller hung up');
    return { heard, modelAsked: fake.requests.length > asked };
  };

  before(async () => {
    store = await openTestStore();
    fake = await startFakeOpenAI();
    const pl = agentFolder('pl-PL', 'Niestety nie mam tej informacji w naszych materiałach.', '# Usługi\nProwadzimy pełną księgowość, kadry i płace oraz rozliczenia PIT.\n');
    const en = agentFolder('en', 'I do not have that in our information.', '# Services\nWe offer full bookkeeping, payroll and tax returns for small businesses.\n');
    folders.push(pl, en);
    for (const [key, f] of [['pl', pl], ['en', en]] as const) {
      agents[key] = await loadAgent(f.dir);
      await ingestKnowledge(store, { agent: agents[key].name, dir: agents[key].dir, sources: agents[key].config.knowledge.sources });
    }
  });
  after(async () => {
    await fake.close();
    await store.close();
    for (const f of folders) f.dispose();
  });

  it('"Interesuje mnie audyt finansowy." and "I\'m interested in a financial audit." say the unknown-answer line; the model is not asked', async () => {
    for (const [key, text] of [['pl', 'Interesuje mnie audyt finansowy.'], ['en', "I'm interested in a financial audit."]] as const) {
      const { heard, modelAsked } = await say(agents[key], text);
      assert.equal(heard, agents[key].config.knowledge.unknownAnswer, text);
      assert.equal(modelAsked, false, `${text}: the model was not asked`);
    }
  });

  it('the same statement about a service the documents cover, and a statement that does not ask, go to the model', async () => {
    for (const [key, text] of [['pl', 'Interesuje mnie pełna księgowość.'], ['en', "I'm interested in payroll."], ['pl', 'Mam sklep internetowy i szukam biura.'], ['en', 'We run a small bakery.']] as const) {
      const { modelAsked } = await say(agents[key], text);
      assert.equal(modelAsked, true, text);
    }
  });

  it('reads the statements as questions, and other statements not', () => {
    assert.ok(looksLikeQuestion('Interesuje mnie audyt finansowy.', 'pl'));
    assert.ok(looksLikeQuestion("I'm interested in a financial audit."));
    assert.ok(looksLikeQuestion('Proszę powiedzieć, czym się zajmujecie.', 'pl'), 'after a word that is also filler');
    assert.ok(!looksLikeQuestion('Mam sklep internetowy i szukam biura.', 'pl'));
    assert.ok(!looksLikeQuestion('We run a small bakery.'));
  });
});
