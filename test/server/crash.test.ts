import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Records } from '../../src/store/records.ts';
import { openStore } from '../../src/store/store.ts';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Store } from '../../src/store/store.ts';
import { tempDir } from '../helpers/cli.ts';
import { redisUp, TEST_REDIS_URL } from '../helpers/redis.ts';
import { openPostgresSchema, postgresUp } from '../helpers/store.ts';
import { agentsFolder, connect, GREETING, startServerProcess as startServer, type TestClient } from './helpers.ts';

describe('crash: kill -9 the server during live conversations', () => {
  let llm: FakeOpenAI;
  const children: ChildProcess[] = [];
  before(async () => {
    llm = await startFakeOpenAI();
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await llm.close();
  });

  it('after a restart every record is intact up to the last event, closed as "server restart", and new conversations work', async () => {
    const dir = agentsFolder();
    const env = { PATH: process.env.PATH, PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_DATABASE_URL: `file:${join(tempDir(), 'parley.db')}`, PARLEY_SESSION_SECRET: 's' };
    let hanging = 0;
    let allHanging!: () => void;
    const threeHanging = new Promise<void>((r) => (allHanging = r));
    const lastQuestion = (req: ChatRequest) => String(req.messages.filter((m) => m.role === 'user').at(-1)?.content).split('\n\n[DOCUMENTS]')[0]!.trim();
    llm.push(
      ...Array.from({ length: 7 }, () => (req: ChatRequest) => {
        const q = lastQuestion(req);
        if (!q.startsWith('second')) return { text: `About ${q}: yes.` };
        if (++hanging === 3) allHanging();
        return { text: 'never heard', delayMs: 60_000 };
      }),
    );

    const first = await startServer(dir, env);
    children.push(first.child);
    const talk = async (i: number): Promise<{ c: TestClient; id: string }> => {
      const { url } = (await (await fetch(`${first.base}/v1/agents/ada/sessions`, { method: 'POST' })).json()) as { url: string };
      const c = connect(url);
      const ready = await c.waitFor((e) => e.type === 'ready');
      c.json({ type: 'start', mode: 'text' });
      await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
      c.json({ type: 'text', text: `first question ${i}` });
      await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === `About first question ${i}: yes.`);
      c.json({ type: 'text', text: `second question ${i}` });
      return { c, id: String(ready.conversationId) };
    };
    const live = await Promise.all([talk(0), talk(1), talk(2)]);
    await threeHanging;
    first.child.kill('SIGKILL');
    await once(first.child, 'close');
    const killedAt = new Date().toISOString();
    for (const { c } of live) await c.closed;

    const second = await startServer(dir, env);
    children.push(second.child);
    const store = await openStore(env.PARLEY_DATABASE_URL);
    after(() => store.close());
    const records = new Records(store.db);
    for (const [i, { id }] of live.entries()) {
      const res = await fetch(`${second.base}/v1/admin/conversations/${id}`);
      assert.equal(res.status, 200);
      const rec = (await res.json()) as { turns: { role: string; text: string; startedAt: string }[]; startedAt: string; endedAt: string | null; endReason: string | null };
      const stored = (await records.get(id))!;
      assert.deepEqual(
        rec.turns.map((t) => [t.role, t.text]),
        [
          ['agent', GREETING],
          ['caller', `first question ${i}`],
          ['agent', `About first question ${i}: yes.`],
          ['caller', `second question ${i}`],
        ],
        `conversation ${i} kept everything up to the words in flight`,
      );
      // Closed at the restart, as of its last recorded event, with its duration and cost counted.
      assert.equal(rec.endReason, 'server restart');
      assert.ok(rec.endedAt && rec.endedAt >= rec.turns.at(-1)!.startedAt && rec.endedAt <= killedAt, `ended at its last event (${rec.endedAt}), before the kill (${killedAt})`);
      assert.equal(stored.durationSec, (Date.parse(rec.endedAt!) - Date.parse(rec.startedAt)) / 1000);
      assert.equal(stored.costUsd, 0, 'counted (a typed conversation on a local-priced model costs nothing)');
      const tokens = Object.values((stored.usage as { llm: Record<string, { inputTokens: number }> }).llm);
      assert.ok(tokens.length && tokens[0]!.inputTokens > 0, `the tokens it used before the crash are kept: ${JSON.stringify(stored.usage)}`);
    }
    // The restarted server takes conversations again.
    const { url } = (await (await fetch(`${second.base}/v1/agents/ada/sessions`, { method: 'POST' })).json()) as { url: string };
    const c = connect(url);
    await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
    c.json({ type: 'end' });
    await c.closed;
  });
});

const PG = process.env.PARLEY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const missing = !(await postgresUp(PG)) ? `no PostgreSQL at ${PG}` : !(await redisUp(TEST_REDIS_URL)) ? `no Redis at ${TEST_REDIS_URL}` : false;

describe('crash with several nodes (PostgreSQL + Redis): each conversation is closed only once no node runs it', { skip: missing }, () => {
  let llm: FakeOpenAI;
  let store: Store;
  const children: ChildProcess[] = [];
  const prefix = `parley-crash-${randomBytes(4).toString('hex')}:`;
  before(async () => {
    llm = await startFakeOpenAI();
    store = await openPostgresSchema(PG);
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await llm.close();
    await store.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a node restarting leaves another node’s live conversation open; once that node is killed, its conversation is closed within a lease', async (t) => {
    const db = new URL(PG);
    db.searchParams.set('schema', new URL(store.where).searchParams.get('schema')!);
    const env = { PATH: process.env.PATH, PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_DATABASE_URL: db.toString(), PARLEY_REDIS_URL: TEST_REDIS_URL, PARLEY_REDIS_PREFIX: prefix, PARLEY_SEAT_LEASE_SEC: '1', PARLEY_SESSION_SECRET: 's' };
    const dir = agentsFolder();
    const [a, b] = await Promise.all([startServer(dir, env), startServer(dir, env)]);
    children.push(a.child, b.child);
    const { url } = (await (await fetch(`${a.base}/v1/agents/ada/sessions`, { method: 'POST' })).json()) as { url: string };
    const c = connect(url);
    const ready = await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
    const id = String(ready.conversationId);
    const records = new Records(store.db);

    b.child.kill('SIGKILL');
    await once(b.child, 'close');
    const b2 = await startServer(dir, env); // its start-up sweep has run once it listens
    children.push(b2.child);
    assert.equal((await records.get(id))?.endedAt, null, 'node A still runs it: not closed by node B’s restart');

    a.child.kill('SIGKILL');
    await once(a.child, 'close');
    await c.closed;
    const killedAt = Date.now();
    const deadline = killedAt + 15_000;
    let rec = await records.get(id);
    while (!rec?.endedAt && Date.now() < deadline) rec = await records.get(id);
    t.diagnostic(`closed ${Date.now() - killedAt} ms after the kill (lease 1 s)`);
    assert.equal(rec?.endReason, 'server restart', 'closed by the surviving node once A’s lease ran out');
    assert.ok(rec.durationSec !== null && rec.costUsd !== null, 'its duration and cost count');
  });
});
