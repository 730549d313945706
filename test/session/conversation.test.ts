import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { ingestKnowledge } from '../../src/knowledge/index.ts';
import { Conversation, type AgentOutput } from '../../src/session/conversation.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

const model = (fake: FakeOpenAI, name = 'fake') => createOpenAICompatible({ name, baseURL: fake.url, apiKey: 'test' })('fake-model');

async function collect(it: AsyncIterable<AgentOutput>): Promise<{ text: string; outputs: AgentOutput[] }> {
  const outputs: AgentOutput[] = [];
  for await (const o of it) outputs.push(o);
  return { text: outputs.flatMap((o) => (o.type === 'text' ? [o.text] : [])).join(''), outputs };
}

const toolMessages = (r: ChatRequest) => r.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(String(m.content)));

describe('Conversation (in process, against the fake model)', () => {
  let store: Store;
  let agent: Agent;
  let primary: FakeOpenAI;
  let backup: FakeOpenAI;

  before(async () => {
    store = await openTestStore();
    agent = await loadAgent(EXAMPLE);
    await ingestKnowledge(store, { agent: agent.name, dir: agent.dir, sources: agent.config.knowledge.sources });
    primary = await startFakeOpenAI();
    backup = await startFakeOpenAI();
  });
  after(async () => {
    await primary.close();
    await backup.close();
    await store.close();
  });
  beforeEach(() => {
    assert.equal(primary.pending() + backup.pending(), 0, 'previous test left scripted steps unused');
  });

  const events = async (id: string) => (await store.db.selectFrom('events').selectAll().where('conversation_id', '=', id).orderBy('id').execute()).map((e) => ({ type: e.type, data: JSON.parse(e.data) }));

  it('fires the first message without asking the model and records it', async () => {
    const c = new Conversation({ agent, store, models: [model(primary)] });
    const before = primary.requests.length;
    assert.equal(await c.start(), agent.config.persona.firstMessage);
    assert.equal(primary.requests.length, before);
    const rec = await new Records(store.db).get(c.id);
    assert.equal(rec?.turns[0].text, agent.config.persona.firstMessage);
  });

  it('falls back to the next model when the first fails before saying anything, and records the failure', async () => {
    primary.push({ error: { status: 503, message: 'overloaded' } });
    backup.push({ text: 'We work with HubSpot, Pipedrive and Salesforce.' });
    const c = new Conversation({ agent, store, models: [model(primary, 'primary'), model(backup, 'backup')] });
    await c.start();
    const { text } = await collect(c.reply('Which CRMs do you integrate with?'));
    assert.equal(text, 'We work with HubSpot, Pipedrive and Salesforce.');
    const errors = (await events(c.id)).filter((e) => e.type === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0].data.where, /^llm:primary/);
    assert.match(errors[0].data.message, /overloaded/);
    const rec = await new Records(store.db).get(c.id);
    assert.equal(rec?.errors?.length, 1, 'the failure is part of the conversation record');
    assert.match(rec?.errors?.[0].where ?? '', /^llm:primary/);
  });

  it('a model that says nothing within brain.responseTimeoutMs counts as failed: the next one answers, and the record says why', async () => {
    primary.push({ text: 'too late', delayMs: 5000 });
    backup.push({ text: 'We work with HubSpot.' });
    const slow = { ...agent, config: { ...agent.config, brain: { ...agent.config.brain, responseTimeoutMs: 300 } } };
    const c = new Conversation({ agent: slow, store, models: [model(primary, 'primary'), model(backup, 'backup')] });
    await c.start();
    const t0 = performance.now();
    const { text } = await collect(c.reply('Which CRMs do you integrate with?'));
    assert.equal(text, 'We work with HubSpot.');
    assert.ok(performance.now() - t0 < 3000, 'the caller did not wait for the slow model');
    const rec = await new Records(store.db).get(c.id);
    assert.match(rec?.errors?.[0]?.message ?? '', /no response within 300 ms/);
  });

  it('apologises aloud when every model fails, and the conversation goes on', async () => {
    primary.push({ error: { status: 500, message: 'boom' } }, { error: { status: 500, message: 'boom' } }, { text: 'Yes, we work in English and Polish.' });
    const c = new Conversation({ agent, store, models: [model(primary)] });
    await c.start();
    const first = await collect(c.reply('Do you work with companies outside Poland?'));
    assert.match(first.text, /^Sorry, I'm having trouble/);
    const second = await collect(c.reply('Do you work with companies outside Poland?'));
    assert.equal(second.text, 'Yes, we work in English and Polish.');
    const rec = await new Records(store.db).get(c.id);
    assert.deepEqual(rec?.turns.map((t) => t.role), ['agent', 'caller', 'agent', 'caller', 'agent']);
  });

  it('bounds the tool loop by maxToolRounds, then makes the model answer without tools', async () => {
    const rounds = agent.config.brain.maxToolRounds;
    for (let i = 0; i < rounds + 1; i++) primary.push({ toolCalls: [{ name: 'search_knowledge', args: { query: `care plan ${i}` } }] });
    primary.push((r) => {
      assert.equal(r.tool_choice, 'none');
      return { text: 'The Essential care plan is 350 euros a month.' };
    });
    const c = new Conversation({ agent, store, models: [model(primary)] });
    await c.start();
    const before = primary.requests.length;
    const { text, outputs } = await collect(c.reply('How much are the care plans?'));
    assert.equal(text, 'The Essential care plan is 350 euros a month.');
    assert.equal(primary.requests.length - before, rounds + 2);
    assert.equal(outputs.filter((o) => o.type === 'tool').length, rounds + 1);
    const rec = await new Records(store.db).get(c.id);
    const search = rec?.toolCalls[0];
    assert.equal(search?.name, 'search_knowledge');
    assert.deepEqual(search?.request, { query: 'care plan 0' });
    assert.ok((search?.response as { hits: { source: string }[] }).hits.some((h) => h.source === 'knowledge/pricing.md'));
  });

  it('a failing tool is recorded with its error and the model is told to apologise', async () => {
    primary.push({ toolCalls: [{ name: 'notify_sales_team', args: { name: 'Jo Bloggs', email: 'jo@bloggs.dev', problem: 'slow onboarding' } }] }, (r) => {
      assert.match(JSON.stringify(toolMessages(r).at(-1)), /CRM_WEBHOOK_URL is not set.*Apologise/);
      return { text: "Sorry, I couldn't pass that on just now; a consultant will still get your details." };
    });
    const c = new Conversation({ agent, store, models: [model(primary)], env: {} });
    await c.start();
    const { text } = await collect(c.reply('Please pass my details to your team: Jo Bloggs, jo@bloggs.dev, slow onboarding.'));
    assert.match(text, /^Sorry, I couldn't pass that on/);
    const call = (await new Records(store.db).get(c.id))?.toolCalls[0];
    assert.equal(call?.name, 'notify_sales_team');
    assert.match(call?.error ?? '', /environment variable CRM_WEBHOOK_URL is not set \(needed by tools\.notify_sales_team\.url\)/);
  });

  it('end_call ends the conversation after the goodbye and records why', async () => {
    primary.push({ text: 'Thanks for calling, goodbye!', toolCalls: [{ name: 'end_call', args: { reason: 'caller is done' } }] }, { text: '' });
    const c = new Conversation({ agent, store, models: [model(primary)] });
    await c.start();
    const { text, outputs } = await collect(c.reply("That's everything, thanks. Bye!"));
    assert.equal(text, 'Thanks for calling, goodbye!');
    assert.deepEqual(outputs.at(-1), { type: 'end', reason: 'agent ended' });
    assert.equal(c.ended, true);
    await assert.rejects(collect(c.reply('hello?')), /ended/);
    const rec = await new Records(store.db).get(c.id);
    assert.equal(rec?.endReason, 'agent ended');
    // The model's own reason is kept where it said it: in the recorded end_call.
    assert.deepEqual(rec?.toolCalls.find((t) => t.name === 'end_call')?.input, { reason: 'caller is done' });
    assert.ok(rec?.endedAt);
  });

  it('an interruption cuts history and the record back to the words the caller heard', async () => {
    primary.push(
      { toolCalls: [{ name: 'save_lead', args: { name: 'Jo Bloggs' } }] },
      { text: 'Thanks Jo. The Essential plan is 350 euros a month and the Growth plan is 900 euros a month.' },
      (r) => {
        const assistant = r.messages.filter((m) => m.role === 'assistant').map((m) => String(m.content ?? ''));
        assert.ok(assistant.includes('Thanks Jo. The Essential plan'), 'the heard words are what the model believes it said');
        assert.ok(!JSON.stringify(r.messages).includes('Growth plan'), 'unheard words are gone from history');
        assert.ok(r.messages.some((m) => m.role === 'tool'), 'the tool call that ran is kept');
        return { text: 'The Growth plan? It is 900 euros a month.' };
      },
    );
    const c = new Conversation({ agent, store, models: [model(primary)] });
    await c.start();
    const { outputs } = await collect(c.reply("I'm Jo Bloggs. How much are your care plans?"));
    assert.ok(outputs.some((o) => o.type === 'tool-start' && o.name === 'save_lead'));
    await c.interrupted('Thanks Jo. The Essential plan');
    assert.equal((await collect(c.reply('Sorry, which plan did you say?'))).text, 'The Growth plan? It is 900 euros a month.');
    const rec = await new Records(store.db).get(c.id);
    const cut = rec?.turns[2];
    assert.equal(cut?.interrupted, true);
    assert.equal(cut?.heardText, 'Thanks Jo. The Essential plan');
    assert.match(cut?.text ?? '', /Growth plan/, 'the record keeps what was generated too');
  });
});
