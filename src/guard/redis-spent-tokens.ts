import type { Redis } from 'ioredis';
import type { SpentTokens } from './session-tokens.ts';

/** Used session tokens in Redis (PARLEY_REDIS_URL): a token spent on one node is refused on every other. */
export class RedisSpentTokens implements SpentTokens {
  #redis: Redis;
  #prefix: string;
  #now: () => number;

  constructor(redis: Redis, o: { prefix?: string; now?: () => number } = {}) {
    this.#redis = redis;
    this.#prefix = o.prefix ?? 'parley:token:';
    this.#now = o.now ?? Date.now;
  }

  async spend(nonce: string, untilMs: number): Promise<boolean> {
    // SET NX is the atomic "first one wins"; the key lives only as long as the token could be used.
    const ttl = Math.max(1, Math.ceil(untilMs - this.#now()));
    return (await this.#redis.set(this.#prefix + nonce, '1', 'PX', ttl, 'NX')) === 'OK';
  }
}
