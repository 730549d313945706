import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { agentsFolder, connect, GREETING, listenOnLoopback } from './helpers.ts';
import { openTestStore } from '../helpers/store.ts';

const SHOP = 'https://shop.example.com';

describe('server: web session tokens and the text door', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let clock = Date.now();

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    app = await buildServer({
      agentsDir: agentsFolder(),
      store,
      mode: 'dev',
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 'test-secret' },
      now: () => clock,
    });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  const issue = (origin: string | undefined, agent = 'ada') =>
    fetch(`${base}/v1/agents/${agent}/sessions`, { method: 'POST', headers: origin ? { origin } : {} });

  async function session(origin = SHOP): Promise<{ token: string; url: string }> {
    const res = await issue(origin);
    assert.equal(res.status, 200);
    return (await res.json()) as { token: string; url: string };
  }

  it('reports health with the agents it loaded, skipping the broken one', async () => {
    const res = await fetch(`${base}/healthz`);
    assert.deepEqual(await res.json(), { ok: true, agents: ['ada'] });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^parley_active_sessions\{door="web"\} 0$/m);
    assert.match(metrics, /^parley_active_sessions\{door="phone"\} 0$/m);
    assert.match(metrics, /^parley_turns_total\{agent="ada"\} 0$/m);
    assert.match(metrics, /^parley_sessions_total\{agent="ada",door="web"\} 0$/m);
    assert.match(metrics, /^# TYPE parley_turn_latency_seconds histogram$/m);
    assert.match(metrics, /^# TYPE parley_errors_total counter$/m);
  });

  it('issues tokens to allowed origins and refuses the rest with 403', async () => {
    for (const origin of [SHOP, 'https://a.b.example.org', 'https://widgets.test:8443', 'http://localhost:5173']) {
      const res = await issue(origin);
      assert.equal(res.status, 200, origin);
      const body = (await res.json()) as { token: string; url: string };
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.match(body.url, new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v1/sessions/${body.token.replace(/\./g, '\\.')}$`));
    }
    for (const origin of ['https://evil.com', 'https://example.org', 'https://widgets.test:9999', 'https://shop.example.com.evil.com']) {
      const res = await issue(origin);
      assert.equal(res.status, 403, origin);
      assert.match(((await res.json()) as { error: string }).error, /not in channels\.web\.allowedOrigins/);
    }
    assert.equal((await issue(SHOP, 'nobody')).status, 404);
  });

  it('runs a typed conversation: first message, streamed answer, and a record', async () => {
    const { url } = await session();
    const c = connect(url, SHOP);
    const ready = await c.waitFor((e) => e.type === 'ready');
    assert.equal(ready.sampleRate, 24000);
    c.json({ type: 'start', mode: 'text' });
    const first = await c.waitFor((e) => e.type === 'agent_text');
    assert.deepEqual(first, { type: 'agent_text', text: GREETING, final: true });
    llm.push({ text: 'The audit costs 2,400 euros and takes two weeks.', tokenDelayMs: 5 });
    c.json({ type: 'text', text: 'How much is the audit?' });
    const final = await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e !== first);
    const deltas = c.events.filter((e) => e.type === 'agent_text' && e.final === false);
    assert.ok(deltas.length > 1, 'the answer is streamed in pieces');
    assert.equal(deltas.map((e) => e.text).join(''), final.text);
    assert.equal(final.text, 'The audit costs 2,400 euros and takes two weeks.');
    c.json({ type: 'end' });
    const end = await c.waitFor((e) => e.type === 'end');
    assert.equal(end.reason, 'caller left');
    assert.equal((await c.closed).code, 1000);
    const rec = await new Records(store.db).get(String(ready.conversationId));
    assert.ok(rec, 'the conversation is recorded');
    assert.equal(rec.channel, 'web');
    assert.deepEqual(rec.turns.map((t) => t.role), ['agent', 'caller', 'agent']);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^parley_turns_total\{agent="ada"\} 1$/m);
    assert.match(metrics, /^parley_sessions_total\{agent="ada",door="web"\} [1-9]\d*$/m);
  });

  it('refuses a replayed token', async () => {
    const { url } = await session();
    const a = connect(url, SHOP);
    await a.waitFor((e) => e.type === 'ready');
    const b = connect(url, SHOP);
    assert.deepEqual(await b.closed, { code: 1008, reason: 'token already used' });
    a.ws.close();
  });

  it('refuses a token from another origin, and an expired one', async () => {
    const other = await session();
    assert.deepEqual(await connect(other.url, 'https://a.example.org').closed, { code: 1008, reason: 'token was issued to another origin' });
    const { url } = await session();
    clock += 61_000;
    assert.deepEqual(await connect(url, SHOP).closed, { code: 1008, reason: 'token expired' });
    assert.deepEqual(await connect(url.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')), SHOP).closed, { code: 1008, reason: 'bad token signature' });
  });

  it('closes only the offending session on a malformed, unknown, early-audio or oversized frame', async () => {
    const good = connect((await session()).url, SHOP);
    await good.waitFor((e) => e.type === 'ready');
    good.json({ type: 'start', mode: 'text' });
    await good.waitFor((e) => e.type === 'agent_text');

    const bad = [
      { send: (c: ReturnType<typeof connect>) => c.ws.send('{not json'), code: 1008, reason: 'malformed JSON' },
      { send: (c: ReturnType<typeof connect>) => c.json({ type: 'dance' }), code: 1008, reason: 'unknown message type "dance"' },
      { send: (c: ReturnType<typeof connect>) => c.ws.send(Buffer.alloc(640)), code: 1008, reason: 'audio before start' },
      { send: (c: ReturnType<typeof connect>) => c.ws.send(Buffer.alloc(70_000)), code: 1009, reason: '' },
    ];
    for (const b of bad) {
      const c = connect((await session()).url, SHOP);
      await c.waitFor((e) => e.type === 'ready');
      b.send(c);
      const closed = await c.closed;
      assert.equal(closed.code, b.code);
      if (b.reason) assert.equal(closed.reason, b.reason);
    }

    llm.push({ text: 'Still here.' });
    good.json({ type: 'text', text: 'Are you there?' });
    const reply = await good.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'Still here.');
    assert.ok(reply);
    good.ws.close();
    await good.closed;
  });
});
