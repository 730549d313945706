/** Timer functions, injectable so tests and the simulator can drive time. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** A session's sense of time: a millisecond clock and its timers, real by default, virtual in tests. */
export interface SessionClock extends Timers {
  now(): number;
}

/** Wall-clock time and Node's timers. */
export const realClock: SessionClock = {
  now: () => performance.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};
