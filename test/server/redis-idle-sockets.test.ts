import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { openTestStore } from '../helpers/store.ts';
import { redisUp, TEST_REDIS_URL } from '../helpers/redis.ts';
import { agentsFolder, connect, GREETING, listenOnLoopback, type TestClient } from './helpers.ts';

// Issue 14, High 2: "with two nodes on Redis, idle sockets on one node blocked the other".

const SHOP = 'https://shop.example.com';
const up = await redisUp(TEST_REDIS_URL);

describe('two nodes sharing seats in Redis: idle sockets on one keep no one out of the other', { skip: up ? false : `no Redis at ${TEST_REDIS_URL}` }, () => {
  const nodes: { app: FastifyInstance; base: string; store: Store }[] = [];
  const clients: TestClient[] = [];
  const prefix = `parley-idle-${randomBytes(4).toString('hex')}:`;
  let llm: FakeOpenAI;
  before(async () => {
    llm = await startFakeOpenAI();
    const dir = agentsFolder('{ conversationsPerIpPerHour: 1000, maxConcurrent: 2 }');
    const env = { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_TRUST_PROXY: 'true', PARLEY_REDIS_URL: TEST_REDIS_URL, PARLEY_REDIS_PREFIX: prefix, PARLEY_START_TIMEOUT_SEC: '0.5' };
    for (let i = 0; i < 2; i++) {
      const store = await openTestStore();
      const app = await buildServer({ agentsDir: dir, store, mode: 'serve', env });
      nodes.push({ app, store, base: await listenOnLoopback(app) });
    }
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    for (const n of nodes) {
      await n.app.close();
      await n.store.close();
    }
    await llm.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  async function open(node: number, ip: string): Promise<TestClient> {
    const res = await fetch(`${nodes[node]!.base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP, 'x-forwarded-for': ip } });
    assert.equal(res.status, 200, await res.clone().text());
    const c = connect(((await res.json()) as { url: string }).url, SHOP, { 'x-forwarded-for': ip });
    clients.push(c);
    await c.waitFor((e) => e.type === 'ready');
    return c;
  }

  it('two idle sockets on node A (maxConcurrent: 2): a visitor on node B talks at once; the idle ones are closed', async () => {
    const idle = [await open(0, '198.51.100.11'), await open(0, '198.51.100.12')];
    const visitor = await open(1, '198.51.100.13');
    visitor.json({ type: 'start', mode: 'text' });
    await visitor.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
    for (const c of idle) assert.deepEqual(await c.closed, { code: 1008, reason: 'no start within 0.5 s' });
    visitor.json({ type: 'end' });
    await visitor.closed;
  });
});
