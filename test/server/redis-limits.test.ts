import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { agentsFolder, connect, listenOnLoopback } from './helpers.ts';
import { openTestStore } from '../helpers/store.ts';
import { redisUp, TEST_REDIS_URL } from '../helpers/redis.ts';

const URL = TEST_REDIS_URL;
const up = await redisUp(URL);

describe('two nodes sharing PARLEY_REDIS_URL', { skip: up ? false : `no Redis at ${URL}` }, () => {
  const nodes: { app: FastifyInstance; base: string; store: Store }[] = [];
  let llm: FakeOpenAI;
  before(async () => {
    llm = await startFakeOpenAI();
    const dir = agentsFolder('{ conversationsPerIpPerHour: 3 }');
    for (let i = 0; i < 2; i++) {
      const store = await openTestStore();
      const app = await buildServer({ agentsDir: dir, store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_TRUST_PROXY: 'true', PARLEY_REDIS_URL: URL } });
      nodes.push({ app, store, base: await listenOnLoopback(app) });
    }
  });
  after(async () => {
    for (const n of nodes) {
      await n.app.close();
      await n.store.close();
    }
    await llm.close();
  });

  it('holds the per-caller limit whichever node the requests reach', async () => {
    // A fresh address each run: the counts live in Redis for an hour.
    const ip = `10.${randomInt(255)}.${randomInt(255)}.${randomInt(255)}`;
    const issue = (n: number) => fetch(`${nodes[n]!.base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: 'https://shop.example.com', 'x-forwarded-for': ip } });
    const statuses = [];
    for (const n of [0, 1, 0, 1]) statuses.push((await issue(n)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });

  it('refuses on one node a session token already used on another', async () => {
    const ip = `10.${randomInt(255)}.${randomInt(255)}.${randomInt(255)}`;
    const res = await fetch(`${nodes[0]!.base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: 'https://shop.example.com', 'x-forwarded-for': ip } });
    const { url } = (await res.json()) as { url: string };
    const first = connect(url, 'https://shop.example.com');
    await first.waitFor((e) => e.type === 'ready');
    const path = new globalThis.URL(url).pathname;
    const second = connect(`${nodes[1]!.base.replace('http', 'ws')}${path}`, 'https://shop.example.com');
    assert.deepEqual(await second.closed, { code: 1008, reason: 'token already used' });
    first.ws.close();
    await first.closed;
  });
});

describe('a node whose Redis is down', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    // Nothing listens on port 1: every shared limit fails to answer.
    app = await buildServer({ agentsDir: agentsFolder(), store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_REDIS_URL: 'redis://127.0.0.1:1' } });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  it('refuses new conversations with 503 "unavailable" and Retry-After, instead of running them unmetered or failing with a 500', async () => {
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: 'https://shop.example.com' } });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.deepEqual(await res.json(), { error: 'the server cannot check its limits right now; try again in a moment', code: 'unavailable' });
  });

  it('says so on /healthz (503, naming Redis), so a load balancer stops sending it callers', async () => {
    const res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { ok: false, unreachable: ['redis'] }); // the error itself only with a token: test/server/health.test.ts
  });
});
