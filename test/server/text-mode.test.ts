import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { ENGLISH_LINES } from '../../src/session/fixed-lines.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { connect, listenOnLoopback, type TestClient } from './helpers.ts';

const { timeUp: TIME_UP, wrapUp: WRAP_UP } = ENGLISH_LINES;

// The web door's text mode runs the one text session: limits.maxDurationSec wraps up and ends a
// typed conversation exactly as it does a voice call (it used to end it without the wrap-up).

const SHOP = 'https://shop.example.com';

describe('server: text mode keeps limits.maxDurationSec with the wrap-up', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    const dir = tempDir('parley-text-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(
      join(dir, 'ada', 'agent.yaml'),
      ['name: ada', 'persona: { prompt: You are a test agent., firstMessage: Hello. }', 'knowledge: { sources: [], strict: false }', 'channels: { web: { allowedOrigins: [shop.example.com] } }', 'limits: { conversationsPerIpPerHour: 1000, maxDurationSec: 2 }', ''].join('\n'),
    );
    app = await buildServer({ agentsDir: dir, store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's' } });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  async function client(): Promise<TestClient> {
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } });
    const c = connect(((await res.json()) as { url: string }).url, SHOP);
    await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    return c;
  }

  it('a reply still streaming at the limit is cut; the goodbye follows and the conversation ends with "time limit"', async () => {
    llm.push({ text: Array.from({ length: 400 }, (_, i) => `w${i}`).join(' '), tokenDelayMs: 20 });
    const c = await client();
    await c.waitFor((e) => e.type === 'state' && e.state === 'listening');
    c.json({ type: 'text', text: 'Tell me everything.' });
    const end = await c.waitFor((e) => e.type === 'end', 10_000);
    assert.equal(end.reason, 'time limit');
    const finals = c.events.filter((e) => e.type === 'agent_text' && e.final === true).map((e) => String(e.text));
    assert.equal(finals.at(-1), TIME_UP);
    assert.ok(finals.at(-2)!.length < 400 * 4, 'the reply was cut');
    assert.equal((await c.closed).code, 1000);
    const id = String(c.events.find((e) => e.type === 'ready')!.conversationId);
    await Promise.all([...app.parley.live].map((s) => s.done));
    assert.equal((await new Records(store.db).get(id))?.endReason, 'time limit');
  });

  it('a caller who is quiet near the limit hears the wrap-up, then the goodbye', async () => {
    const c = await client();
    const end = await c.waitFor((e) => e.type === 'end', 10_000);
    assert.equal(end.reason, 'time limit');
    assert.deepEqual(c.events.filter((e) => e.type === 'agent_text' && e.final === true).map((e) => e.text), ['Hello.', WRAP_UP, TIME_UP]);
  });
});
