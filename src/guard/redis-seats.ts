import type { Redis } from 'ioredis';
import type { AgentSeats } from './seats.ts';

// Seats every node shares (PARLEY_REDIS_URL): one sorted set per agent, members are seat ids,
// scores the moment each seat's lease runs out. A node renews the leases of the seats it holds
// every few seconds, so the seats of a node that died (kill -9, power cut) free themselves within
// a lease instead of blocking the agent forever. Times come from Redis' own clock (TIME), so nodes
// whose clocks disagree still agree on what has expired.

const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS[1] seats; ARGV: lease ms, max, id
const TAKE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1`;

// KEYS[1] seats
const COUNT = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])`;

// KEYS[1] seats; ARGV: lease ms, ids… — only seats still held are renewed (XX), never re-created.
const RENEW = `${NOW}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1`;

export interface RedisSeatsOptions {
  /** Key prefix (PARLEY_REDIS_PREFIX + 'seats:'). */
  prefix?: string;
  /** How long a seat lives without renewal; a dead node's seats free themselves after this. */
  leaseMs?: number;
  /** Called when renewal fails (Redis unreachable); seats are then renewed on the next round. */
  onError?: (e: Error) => void;
}

export class RedisSeats implements AgentSeats {
  #redis: Redis;
  #prefix: string;
  #leaseMs: number;
  #held = new Map<string, Set<string>>(); // agent → seat ids this node holds
  #timer: NodeJS.Timeout;
  #onError: (e: Error) => void;

  constructor(redis: Redis, o: RedisSeatsOptions = {}) {
    this.#redis = redis;
    this.#prefix = o.prefix ?? 'parley:seats:';
    this.#leaseMs = o.leaseMs ?? 30_000;
    this.#onError = o.onError ?? (() => {});
    this.#timer = setInterval(() => void this.#renew(), Math.max(100, Math.floor(this.#leaseMs / 3)));
    this.#timer.unref();
  }

  async count(agent: string): Promise<number> {
    return Number(await this.#redis.eval(COUNT, 1, this.#prefix + agent));
  }

  async take(agent: string, id: string, max: number): Promise<boolean> {
    const ok = Number(await this.#redis.eval(TAKE, 1, this.#prefix + agent, this.#leaseMs, max, id)) === 1;
    if (ok) {
      const mine = this.#held.get(agent) ?? new Set<string>();
      mine.add(id);
      this.#held.set(agent, mine);
    }
    return ok;
  }

  async release(agent: string, id: string): Promise<void> {
    const mine = this.#held.get(agent);
    mine?.delete(id);
    if (mine?.size === 0) this.#held.delete(agent);
    await this.#redis.zrem(this.#prefix + agent, id).catch((e: Error) => this.#onError(e));
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #renew(): Promise<void> {
    for (const [agent, ids] of this.#held) {
      if (!ids.size) continue;
      await this.#redis.eval(RENEW, 1, this.#prefix + agent, this.#leaseMs, ...ids).catch((e: Error) => this.#onError(e));
    }
  }
}
