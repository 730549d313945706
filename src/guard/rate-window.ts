// Sliding-window counters for admission limits (conversations per IP per hour). This one lives in
// the process; a cluster swaps in a shared implementation of the same interface (docs/deploy.md).

/** Counts events per key over a sliding window. */
export interface RateWindow {
  /** Records one event under `key` if fewer than `limit` happened within `windowMs`; else says when one frees up. */
  take(key: string, limit: number, windowMs: number): Promise<Taken | { ok: false; retryAfterMs: number }>;
}

/** An event the window recorded; `giveBack` removes it again (for an attempt that turned out to do nothing). */
export interface Taken {
  ok: true;
  giveBack(): Promise<void>;
}

/** A RateWindow in this process's memory: at most `limit` timestamps per key, idle keys pruned. */
export class MemoryRateWindow implements RateWindow {
  #hits = new Map<string, number[]>();
  #now: () => number;
  #lastPrune = 0;

  constructor(o: { now?: () => number } = {}) {
    this.#now = o.now ?? Date.now;
  }

  async take(key: string, limit: number, windowMs: number): Promise<Taken | { ok: false; retryAfterMs: number }> {
    const now = this.#now();
    this.#prune(now, windowMs);
    const since = now - windowMs;
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > since);
    if (hits.length >= limit) {
      this.#hits.set(key, hits);
      return { ok: false, retryAfterMs: Math.max(1, hits[0]! + windowMs - now) };
    }
    hits.push(now);
    this.#hits.set(key, hits);
    let given = false;
    return {
      ok: true,
      giveBack: async () => {
        if (given) return;
        given = true;
        // Events in the same millisecond are alike: removing any one of them gives this one back.
        const left = this.#hits.get(key);
        const i = left?.indexOf(now) ?? -1;
        if (i >= 0) left!.splice(i, 1);
      },
    };
  }

  /** Keys whose newest event left the window are dropped, so a flood of addresses cannot grow memory for long. */
  #prune(now: number, windowMs: number): void {
    if (now - this.#lastPrune < 60_000) return;
    this.#lastPrune = now;
    for (const [k, hits] of this.#hits) if (!hits.length || hits.at(-1)! <= now - windowMs) this.#hits.delete(k);
  }

  get keys(): number {
    return this.#hits.size;
  }
}
