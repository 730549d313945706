import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { ingestKnowledge, vocabulary } from '../../src/knowledge/index.ts';
import { NOT_IN_DOCUMENTS } from '../../src/llm/prompt.ts';
import { Conversation, type AgentOutput } from '../../src/session/conversation.ts';
import { groundTurn, isOwnTask, looksLikeQuestion, MIN_COVERAGE } from '../../src/session/grounding.ts';
import { NotInDocumentsFilter } from '../../src/session/not-in-documents.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { folderWith } from '../knowledge/fixtures.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

const V = vocabulary();

describe('looksLikeQuestion, on text as a recogniser writes it', () => {
  it('recognises questions without punctuation, after the filler callers open with', () => {
    for (const t of ['what do you charge', 'um so how long does a project take', 'do you guys work with shopify stores', 'okay and is there a free trial', 'you do invoicing?', 'i was wondering if you do audits', 'quick question can you build a chatbot', 'so what would it set me back', 'we run a clinic do you work with clinics', 'were you open on sunday', 'were there any changes to the price']) {
      assert.equal(looksLikeQuestion(t), true, t);
    }
  });

  it('does not take statements for questions', () => {
    for (const t of ['my name is ana', 'we run a dental clinic', 'thanks bye', 'howard from acme here', 'we use shopify for our store', 'sounds good', '', "we're a small bakery", "we're not interested in that"]) {
      assert.equal(looksLikeQuestion(t), false, t);
    }
  });
});

describe('isOwnTask', () => {
  it('knows booking, giving details and talk about the call itself', () => {
    for (const t of ['can i book a call for tuesday', 'ok put me down for the two oclock then', 'my email is jane at acme dot io', 'are you a robot', 'can you repeat that', 'is 3 pm free tomorrow']) assert.equal(isOwnTask(t), true, t);
  });

  it('does not mistake questions about the business for tasks', () => {
    for (const t of ['how much is the audit', 'do you accept bitcoin', 'who founded the company', 'where is your office']) assert.equal(isOwnTask(t), false, t);
  });
});

describe('groundTurn: when a strict agent declines in code', () => {
  let store: Store;
  let folder: ReturnType<typeof folderWith>;
  const ground = (text: string, o: Partial<Parameters<typeof groundTurn>[3]> = {}) => groundTurn(store, 'acme', text, { topK: 3, vocabulary: V, strict: true, ...o });

  before(async () => {
    store = await openTestStore();
    folder = folderWith({
      'pricing.md': '# Pricing\n## Audit\nThe automation audit costs 1,500 EUR.\n## Payment\nInvoices are paid by bank transfer within 14 days.',
      'services.md': '# Services\nWe build workflow automations and AI assistants for clinics and accountants.',
    });
    await ingestKnowledge(store, { agent: 'acme', dir: folder.dir, sources: ['.'] });
  });
  after(async () => {
    await store.close();
    folder.dispose();
  });

  it('declines a question about something no document touches, and names the missing words', async () => {
    const g = await ground('who won the football world cup');
    assert.equal(g.declined, true);
    assert.ok(g.retrieval.coverage < MIN_COVERAGE);
    assert.match(g.reason, /not in the documents: .*football/);
  });

  it('lets an answerable question in callers’ words through', async () => {
    for (const q of ['um what would it set me back for the audit', 'do you guys do stuff for clinics', 'how do i pay the invoices']) {
      const g = await ground(q);
      assert.equal(g.declined, false, `${q}: ${g.reason}`);
    }
  });

  it('never declines small talk, statements or the agent’s own tasks, whatever the documents say', async () => {
    for (const q of ['hi there can you hear me', 'we are a bakery in leeds', 'can i book a call on friday', 'my name is jane doe']) {
      const g = await ground(q);
      assert.equal(g.declined, false, `${q}: ${g.reason}`);
    }
  });

  it('never declines when knowledge is not strict', async () => {
    assert.equal((await ground('who won the football world cup', { strict: false })).declined, false);
  });

  it('lets a question a webhook tool answers through', async () => {
    const g = await ground('where is my parcel order tracking', { toolTopics: ['order status Looks up the status and tracking of a parcel order'] });
    assert.equal(g.declined, false);
    assert.equal(g.reason, 'a tool covers it');
  });

  it('does not let one incidental word shared with a tool carry an off-document question', async () => {
    const tools = ['open ticket Opens a support ticket with a description and urgency', 'lookup account Looks up a customer account by email'];
    const football = await ground('which football club does your founder support', { toolTopics: tools });
    assert.equal(football.declined, true, football.reason);
    const ticket = await ground('can you open a support ticket for me', { toolTopics: tools });
    assert.equal(ticket.declined, false);
  });

  it('reads a follow-up with the turn before it', async () => {
    const alone = await ground('and what about that');
    const followUp = await ground('and how much is that', { previous: ['tell me about the audit'] });
    assert.equal(alone.declined, false, 'no content words: nothing to check');
    assert.equal(followUp.declined, false);
    assert.match(followUp.retrieval.hits[0].heading, /Audit/);
  });
});

