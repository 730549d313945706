import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

// What the dashboard's "Live now" lists: the conversations running on this node, or — with
// PARLEY_REDIS_URL — on every node. Each node keeps its own sessions in one Redis hash that
// expires unless the node renews it, so a node that died drops off the list within a lease.

/** A conversation running now, as the dashboard shows it. */
export interface LiveSessionInfo {
  id: string;
  agent: string;
  door: 'web' | 'phone';
  conversationId: string;
  startedAt: string;
  /** Which node runs it: host:pid. */
  node: string;
}

/** The live-session list: this node's, or every node's. */
export interface LiveSessionList {
  /** True when every node's sessions are listed (Redis), not only this process's. */
  readonly shared: boolean;
  add(s: LiveSessionInfo): void;
  remove(id: string): void;
  list(signal?: AbortSignal): Promise<LiveSessionInfo[]>;
  close(): void;
}

/** This node's name in the list. */
export const NODE_NAME = `${hostname()}:${process.pid}`;

/** Sessions of this process only: right for one node. */
export class MemoryLiveSessions implements LiveSessionList {
  readonly shared = false;
  #all = new Map<string, LiveSessionInfo>();
  add(s: LiveSessionInfo): void {
    this.#all.set(s.id, s);
  }
  remove(id: string): void {
    this.#all.delete(id);
  }
  async list(): Promise<LiveSessionInfo[]> {
    return [...this.#all.values()];
  }
  close(): void {}
}

/** Every node's sessions, in Redis: one hash per node (`<prefix><node>`), renewed while the node lives. */
export class RedisLiveSessions implements LiveSessionList {
  readonly shared = true;
  #redis: Redis;
  /** This node's sessions, written again on every renewal: a Redis outage longer than the lease loses none. */
  #mine = new Map<string, LiveSessionInfo>();
  #key: string;
  #prefix: string;
  #leaseMs: number;
  #timer: NodeJS.Timeout;
  #onError: (e: Error) => void;

  constructor(redis: Redis, o: { prefix?: string; leaseMs?: number; onError?: (e: Error) => void } = {}) {
    this.#redis = redis;
    this.#prefix = o.prefix ?? 'parley:live:';
    // The random part keeps two nodes apart that share a host name and pid (containers).
    this.#key = `${this.#prefix}${NODE_NAME}:${randomBytes(3).toString('hex')}`;
    this.#leaseMs = o.leaseMs ?? 30_000;
    this.#onError = o.onError ?? (() => {});
    this.#timer = setInterval(() => void this.#renew(), Math.max(100, Math.floor(this.#leaseMs / 3)));
    this.#timer.unref();
  }

  add(s: LiveSessionInfo): void {
    this.#mine.set(s.id, s);
    void this.#redis.multi().hset(this.#key, s.id, JSON.stringify(s)).pexpire(this.#key, this.#leaseMs).exec().catch(this.#onError);
  }

  remove(id: string): void {
    this.#mine.delete(id);
    void this.#redis.hdel(this.#key, id).catch(this.#onError);
  }

  async #renew(): Promise<void> {
    const all = [...this.#mine.values()];
    if (!all.length) return void (await this.#redis.pexpire(this.#key, this.#leaseMs).catch(this.#onError));
    await this.#redis
      .multi()
      .hset(this.#key, Object.fromEntries(all.map((s) => [s.id, JSON.stringify(s)])))
      .pexpire(this.#key, this.#leaseMs)
      .exec()
      .catch(this.#onError);
  }

  async list(): Promise<LiveSessionInfo[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.#redis.scan(cursor, 'MATCH', `${this.#prefix}*`, 'COUNT', 200);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    if (!keys.length) return [];
    const pipeline = this.#redis.pipeline();
    for (const k of keys) pipeline.hvals(k);
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([err, vals]) => (err ? [] : (vals as string[]).map((v) => JSON.parse(v) as LiveSessionInfo)));
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
