import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisSeats } from '../../src/guard/redis-seats.ts';
import { MemorySeats, type AgentSeats } from '../../src/guard/seats.ts';
import { redisUp, TEST_REDIS_URL } from '../helpers/redis.ts';

const URL = TEST_REDIS_URL;
const up = await redisUp(URL);

/** What every AgentSeats must do, whatever keeps the count. */
function contract(name: string, make: () => AgentSeats, skip: string | false = false) {
  describe(`${name} seats`, { skip }, () => {
    it('gives out exactly `max` seats to many takers at once, per agent', async () => {
      const seats = make();
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => seats.take('ada', `s${i}`, 5)));
      assert.equal(results.filter(Boolean).length, 5);
      assert.equal(await seats.count('ada'), 5);
      assert.equal(await seats.take('bob', 'b1', 5), true, 'another agent has seats of its own');
      seats.close();
    });

    it('takes a seat again after one is released, and counts a retried take of the same id once', async () => {
      const seats = make();
      assert.equal(await seats.take('ada', 'a', 1), true);
      assert.equal(await seats.take('ada', 'b', 1), false);
      await seats.release('ada', 'a');
      assert.equal(await seats.count('ada'), 0);
      assert.equal(await seats.take('ada', 'b', 1), true);
      assert.equal(await seats.take('ada', 'b', 2), true);
      assert.equal(await seats.count('ada'), 1);
      seats.close();
    });
  });
}

contract('memory', () => new MemorySeats());

const redis = up ? new Redis(URL) : undefined;
const prefix = `parley-test-seats-${randomBytes(4).toString('hex')}:`;
after(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});
let n = 0;
contract('Redis', () => new RedisSeats(redis!, { prefix: `${prefix}${++n}:` }), up ? false : `no Redis at ${URL}`);

describe('Redis seat leases', { skip: up ? false : `no Redis at ${URL}` }, () => {
  it('keeps a held seat past its lease by renewing it, and frees the seats of a node that stopped renewing', async () => {
    const key = `${prefix}lease:`;
    const alive = new RedisSeats(redis!, { prefix: key, leaseMs: 300 });
    const dead = new RedisSeats(redis!, { prefix: key, leaseMs: 300 });
    assert.equal(await alive.take('ada', 'alive', 2), true);
    assert.equal(await dead.take('ada', 'dead', 2), true);
    dead.close(); // the node "dies": its lease is no longer renewed
    const started = Date.now();
    // Redis' own clock decides expiry: watch the count until the dead node's seat is gone.
    while ((await alive.count('ada')) === 2) await new Promise((r) => setImmediate(r));
    const freedAfter = Date.now() - started;
    assert.ok(freedAfter >= 200, `freed after ${freedAfter} ms, before its lease ran out`);
    assert.equal(await alive.count('ada'), 1);
    // Several leases later the renewed seat is still held.
    const until = Date.now() + 1000;
    while (Date.now() < until) assert.equal(await alive.count('ada'), 1);
    alive.close();
  });
});
