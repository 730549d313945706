import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateWindow, Taken } from './rate-window.ts';

// The RateWindow every node shares (PARLEY_REDIS_URL): one sorted set per key, scored by time.
// Trim, count and add run in one Lua script, so two nodes admitting the same caller at the same
// moment cannot both slip under the limit (no read-then-write race).

const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1])}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0}
`;

export class RedisRateWindow implements RateWindow {
  #redis: Redis;
  #prefix: string;
  #now: () => number;

  constructor(redis: Redis, o: { prefix?: string; now?: () => number } = {}) {
    this.#redis = redis;
    this.#prefix = o.prefix ?? 'parley:rate:';
    this.#now = o.now ?? Date.now;
  }

  async take(key: string, limit: number, windowMs: number): Promise<Taken | { ok: false; retryAfterMs: number }> {
    const now = this.#now();
    // A unique member per event: two events in the same millisecond both count.
    const member = `${now}:${randomBytes(6).toString('hex')}`;
    const [ok, retryAfterMs] = (await this.#redis.eval(TAKE, 1, this.#prefix + key, now, windowMs, limit, member)) as [number, number];
    // Nodes' clocks (and calls racing on several connections) differ by a millisecond or more: an
    // event stamped later than this call's `now` must not make the wait longer than the window.
    if (!ok) return { ok: false, retryAfterMs: Math.min(windowMs, Math.max(1, retryAfterMs)) };
    return { ok: true, giveBack: async () => void (await this.#redis.zrem(this.#prefix + key, member)) };
  }
}
