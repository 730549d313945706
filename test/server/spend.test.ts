import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { ENGLISH_LINES } from '../../src/session/fixed-lines.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI, type FakeStep } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { connect, listenOnLoopback, type ServerEvent, type TestClient } from './helpers.ts';

// Issue 14, High 1 and Medium 3, through real sockets against the real server: a visitor in text
// mode floods typed messages; the model must read less than twice what the day's budget buys,
// and the server must hold at most one waiting message per socket.

const SHOP = 'https://shop.example.com';
const BUDGET_USD = 0.05;
const INPUT_PER_MTOK = 0.4; // gpt-4.1-mini's list price, as in the report
/** Input tokens the daily budget buys: 125,000. */
const BUDGET_TOKENS = (BUDGET_USD / INPUT_PER_MTOK) * 1e6;

/** Input tokens the fake model counts for a request (what it reports as usage). */
const promptTokens = (r: ChatRequest) => Math.max(1, Math.ceil(JSON.stringify(r.messages ?? []).length / 4));

describe('server: spend is bounded inside a text conversation (hostile visitor)', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  /** How long the model takes to answer: the flood arrives while it thinks. */
  let thinkMs = 300;

  before(async () => {
    // Every request is answered (slowly) with a short reply, however many come.
    const answer: FakeStep = () => {
      llm.push(answer);
      return { text: 'Thanks, noted.', delayMs: thinkMs };
    };
    llm = await startFakeOpenAI({ steps: [answer] });
    store = await openTestStore();
    const dir = tempDir('parley-spend-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(
      join(dir, 'ada', 'agent.yaml'),
      [
        'name: ada',
        'persona:',
        '  prompt: You are a test agent for a shop.',
        '  firstMessage: Hello.',
        'knowledge: { sources: [], strict: false }',
        'brain: { maxInputTokens: 4000 }',
        'channels:',
        '  web:',
        '    allowedOrigins: [shop.example.com]',
        `limits: { conversationsPerIpPerHour: 1000, maxConcurrent: 10, dailyBudgetUsd: ${BUDGET_USD}, maxCostPerConversationUsd: 1, prices: { llm: { openai-compatible: { inputPerMTok: ${INPUT_PER_MTOK}, outputPerMTok: 1.6 } } } }`,
        '',
      ].join('\n'),
    );
    app = await buildServer({ agentsDir: dir, store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's' } });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  async function open(): Promise<TestClient | Response> {
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } });
    if (res.status !== 200) return res;
    const c = connect(((await res.json()) as { url: string }).url, SHOP);
    await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'state' && e.state === 'listening');
    return c;
  }
  const client = async () => {
    const c = await open();
    assert.ok(!(c instanceof Response), `admitted (${c instanceof Response ? c.status : ''})`);
    return c as TestClient;
  };
  const errors = (c: TestClient) => c.events.filter((e) => e.type === 'error');
  const finals = (c: TestClient) => c.events.filter((e) => e.type === 'agent_text' && e.final === true);
  const count = (c: TestClient, test: (e: ServerEvent) => boolean, n: number) => c.waitFor(() => c.events.filter(test).length >= n, 20_000);

  it('30 typed messages of 60,000 characters at once: every one is refused with an error, the model reads nothing', async () => {
    const c = await client();
    const before = llm.requests.length;
    for (let i = 0; i < 30; i++) c.json({ type: 'text', text: `${i} ${'A'.repeat(60_000)}` });
    await count(c, (e) => e.type === 'error', 30);
    assert.equal(errors(c).length, 30);
    assert.match(String(errors(c)[0]!.message), /at most 2000 characters \(this one has 60002\)/);
    assert.equal(llm.requests.length, before, 'the model was never asked');
    const read = llm.requests.slice(before).reduce((n, r) => n + promptTokens(r), 0);
    assert.ok(read < 2 * BUDGET_TOKENS, `the model read ${read} input tokens; the budget buys ${BUDGET_TOKENS}`);
    c.json({ type: 'end' });
    await c.closed;
  });

  it('a flood of typed messages while the model thinks: one answered, one waits, every other one refused (not queued)', async () => {
    thinkMs = 1000;
    const c = await client();
    const before = llm.requests.length;
    const FLOOD = 300;
    for (let i = 0; i < FLOOD; i++) c.json({ type: 'text', text: `message ${i} ${'b'.repeat(1500)}` });
    await count(c, (e) => e.type === 'error', FLOOD - 2);
    await count(c, (e) => e.type === 'agent_text' && e.final === true, 3); // the greeting and two replies
    thinkMs = 300;
    assert.equal(errors(c).length, FLOOD - 2, 'refusals counted');
    assert.ok(errors(c).every((e) => /still answering/.test(String(e.message))));
    assert.equal(llm.requests.length - before, 2, 'the model was asked twice, not 300 times');
    assert.deepEqual(c.events.filter((e) => e.type === 'transcript').map((e) => String(e.text).slice(0, 10)), ['message 0 ', 'message 1 ']);
    c.json({ type: 'end' });
    await c.closed;
  });

  it('a visitor who keeps typing full-length messages is stopped by the daily budget mid-conversation; the model read less than twice what the budget buys', async () => {
    thinkMs = 0;
    const before = llm.requests.length;
    let ended: ServerEvent | undefined;
    const clients: TestClient[] = [];
    // Several conversations, one after another, each typing 2,000-character turns as fast as answers come.
    for (let conv = 0; conv < 5 && !ended; conv++) {
      const c = await open();
      if (c instanceof Response) break; // admission refuses once the budget is spent
      clients.push(c);
      for (let turn = 1; turn <= 200; turn++) {
        c.json({ type: 'text', text: `turn ${turn} ${'c'.repeat(1990)}` });
        await c.waitFor((e) => (e.type === 'agent_text' && e.final === true && finals(c).length > turn) || e.type === 'end', 10_000);
        ended = c.events.find((e) => e.type === 'end');
        if (ended) break;
      }
    }
    assert.deepEqual(ended, { type: 'end', reason: 'budget' });
    const last = clients.at(-1)!;
    assert.equal(finals(last).at(-1)?.text, ENGLISH_LINES.overBudget, 'a fixed line, not the model');
    const read = llm.requests.slice(before).reduce((n, r) => n + promptTokens(r), 0);
    const calls = llm.requests.length - before;
    assert.ok(read < 2 * BUDGET_TOKENS, `the model read ${read} input tokens in ${calls} calls; the budget buys ${BUDGET_TOKENS}`);
    assert.ok(llm.requests.slice(before).every((r) => promptTokens(r) <= 4000), 'no call read more than brain.maxInputTokens');
    const refused = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } });
    assert.equal(refused.status, 503);
    assert.equal(((await refused.json()) as { code: string }).code, 'budget');
    console.log(`# measured: ${calls} model calls, ${read} input tokens read (budget buys ${BUDGET_TOKENS}), ${clients.length} conversation(s)`);
  });
});
