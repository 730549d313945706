import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { Store } from '../../src/store/store.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStreamTwiml, startFakeOpenAI, startFakeS3, TwilioCallPeer, type FakeOpenAI, type FakeS3 } from '../../src/testing/index.ts';
import { openPostgresSchema, postgresUp } from '../helpers/store.ts';
import { agentsFolder, connect, GREETING, startServerProcess, type TestClient } from './helpers.ts';
import { redisUp, TEST_REDIS_URL } from '../helpers/redis.ts';

// Three `parley serve` processes on loopback, as behind a load balancer: one PostgreSQL schema,
// one Redis prefix, one session secret. Whatever node a request reaches, the agent's limits,
// tokens and records are the same.

const PG = process.env.PARLEY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = TEST_REDIS_URL;
const ADMIN = 'admin-token-for-three-nodes';
const ORIGIN = 'https://shop.example.com';
const NUMBER = '+14155550100';
const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const TWILIO_TOKEN = 'twilio-auth-token-for-three-nodes';

const missing = !(await postgresUp(PG)) ? `no PostgreSQL at ${PG}` : !(await redisUp(REDIS)) ? `no Redis at ${REDIS}` : false;

type Node = { child: ChildProcess; base: string };

/** Asks `probe` again until `done` says yes; fails, naming `what`, after `ms` (a hung cluster fails instead of hanging the suite). */
async function eventually<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what}`);
  }
}

describe('three nodes behind one load balancer (PostgreSQL + Redis)', { skip: missing }, () => {
  let llm: FakeOpenAI;
  let s3: FakeS3;
  let store: Store;
  let redis: Redis;
  let env: NodeJS.ProcessEnv;
  const nodes: Node[] = [];
  const prefix = `parley-test-${randomBytes(4).toString('hex')}:`;
  const open: TestClient[] = [];

  before(async () => {
    llm = await startFakeOpenAI();
    s3 = await startFakeS3({ accessKeyId: 'AKIDNODES', secretAccessKey: 'nodes-secret', buckets: ['calls'] });
    store = await openPostgresSchema(PG); // creates and migrates the schema the nodes share
    const db = new URL(PG);
    db.searchParams.set('schema', new URL(store.where).searchParams.get('schema')!);
    redis = new Redis(REDIS);
    env = {
      PATH: process.env.PATH,
      PARLEY_LLM: 'openai-compatible:fake',
      PARLEY_LLM_BASE_URL: llm.url,
      PARLEY_DATABASE_URL: db.toString(),
      PARLEY_REDIS_URL: REDIS,
      PARLEY_REDIS_PREFIX: prefix,
      PARLEY_SESSION_SECRET: 'one-secret-for-every-node',
      PARLEY_ADMIN_TOKEN: ADMIN,
      PARLEY_TRUST_PROXY: 'true',
      PARLEY_SEAT_LEASE_SEC: '5',
      TWILIO_TEST_AUTH_TOKEN: TWILIO_TOKEN,
      // One bucket for every node's recordings.
      PARLEY_RECORDINGS_URL: `s3://calls/prod?endpoint=${encodeURIComponent(s3.url)}`,
      AWS_ACCESS_KEY_ID: 'AKIDNODES',
      AWS_SECRET_ACCESS_KEY: 'nodes-secret',
    };
    const agents = agentsFolder('{ maxConcurrent: 5, conversationsPerIpPerHour: 3 }');
    // Ada answers the phone too (local speech: flite and pocketsphinx).
    const yaml = join(agents, 'ada', 'agent.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('channels:\n', `channels:\n  phone: { number: "${NUMBER}", accountSid: ${ACCOUNT}, authToken: "\${TWILIO_TEST_AUTH_TOKEN}" }\n`));
    nodes.push(...(await Promise.all([0, 1, 2].map(() => startServerProcess(agents, env, 'serve')))));
  });
  after(async () => {
    // Whatever failed before, close everything: one open server would keep this file running.
    for (const c of open) c.ws.close();
    for (const n of nodes) n.child.kill('SIGKILL');
    await llm?.close();
    await s3?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await store?.close();
  });

  let ips = 0;
  /** A caller from a fresh address, so the per-caller limit stays out of the way unless tested. */
  const issue = (node: number, ip = `10.9.${randomInt(255)}.${++ips}`) =>
    fetch(`${nodes[node]!.base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'x-forwarded-for': ip } });
  /** A conversation through `node`, typed, until the greeting: it holds one of the agent's seats. */
  async function talk(node: number, o: { waitForSeat?: boolean } = {}): Promise<TestClient & { conversationId: string }> {
    let res = await issue(node);
    if (o.waitForSeat && res.status === 503) res = await eventually(() => issue(node), (r) => r.status !== 503, 'a free seat');
    assert.equal(res.status, 200, await res.clone().text());
    const { url } = (await res.json()) as { url: string };
    const c = connect(url, ORIGIN);
    open.push(c);
    const ready = await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
    return Object.assign(c, { conversationId: String(ready.conversationId) });
  }
  async function hangUp(c: TestClient): Promise<void> {
    c.json({ type: 'end' });
    await c.closed;
  }

  it('holds maxConcurrent across nodes: five conversations on three nodes, the sixth refused on any node; one ends, one more fits', async () => {
    const calls = [];
    for (const n of [0, 1, 2, 0, 1]) calls.push(await talk(n));
    for (const n of [0, 1, 2]) {
      const refused = await issue(n);
      assert.equal(refused.status, 503);
      assert.equal(((await refused.json()) as { code: string }).code, 'agent-busy');
    }
    await hangUp(calls.shift()!);
    // The seat comes back when the node has written the end of the conversation.
    const again = await eventually(() => issue(2), (r) => r.status !== 503, 'the seat to come back');
    assert.equal(again.status, 200);
    for (const c of calls) await hangUp(c);
  });

  it('gives the last seat to one of two tokens redeemed at once on different nodes', async () => {
    const calls = [];
    for (const n of [0, 1, 2, 0]) calls.push(await talk(n));
    // Both tokens are issued while a seat is free; the sockets then race for it on nodes 1 and 2.
    const urls = await Promise.all([1, 2].map(async (n) => ((await (await issue(n)).json()) as { url: string }).url));
    const racers = urls.map((u) => connect(u, ORIGIN));
    open.push(...racers);
    // The seat is taken at `start`: both sockets open, both start at once.
    await Promise.all(racers.map((c) => c.waitFor((e) => e.type === 'ready', 10_000)));
    for (const c of racers) c.json({ type: 'start', mode: 'text' });
    const outcome = await Promise.all(
      racers.map((c) =>
        Promise.race([
          c.waitFor((e) => e.type === 'agent_text' && e.final === true, 10_000).then(() => 'started'),
          c.closed.then((x) => `closed ${x.code} ${x.reason}`),
        ]),
      ),
    );
    assert.equal(outcome.filter((o) => o === 'started').length, 1, outcome.join(' | '));
    assert.match(outcome.find((o) => o !== 'started')!, /^closed 1013 "ada" is in 5 conversations already/);
    for (const c of [...calls, ...racers.filter((_, i) => outcome[i] === 'started')]) await hangUp(c);
  });

  it('holds the per-caller hourly limit whichever node each request reaches', async () => {
    const ip = `10.77.${randomInt(255)}.${randomInt(255)}`;
    const statuses = [];
    for (const n of [0, 1, 2, 0]) statuses.push((await issue(n, ip)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });

  it('redeems a token issued by one node on another, once', async () => {
    const { url } = (await (await issue(0)).json()) as { url: string };
    const path = new URL(url).pathname;
    const first = connect(`${nodes[1]!.base.replace('http', 'ws')}${path}`, ORIGIN);
    open.push(first);
    await first.waitFor((e) => e.type === 'ready');
    const replay = connect(`${nodes[2]!.base.replace('http', 'ws')}${path}`, ORIGIN);
    assert.deepEqual(await replay.closed, { code: 1008, reason: 'token already used' });
    await hangUp(first);
  });

  it('answers a Twilio webhook on one node and the call’s Media Stream on another; a third plays its recording from the bucket', async () => {
    const call = new TwilioCallPeer({ accountSid: ACCOUNT, authToken: TWILIO_TOKEN });
    const dialed = await call.dial(`${nodes[0]!.base}/v1/twilio/voice`, { From: '+48601234567', To: NUMBER });
    assert.equal(dialed.status, 200, dialed.twiml);
    // The load balancer sends Twilio's stream to another node than the webhook's.
    const stream = parseStreamTwiml(dialed.twiml)!;
    const elsewhere = `${nodes[1]!.base.replace('http', 'ws')}${new URL(stream.url).pathname}`;
    await call.connect(dialed.twiml.replace(stream.url, elsewhere));
    await call.until(() => call.receivedFrames > 50, 'the greeting to arrive as media', 20_000);
    await call.hangUp();
    const admin = { authorization: `Bearer ${ADMIN}` };
    type Row = { id: string; door: string; caller: string | null; endedAt: string | null; recording: boolean };
    const phone = await eventually(
      async () => ((await (await fetch(`${nodes[2]!.base}/v1/admin/conversations?channel=phone`, { headers: admin })).json()) as { conversations: Row[] }).conversations.find((c) => c.caller === '+48601234567'),
      (c) => !!c?.recording,
      'the phone call’s recording to be saved',
    );
    assert.equal(phone!.door, 'phone');
    // Node 1 saved it to the bucket; node 2 streams it from there, byte ranges and all.
    assert.equal([...s3.objects('calls').keys()].filter((k) => k === `prod/${phone!.id}.wav`).length, 1);
    const wav = await fetch(`${nodes[2]!.base}/v1/admin/conversations/${phone!.id}/recording`, { headers: { ...admin, range: 'bytes=0-11' } });
    assert.equal(wav.status, 206);
    assert.equal(Buffer.from(await wav.arrayBuffer()).toString('latin1', 0, 4), 'RIFF');
  });

  it('shows every node’s conversations on any node’s dashboard', async () => {
    const a = await talk(0);
    const b = await talk(1);
    const live = (await (await fetch(`${nodes[2]!.base}/v1/admin/sessions`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { sessions: { conversationId: string; node: string }[] };
    const running = live.sessions.filter((s) => [a.conversationId, b.conversationId].includes(s.conversationId));
    assert.equal(running.length, 2, 'node 2 lists the conversations running on nodes 0 and 1');
    assert.equal(new Set(running.map((s) => s.node)).size, 2);
    llm.push({ text: 'We open at nine.' });
    b.json({ type: 'text', text: 'When do you open?' });
    await b.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'We open at nine.');
    await hangUp(a);
    await hangUp(b);
    const admin = { authorization: `Bearer ${ADMIN}` };
    const list = (await (await fetch(`${nodes[2]!.base}/v1/admin/conversations?limit=200`, { headers: admin })).json()) as { conversations: { id: string }[] };
    const ids = list.conversations.map((c) => c.id);
    assert.ok(ids.includes(a.conversationId) && ids.includes(b.conversationId));
    const rec = (await (await fetch(`${nodes[2]!.base}/v1/admin/conversations/${b.conversationId}`, { headers: admin })).json()) as { turns: { text: string }[] };
    assert.deepEqual(rec.turns.map((t) => t.text), [GREETING, 'When do you open?', 'We open at nine.']);
  });

  it('frees the seats of a node killed without warning once their lease runs out', async () => {
    const calls = [];
    for (const n of [0, 0, 0, 1, 1]) calls.push(await talk(n));
    assert.equal((await issue(2)).status, 503);
    nodes[0]!.child.kill('SIGKILL');
    await once(nodes[0]!.child, 'exit');
    // Node 0's three seats expire within the lease (5 s here), one by one; node 1's two stay taken.
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await talk(2, { waitForSeat: true }));
    assert.equal((await issue(1)).status, 503, 'three seats came free, not more: node 1 still holds two');
    // The dead node's conversations drop off the live list too; the five running ones stay.
    const dead = calls.slice(0, 3).map((c) => c.conversationId);
    const listed = await eventually(
      async () => ((await (await fetch(`${nodes[2]!.base}/v1/admin/sessions`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { sessions: { conversationId: string }[] }).sessions,
      (list) => !list.some((s) => dead.includes(s.conversationId)),
      'the dead node to leave the live list',
    );
    assert.equal(listed.length, 5);
    for (const c of [...calls.slice(3), ...held]) await hangUp(c);
  });

  it('drains one node on SIGTERM while the others keep taking conversations', async () => {
    const live = await talk(1);
    const exited = once(nodes[1]!.child, 'exit');
    nodes[1]!.child.kill('SIGTERM');
    const health = await eventually(() => fetch(`${nodes[1]!.base}/healthz`), (r) => r.status !== 200, 'the node to report draining');
    assert.equal(health.status, 503);
    assert.equal(((await (await issue(1)).json()) as { code: string }).code, 'draining');
    const elsewhere = await talk(2);
    llm.push({ text: 'Still here.' });
    live.json({ type: 'text', text: 'Are you there?' });
    await live.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'Still here.');
    await hangUp(live);
    assert.equal((await exited)[0], 0);
    await hangUp(elsewhere);
  });
});
