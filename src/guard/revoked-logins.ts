import type { Redis } from 'ioredis';

// Browser logins that were logged out before they expired. A login cookie is signed, so the
// server keeps no list of logins; it keeps this list of the ones that must no longer work,
// each only until the cookie would have expired anyway.

/** Logins (by their id) that logged out: refused until they would have expired. */
export interface RevokedLogins {
  /** Refuses login `id` from now until `untilMs` (its expiry). */
  revoke(id: string, untilMs: number): Promise<void>;
  /** Whether login `id` was logged out. */
  isRevoked(id: string): Promise<boolean>;
}

/** Logged-out logins in this process's memory (one node). */
export class MemoryRevokedLogins implements RevokedLogins {
  #until = new Map<string, number>();
  #now: () => number;

  constructor(o: { now?: () => number } = {}) {
    this.#now = o.now ?? Date.now;
  }

  async revoke(id: string, untilMs: number): Promise<void> {
    const now = this.#now();
    // Expired entries are dropped as new ones come, so the list holds only logins that could still be used.
    if (this.#until.size >= 1000) for (const [k, until] of this.#until) if (until <= now) this.#until.delete(k);
    if (untilMs > now) this.#until.set(id, untilMs);
  }

  async isRevoked(id: string): Promise<boolean> {
    const until = this.#until.get(id);
    return until !== undefined && until > this.#now();
  }
}

/** Logged-out logins in Redis (PARLEY_REDIS_URL): a logout on one node is refused on every node. */
export class RedisRevokedLogins implements RevokedLogins {
  #redis: Redis;
  #prefix: string;
  #now: () => number;

  constructor(redis: Redis, o: { prefix?: string; now?: () => number } = {}) {
    this.#redis = redis;
    this.#prefix = o.prefix ?? 'parley:logout:';
    this.#now = o.now ?? Date.now;
  }

  async revoke(id: string, untilMs: number): Promise<void> {
    const ttl = Math.ceil(untilMs - this.#now());
    if (ttl > 0) await this.#redis.set(this.#prefix + id, '1', 'PX', ttl);
  }

  async isRevoked(id: string): Promise<boolean> {
    return (await this.#redis.exists(this.#prefix + id)) === 1;
  }
}