describe('NotInDocumentsFilter', () => {
  const run = (parts: string[]) => {
    const f = new NotInDocumentsFilter();
    const out = parts.map((p) => f.push(p)).join('') + f.end();
    return { out, state: f.state };
  };

  it('swallows the marker, whole or split over stream chunks, with leading space or quotes', () => {
    assert.deepEqual(run([NOT_IN_DOCUMENTS]), { out: '', state: 'declined' });
    assert.deepEqual(run(['NOT', '_IN', '_DOC', 'UMENTS']), { out: '', state: 'declined' });
    assert.deepEqual(run([' ', '`NOT_IN_DOCUMENTS`']), { out: '', state: 'declined' });
    assert.deepEqual(run(['NOT_IN_DOC']), { out: '', state: 'declined' }, 'cut off inside the marker is still the marker');
  });

  it('passes a real reply on as soon as it cannot be the marker, holding nothing after', () => {
    const f = new NotInDocumentsFilter();
    assert.equal(f.push('The audit'), 'The audit');
    assert.equal(f.state, 'passing');
    assert.equal(f.push(' costs 1,500 EUR.'), ' costs 1,500 EUR.');
    assert.deepEqual(run(['NOT', ' at all, ', 'happy to help']), { out: 'NOT at all, happy to help', state: 'passing' });
    assert.deepEqual(run(['NO']), { out: 'NO', state: 'passing' }, 'a reply shorter than the marker is spoken at the end');
  });
});

describe('strict agent end to end: declined in code, or by the model’s marker', () => {
  let store: Store;
  let agent: Agent;
  let fake: FakeOpenAI;
  const model = () => createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })('fake-model');
  const say = async (c: Conversation, text: string) => {
    let heard = '';
    for await (const o of c.reply(text) as AsyncIterable<AgentOutput>) if (o.type === 'text') heard += o.text;
    return heard;
  };

  before(async () => {
    store = await openTestStore();
    agent = await loadAgent(EXAMPLE);
    await ingestKnowledge(store, { agent: agent.name, dir: agent.dir, sources: agent.config.knowledge.sources });
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await fake.close();
    await store.close();
  });

  it('declines an off-topic question without asking the model, and records why', async () => {
    const c = new Conversation({ agent, store, models: [model()] });
    await c.start();
    const asked = fake.requests.length;
    assert.equal(await say(c, 'how tall is mount everest'), agent.config.knowledge.unknownAnswer);
    assert.equal(fake.requests.length, asked, 'the model was not asked');
    await c.end('caller hung up');
    const rec = await new Records(store.db).get(c.id);
    assert.equal(rec?.turns.at(-1)?.grounding, 'declined');
    const hits = (await store.db.selectFrom('events').select('data').where('conversation_id', '=', c.id).where('type', '=', 'knowledge.hits').execute()).map((e) => JSON.parse(e.data));
    assert.equal(hits[0].decision.declined, true);
    assert.match(hits[0].decision.reason, /everest/);
  });

  it('turns the model’s not-in-documents marker into the unknown-answer line, in what is heard and in history', async () => {
    const c = new Conversation({ agent, store, models: [model()] });
    await c.start();
    fake.push({ text: NOT_IN_DOCUMENTS });
    const heard = await say(c, 'can i pay the invoices by credit card');
    assert.equal(heard, agent.config.knowledge.unknownAnswer);
    const sent = fake.requests.at(-1)!;
    assert.match(String(sent.messages.at(-1)!.content), /\[DOCUMENTS\][\s\S]*Payment terms/);
    assert.ok(!JSON.stringify(c.history).includes(NOT_IN_DOCUMENTS), 'the marker never enters history');
    await c.end('caller hung up');
    const rec = await new Records(store.db).get(c.id);
    assert.equal(rec?.turns.at(-1)?.grounding, 'declined');
    assert.equal(rec?.turns.at(-1)?.text, agent.config.knowledge.unknownAnswer);
  });

  it('passes an answer from the documents through unchanged', async () => {
    const c = new Conversation({ agent, store, models: [model()] });
    await c.start();
    fake.push({ text: 'The audit costs one thousand five hundred euros.' });
    assert.equal(await say(c, 'um what would the audit set me back'), 'The audit costs one thousand five hundred euros.');
    await c.end('caller hung up');
    const rec = await new Records(store.db).get(c.id);
    assert.equal(rec?.turns.at(-1)?.grounding, 'chunks');
  });
});
