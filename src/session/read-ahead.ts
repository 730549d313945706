// A read a turn needs whatever the caller says (the day's spend, whether the documents changed),
// started while the caller is still speaking so the turn does not wait for it. With PostgreSQL
// that is a round trip off the path from the caller's last word to the model call; with SQLite,
// the query's CPU. A read older than its limit is not used: the turn reads again.

/** Oldest a read made while the caller spoke may be and still serve their turn: a longer turn reads again. */
export const SPOKEN_TURN_READ_MAX_AGE_MS = 10_000;

/** One read made ahead of the turn that uses it, good for `maxAgeMs`. */
export class ReadAhead<T> {
  #read: () => Promise<T>;
  #maxAgeMs: number;
  #now: () => number;
  #ahead: { at: number; value: Promise<T> } | undefined;

  constructor(read: () => Promise<T>, o: { maxAgeMs: number; now?: () => number }) {
    this.#read = read;
    this.#maxAgeMs = o.maxAgeMs;
    this.#now = o.now ?? (() => performance.now());
  }

  /** Starts the read now, unless one started within the limit is waiting to be used (speech can start many times in a turn). */
  start(): void {
    if (this.#fresh()) return;
    const value = this.#read();
    value.catch(() => {}); // a failed read is read again by take(), where its error is thrown
    this.#ahead = { at: this.#now(), value };
  }

  /** The value for this turn: the read made ahead when it is fresh and did not fail, else a new read. Each read ahead is used once. */
  take(): Promise<T> {
    const ahead = this.#fresh() ? this.#ahead : undefined;
    this.#ahead = undefined;
    return ahead ? ahead.value.catch(() => this.#read()) : this.#read();
  }

  #fresh(): boolean {
    return this.#ahead !== undefined && this.#now() - this.#ahead.at <= this.#maxAgeMs;
  }
}
