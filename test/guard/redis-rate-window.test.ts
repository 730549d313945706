import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisRateWindow } from '../../src/guard/redis-rate-window.ts';

// Against the real Redis on this machine (PARLEY_TEST_REDIS_URL, default redis://127.0.0.1:6379);
// skipped with the reason when none answers.
const URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(): Promise<boolean> {
  const probe = new Redis(URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const up = await reachable();

describe('RedisRateWindow (limits shared by every node)', { skip: up ? false : `no Redis at ${URL}` }, () => {
  const nodes: Redis[] = [];
  const prefix = `parley-test:${randomBytes(4).toString('hex')}:`;
  before(() => {
    nodes.push(new Redis(URL), new Redis(URL), new Redis(URL));
  });
  after(async () => {
    const keys = await nodes[0]!.keys(`${prefix}*`);
    if (keys.length) await nodes[0]!.del(...keys);
    for (const n of nodes) n.disconnect();
  });

  it('holds one limit across three nodes, even when they all admit the same caller at once', async () => {
    const windows = nodes.map((n) => new RedisRateWindow(n, { prefix }));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => windows[i % 3]!.take('ada|203.0.113.7', 5, 60_000)));
    assert.equal(results.filter((r) => r.ok).length, 5);
    const refused = results.find((r) => !r.ok) as { ok: false; retryAfterMs: number };
    assert.ok(refused.retryAfterMs > 59_000 && refused.retryAfterMs <= 60_000, `retry after ${refused.retryAfterMs} ms`);
    assert.equal((await windows[1]!.take('ada|198.51.100.9', 5, 60_000)).ok, true, 'another caller is not affected');
  });

  it('frees a place when the oldest event leaves the window', async () => {
    let now = 1_000_000;
    const w = new RedisRateWindow(nodes[0]!, { prefix, now: () => now });
    assert.equal((await w.take('k', 2, 1000)).ok, true);
    now += 400;
    assert.equal((await w.take('k', 2, 1000)).ok, true);
    now += 100;
    assert.deepEqual(await w.take('k', 2, 1000), { ok: false, retryAfterMs: 500 });
    now += 500;
    assert.equal((await w.take('k', 2, 1000)).ok, true);
  });

  it('gives a taken place back once, and only that one, on any node', async () => {
    const [a, b] = nodes.map((n) => new RedisRateWindow(n, { prefix, now: () => 2_000_000 }));
    const first = await a!.take('g', 2, 60_000);
    assert.ok(first.ok);
    assert.equal((await b!.take('g', 2, 60_000)).ok, true, 'the same millisecond still counts twice');
    assert.equal((await b!.take('g', 2, 60_000)).ok, false);
    await first.giveBack();
    await first.giveBack();
    assert.equal((await b!.take('g', 2, 60_000)).ok, true, 'the given-back place is free again');
    assert.equal((await a!.take('g', 2, 60_000)).ok, false);
  });
});
