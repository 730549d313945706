import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { connect, type TestClient, listenOnLoopback } from './helpers.ts';
import { openTestStore } from '../helpers/store.ts';

const SHOP = 'https://shop.example.com';

function agent(dir: string, name: string, limits: string): void {
  mkdirSync(join(dir, name));
  writeFileSync(
    join(dir, name, 'agent.yaml'),
    [`name: ${name}`, 'persona:', '  prompt: You are a test agent.', '  firstMessage: Hello.', 'knowledge: { sources: [], strict: false }', 'channels:', '  web:', '    allowedOrigins: [shop.example.com]', `limits: ${limits}`, ''].join('\n'),
  );
}

describe('server: limits refuse new conversations exactly when they should', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  const open: TestClient[] = [];

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    const dir = tempDir('parley-limits-');
    agent(dir, 'ada', '{ conversationsPerIpPerHour: 3, maxConcurrent: 2, dailyBudgetUsd: 100 }');
    agent(dir, 'bob', '{ conversationsPerIpPerHour: 50, maxConcurrent: 5, dailyBudgetUsd: 0.5, dailyMinutes: 30 }');
    agent(dir, 'cy', '{ conversationsPerIpPerHour: 50, maxConcurrent: 5, dailyBudgetUsd: 100, dailyMinutes: 1 }');
    app = await buildServer({
      agentsDir: dir,
      store,
      mode: 'serve',
      maxSessions: 3,
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_TRUST_PROXY: 'true' },
    });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    for (const c of open) c.ws.close();
    await app.close();
    await store.close();
    await llm.close();
  });

  const issue = (agentName: string, ip: string) => fetch(`${base}/v1/agents/${agentName}/sessions`, { method: 'POST', headers: { origin: SHOP, 'x-forwarded-for': ip } });

  async function talk(agentName: string, ip: string): Promise<TestClient> {
    const res = await issue(agentName, ip);
    assert.equal(res.status, 200, await res.clone().text());
    const c = connect(((await res.json()) as { url: string }).url, SHOP);
    await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
    open.push(c);
    return c;
  }

  async function hangUp(c: TestClient): Promise<void> {
    const id = c.events.find((e) => e.type === 'ready')!.conversationId;
    const session = [...app.parley.live].find((s) => s.conversationId === id)!;
    c.json({ type: 'end' });
    await c.closed;
    await session.done;
  }

  it('conversationsPerIpPerHour: the caller over the limit gets 429 with Retry-After; another address still gets in', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await issue('ada', '203.0.113.7')).status, 200);
    const refused = await issue('ada', '203.0.113.7');
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as { code: string }).code, 'rate');
    const wait = Number(refused.headers.get('retry-after'));
    assert.ok(wait > 3500 && wait <= 3600, `retry after about an hour (${wait} s)`);
    assert.equal((await issue('ada', '198.51.100.9')).status, 200);
  });

  it('maxConcurrent per agent and the server-wide limit refuse with 503 while full, and admit again when a seat frees', async () => {
    const a1 = await talk('ada', '192.0.2.1');
    await talk('ada', '192.0.2.2');
    const busy = await issue('ada', '192.0.2.3');
    assert.equal(busy.status, 503);
    assert.equal(((await busy.json()) as { code: string }).code, 'agent-busy');
    await talk('cy', '192.0.2.4'); // the server's third and last seat
    const full = await issue('cy', '192.0.2.5');
    assert.equal(((await full.json()) as { code: string }).code, 'server-busy');
    await hangUp(a1);
    assert.equal((await issue('cy', '192.0.2.5')).status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^parley_refused_total\{reason="agent-busy"\} 1$/m);
    assert.match(metrics, /^parley_refused_total\{reason="rate"\} 1$/m);
  });

  it('dailyBudgetUsd and dailyMinutes: spent today refuses new conversations until tomorrow', async () => {
    for (const c of open.splice(0)) {
      c.json({ type: 'end' });
      await c.closed;
    }
    await Promise.all([...app.parley.live].map((s) => s.done));
    const records = new Records(store.db);
    const now = new Date().toISOString();
    await records.startConversation({ id: 'spent-1', agent: 'bob', agent_version: 'v', channel: 'web', direction: 'inbound', caller: null, started_at: now });
    assert.equal((await issue('bob', '192.0.2.10')).status, 200, 'under budget');
    await records.endConversation('spent-1', now, 'caller left', { durationSec: 60, costUsd: 0.5, usage: {} });
    const res = await issue('bob', '192.0.2.10');
    assert.equal(res.status, 503);
    const body = (await res.json()) as { code: string; error: string };
    assert.equal(body.code, 'budget');
    assert.match(body.error, /today's budget of \$0\.5/);
    assert.ok(Number(res.headers.get('retry-after')) <= 86400);

    await records.startConversation({ id: 'spent-2', agent: 'cy', agent_version: 'v', channel: 'web', direction: 'inbound', caller: null, started_at: now });
    await records.endConversation('spent-2', now, 'caller left', { durationSec: 61, costUsd: 0, usage: {} });
    const minutes = await issue('cy', '192.0.2.11');
    assert.equal(((await minutes.json()) as { code: string }).code, 'minutes');
  });

  it('a finished conversation records its duration and estimated cost', async () => {
    const c = await talk('ada', '192.0.2.20');
    const id = String(c.events.find((e) => e.type === 'ready')!.conversationId);
    c.json({ type: 'end' });
    await c.closed;
    await Promise.all([...app.parley.live].map((s) => s.done));
    const row = await store.db.selectFrom('conversations').select(['duration_sec', 'cost_usd', 'usage']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(row.duration_sec !== null && row.duration_sec >= 0);
    assert.equal(row.cost_usd, 0);
    assert.deepEqual(JSON.parse(row.usage!), { llm: {}, stt: {}, tts: {}, phoneSeconds: 0 });
  });
});
