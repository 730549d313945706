import type { Timers } from './clock.ts';

/** Node's timers fire at once beyond this (about 24.8 days); longer waits are clamped to it. */
const LONGEST_MS = 2 ** 31 - 1;

/** The session's named timers; starting one replaces the pending one of the same name. */
export type TimerName = 'reprompt' | 'silence-end' | 'wrap-up' | 'time-limit' | 'hard-stop' | 'filler';

/**
 * Every timer a voice session runs, in one place: named ones (silence, deadline, filler) and
 * anonymous ones (playout polls). `close()` clears them all and refuses new ones, so nothing
 * fires after the session has ended.
 */
export class SessionTimers {
  #t: Timers;
  #named = new Map<TimerName, unknown>();
  #anonymous = new Set<unknown>();
  #closed = false;

  constructor(timers: Timers) {
    this.#t = timers;
  }

  /** Runs `fn` after `ms`, replacing a pending timer of the same name. */
  start(name: TimerName, ms: number, fn: () => void): void {
    this.cancel(name);
    if (this.#closed) return;
    const h = this.#t.set(() => {
      if (this.#named.get(name) !== h) return;
      this.#named.delete(name);
      fn();
    }, Math.min(LONGEST_MS, Math.max(0, ms)));
    this.#named.set(name, h);
  }

  /** Whether the named timer is pending. */
  has(name: TimerName): boolean {
    return this.#named.has(name);
  }

  cancel(...names: TimerName[]): void {
    for (const n of names) {
      if (this.#named.has(n)) this.#t.clear(this.#named.get(n));
      this.#named.delete(n);
    }
  }

  /** Runs `fn` after `ms`; returns its cancel. */
  once(ms: number, fn: () => void): () => void {
    if (this.#closed) return () => {};
    const h = this.#t.set(() => {
      this.#anonymous.delete(h);
      fn();
    }, Math.min(LONGEST_MS, Math.max(0, ms)));
    this.#anonymous.add(h);
    return () => {
      if (this.#anonymous.delete(h)) this.#t.clear(h);
    };
  }

  /** Timers still pending (0 after close). */
  get pending(): number {
    return this.#named.size + this.#anonymous.size;
  }

  /** Clears every timer; later starts are ignored. */
  close(): void {
    this.#closed = true;
    for (const h of this.#named.values()) this.#t.clear(h);
    for (const h of this.#anonymous) this.#t.clear(h);
    this.#named.clear();
    this.#anonymous.clear();
  }
}
