// The shape of every background worker over the store (the events deliverer, the campaign
// runner): one round at a time, every pollMs and whenever woken; a wake during a round runs one
// more right after it, never two at once; stop() cuts the round in flight and waits for it.

/** Runs `round` every `pollMs` and whenever woken, one at a time, until stopped. */
export class PollingLoop {
  #state: { kind: 'idle' } | { kind: 'running'; stop: AbortController; timer?: NodeJS.Timeout; round?: Promise<unknown>; again: boolean } = { kind: 'idle' };
  readonly #o: { round: (signal: AbortSignal) => Promise<unknown>; pollMs: number; onError: (e: unknown) => void };

  constructor(o: { round: (signal: AbortSignal) => Promise<unknown>; pollMs: number; onError: (e: unknown) => void }) {
    this.#o = o;
  }

  /** Runs rounds every pollMs (and whenever woken) until stop(). */
  start(): void {
    if (this.#state.kind === 'running') return;
    this.#state = { kind: 'running', stop: new AbortController(), again: false };
    this.wake();
  }

  /** Runs a round now, or right after the one in flight. */
  wake(): void {
    const s = this.#state;
    if (s.kind !== 'running') return;
    if (s.round) {
      s.again = true;
      return;
    }
    clearTimeout(s.timer);
    s.round = this.#o
      .round(s.stop.signal)
      .catch(this.#o.onError)
      .finally(() => {
        s.round = undefined;
        if (s.stop.signal.aborted) return;
        if (s.again) {
          s.again = false;
          return this.wake();
        }
        s.timer = setTimeout(() => this.wake(), this.#o.pollMs);
        s.timer.unref();
      });
  }

  /** Stops polling: the round in flight is aborted and awaited. */
  async stop(): Promise<void> {
    const s = this.#state;
    if (s.kind !== 'running') return;
    this.#state = { kind: 'idle' };
    clearTimeout(s.timer);
    s.stop.abort();
    await s.round;
  }
}
