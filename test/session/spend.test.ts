import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModelMessage } from 'ai';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Conversation, type AgentOutput } from '../../src/session/conversation.ts';
import { estimateTokens } from '../../src/session/history-window.ts';
import { ENGLISH_LINES } from '../../src/session/fixed-lines.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openPostgresSchema, openTestStore, postgresUp } from '../helpers/store.ts';

// Spend bounded inside a conversation (issue 14): every model call is checked against the
// conversation's own cap and the day's budget, live conversations included, on both stores.

const PG = process.env.PARLEY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const pgMissing = (await postgresUp(PG)) ? false : `no PostgreSQL at ${PG}`;

/** 1 USD per million input tokens and per million output tokens for the fake model: cost = tokens / 1e6. */
const PRICES = { llm: { fake: { inputPerMTok: 1, outputPerMTok: 1 } } };

async function collect(it: AsyncIterable<AgentOutput>): Promise<{ text: string; outputs: AgentOutput[] }> {
  const outputs: AgentOutput[] = [];
  for await (const o of it) outputs.push(o);
  return { text: outputs.flatMap((o) => (o.type === 'text' ? [o.text] : [])).join(''), outputs };
}

const promptTokens = (messages: unknown) => Math.ceil(JSON.stringify(messages).length / 4); // what the fake reports

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`spend inside a conversation (${kind})`, { skip: kind === 'postgres' && pgMissing }, () => {
    let store: Store;
    let base: Agent;
    let llm: FakeOpenAI;
    const model = () => createOpenAICompatible({ name: 'fake', baseURL: llm.url, apiKey: 'test', includeUsage: true })('fake-model');
    let day = 0;
    /** A fresh agent name per test (the daily budget is per agent), with these limits and brain settings. */
    const agentWith = (limits: Record<string, unknown>, brain: Record<string, unknown> = {}): Agent => ({
      ...base,
      name: `spend-${kind}-${++day}`,
      config: { ...base.config, knowledge: { ...base.config.knowledge, strict: false }, brain: { ...base.config.brain, ...brain }, limits: { ...base.config.limits, prices: PRICES, ...limits } },
    });

    before(async () => {
      store = kind === 'postgres' ? await openPostgresSchema(PG) : await openTestStore();
      base = await loadAgent(EXAMPLE);
      llm = await startFakeOpenAI();
    });
    after(async () => {
      await llm.close();
      await store.close();
    });

    it('limits.maxCostPerConversationUsd: once reached, the next turn gets the fixed line (no model), an end output, and the record says "cost limit"', async () => {
      const agent = agentWith({ maxCostPerConversationUsd: 0.0001 }); // 100 tokens
      llm.push({ text: 'x'.repeat(800) }); // ~200 output tokens: over the cap after one reply
      const c = new Conversation({ agent, store, models: [model()] });
      await c.start();
      await collect(c.reply('Tell me everything.'));
      assert.equal(c.ended, false, 'a reply in flight is never cut by the cap; the next call is refused');
      const asked = llm.requests.length;
      const { text, outputs } = await collect(c.reply('And more?'));
      assert.equal(llm.requests.length, asked, 'the model was not asked');
      assert.equal(text, ENGLISH_LINES.costLimit);
      assert.deepEqual(outputs.at(-1), { type: 'end', reason: 'cost limit' });
      assert.equal(c.ended, true);
      assert.equal(c.endReason, 'cost limit');
      const rec = await new Records(store.db).get(c.id);
      assert.equal(rec?.endReason, 'cost limit');
      assert.equal(rec?.turns.at(-1)?.text, ENGLISH_LINES.costLimit);
      assert.ok((rec?.costUsd ?? 0) >= 0.0001);
    });

    it('the cap is checked between tool rounds too: a turn that crosses it asks the model no further', async () => {
      const agent = agentWith({ maxCostPerConversationUsd: 0.0001 });
      llm.push({ toolCalls: [{ name: 'search_knowledge', args: { query: 'q'.repeat(800) } }] }, { text: 'never asked' });
      const c = new Conversation({ agent, store, models: [model()] });
      await c.start();
      const asked = llm.requests.length;
      const { text, outputs } = await collect(c.reply('Search for it.'));
      assert.equal(llm.requests.length - asked, 1, 'one model call; the round after the tool was not made');
      assert.ok(outputs.some((o) => o.type === 'tool' && o.name === 'search_knowledge'), 'the tool call that was asked for ran');
      assert.equal(text.trim(), ENGLISH_LINES.costLimit);
      assert.equal(c.endReason, 'cost limit');
      assert.equal(llm.pending(), 1, 'the scripted second round was never asked for');
      await drain(llm);
    });

    it('limits.dailyBudgetUsd counts a live conversation: its running figures are stored as it goes, and another conversation stops before its next model call', async () => {
      const agent = agentWith({ dailyBudgetUsd: 0.0005, maxCostPerConversationUsd: 1 }); // 500 tokens
      const records = new Records(store.db);
      llm.push({ text: 'y'.repeat(2400) }); // ~600 output tokens
      const a = new Conversation({ agent, store, models: [model()] });
      const b = new Conversation({ agent, store, models: [model()] });
      await a.start();
      await b.start();
      await collect(a.reply('Talk a lot.'));
      assert.equal(a.ended, false);
      const row = await store.db.selectFrom('conversations').select(['cost_usd', 'usage', 'ended_at']).where('id', '=', a.id).executeTakeFirstOrThrow();
      assert.equal(row.ended_at, null, 'still live');
      assert.ok((row.cost_usd ?? 0) > 0.0005, `running cost stored: ${row.cost_usd}`);
      assert.ok(JSON.parse(row.usage!).llm['fake:fake-model'].outputTokens >= 600);
      const spent = await records.spentSince(agent.name, new Date(Date.now() - 3_600_000).toISOString());
      assert.ok(spent.usd > 0.0005, 'spentSince sums the live conversation');

      const asked = llm.requests.length;
      const { text, outputs } = await collect(b.reply('Hello?'));
      assert.equal(llm.requests.length, asked, 'the model was not asked');
      assert.equal(text, ENGLISH_LINES.overBudget);
      assert.deepEqual(outputs.at(-1), { type: 'end', reason: 'budget' });
      assert.equal((await records.get(b.id))?.endReason, 'budget');
      // A's own next call is refused too: it counts its own (fresher) figures once, not twice.
      assert.equal((await collect(a.reply('More?'))).text, ENGLISH_LINES.overBudget);
    });

    it('limits.dailyMinutes counts the running minutes of live conversations', async () => {
      let now = Date.parse('2027-03-01T10:00:00Z');
      const clock = () => new Date(now);
      const agent = agentWith({ dailyMinutes: 1 });
      const a = new Conversation({ agent, store, models: [model()], clock });
      const b = new Conversation({ agent, store, models: [model()], clock });
      await a.start();
      await b.start();
      llm.push({ text: 'Sure.' });
      now += 20_000;
      await collect(a.reply('Hi'));
      now += 25_000; // a: 45 s written at its last turn; b: 45 s now
      llm.push({ text: 'never asked' });
      const asked = llm.requests.length;
      const { outputs } = await collect(b.reply('Hi'));
      assert.equal(llm.requests.length, asked);
      assert.deepEqual(outputs.at(-1), { type: 'end', reason: 'budget' });
      await drain(llm);
    });

    it('a voice turn is decided on the day\'s spending read when its caller started speaking, if that reading is at most 10 s old', async () => {
      let now = Date.parse('2027-03-02T10:00:00Z');
      const clock = () => new Date(now);
      const agent = agentWith({ dailyBudgetUsd: 0.0005, maxCostPerConversationUsd: 1 });
      const [a, b, c] = [0, 1, 2].map(() => new Conversation({ agent, store, models: [model()], clock }));
      for (const x of [a, b, c]) await x.start();
      // b's and c's callers start speaking before a spends the day's budget.
      b.prepare();
      c.prepare();
      llm.push({ text: 'y'.repeat(2400) }); // ~600 output tokens: over the budget
      await collect(a.reply('Talk a lot.'));
      now += 4_000;
      llm.push({ text: 'Sure.' });
      let asked = llm.requests.length;
      assert.equal((await collect(b.reply('Hello?'))).text, 'Sure.', 'b read 4 s ago: its turn goes on that reading');
      assert.equal(llm.requests.length, asked + 1);
      now += 7_000;
      asked = llm.requests.length;
      assert.equal((await collect(c.reply('Hello?'))).text, ENGLISH_LINES.overBudget, 'c read 11 s ago: too old, read again');
      assert.equal(llm.requests.length, asked);
      // A reading serves one turn: b's next turn reads anew and sees a's spending.
      assert.equal((await collect(b.reply('And?'))).text, ENGLISH_LINES.overBudget);
      assert.equal(llm.requests.length, asked);
    });

    it('an ended conversation keeps its figures when a later close (a crash recovery) gives none', async () => {
      const records = new Records(store.db);
      const id = `crash-${kind}`;
      const at = new Date().toISOString();
      await records.startConversation({ id, agent: 'crashy', agent_version: 'v', channel: 'web', direction: 'inbound', caller: null, started_at: at });
      await records.noteSpending(id, { durationSec: 30, usage: { llm: {} }, costUsd: 0.25 });
      await records.endConversation(id, at, 'server restart');
      await records.noteSpending(id, { durationSec: 99, usage: {}, costUsd: 9 }); // too late: it has ended
      const row = await store.db.selectFrom('conversations').select(['cost_usd', 'duration_sec']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { cost_usd: 0.25, duration_sec: 30 });
    });

    it('brain.maxInputTokens: a long conversation sends only the newest history that fits, with the system prompt and the current turn', async () => {
      const agent = agentWith({ maxCostPerConversationUsd: 100, dailyBudgetUsd: 100 }, { maxInputTokens: 3000 });
      const c = new Conversation({ agent, store, models: [model()] });
      await c.start();
      for (let i = 0; i < 12; i++) {
        llm.push({ text: `answer ${i} ${'a'.repeat(1500)}` });
        await collect(c.reply(`question ${i} ${'q'.repeat(1500)}`));
      }
      const last = llm.requests.at(-1)!;
      const sent = last.messages.filter((m) => m.role !== 'system');
      assert.match(JSON.stringify(sent.at(-1)), /question 11/, 'the current turn is always sent');
      assert.ok(last.messages.some((m) => m.role === 'system'), 'the system prompt is always sent');
      assert.ok(!JSON.stringify(sent).includes('question 0 '), 'the oldest turns were left out');
      assert.ok(JSON.stringify(sent).includes('answer 10'), 'the newest history was kept');
      const estimate = estimateTokens(last.messages as unknown as ModelMessage[]);
      assert.ok(estimate <= 3000 * 1.2, `about maxInputTokens estimated (${estimate})`);
      assert.ok(promptTokens(last.messages) < 3000, `the model read fewer than maxInputTokens (${promptTokens(last.messages)})`);
      assert.equal(c.history.length, 1 + 12 * 2, 'the conversation keeps its whole history; only the call is trimmed');
    });
  });
}

/** Consumes steps a test left unused, so the next starts with an empty script. */
async function drain(llm: FakeOpenAI): Promise<void> {
  const c = new AbortController();
  while (llm.pending() > 0) await fetch(`${llm.url}/chat/completions`, { method: 'POST', body: '{"messages":[]}', signal: c.signal }).then((r) => r.text());
  llm.requests.splice(0);
}
