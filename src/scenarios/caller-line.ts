import { setTimeout as sleep } from 'node:timers/promises';
import { FRAME_MS, splitFrames } from '../audio/frame.ts';
import type { Channel, ClientEvent } from '../channels/channel.ts';

// The scripted caller's phone line, seen by the voice session as a door. Caller audio goes in
// as 20 ms frames at real-time pace, with silence between turns as on a real line: the session
// times turns on the wall clock (endpointing timers, latency stages), so feeding it faster than
// real time would make its numbers wrong. The agent's audio is "heard" the moment it is queued:
// nobody listens on this line, and waiting it out in real time would only make runs slower —
// latency is measured to the agent's first audio, not to the end of its playout.

const RATE = 16000;

/** An in-memory door for a scenario's voice run: `say` puts speech on the line, events come back. */
export class CallerLine implements Channel {
  readonly inputSampleRate = RATE;
  readonly outputSampleRate: number;
  /** Every event the session sent, in order. */
  readonly events: ClientEvent[] = [];
  /** Milliseconds of agent audio played out on the line. */
  agentAudioMs = 0;
  #speech: { frames: Int16Array[]; spoken: () => void }[] = [];
  #hungUp = false;
  #closed = false;
  #listeners = new Set<() => void>();
  #onEvent: ((e: ClientEvent) => void) | undefined;

  constructor(o: { outputSampleRate?: number; onEvent?: (e: ClientEvent) => void } = {}) {
    this.outputSampleRate = o.outputSampleRate ?? RATE;
    this.#onEvent = o.onEvent;
  }

  /** Puts 16 kHz speech on the line after anything already queued; resolves once its last frame went out. */
  say(pcm: Int16Array): Promise<void> {
    if (this.#hungUp || !pcm.length) return Promise.resolve();
    return new Promise((spoken) => this.#speech.push({ frames: splitFrames(pcm, RATE), spoken }));
  }

  /** The caller hangs up: the audio ends, and anything still to be said is dropped. */
  hangUp(): void {
    this.#hungUp = true;
    for (const s of this.#speech.splice(0)) s.spoken();
  }

  /** Whether the session closed the door. */
  get closed(): boolean {
    return this.#closed;
  }

  async *audio(): AsyncIterable<Int16Array> {
    const t0 = performance.now();
    for (let n = 0; !this.#hungUp && !this.#closed; n++) {
      // Frame n is due n × 20 ms after the start: no drift, and a late frame is caught up at once.
      const wait = t0 + n * FRAME_MS - performance.now();
      if (wait > 0) await sleep(wait);
      if (this.#hungUp || this.#closed) return;
      yield this.#nextFrame();
    }
  }

  play(pcm: Int16Array): void {
    this.agentAudioMs += (pcm.length * 1000) / this.outputSampleRate;
  }

  clear(): void {
    // Everything queued was heard at once: there is nothing left to drop.
  }

  heardMs(): number {
    return this.agentAudioMs;
  }

  send(event: ClientEvent): void {
    this.events.push(event);
    this.#onEvent?.(event);
    for (const l of [...this.#listeners]) l();
  }

  close(): void {
    this.#closed = true;
    for (const l of [...this.#listeners]) l();
  }

  /**
   * Resolves true as soon as `holds()` is true (checked now and after every event the session
   * sends), false after `timeoutMs` or when the line closes without it; rejects when `signal` aborts.
   */
  until(holds: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (holds()) return Promise.resolve(true);
    if (this.#closed) return Promise.resolve(false);
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const finish = (result: boolean | Error) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        signal.removeEventListener('abort', onAbort);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const check = () => {
        if (holds()) finish(true);
        else if (this.#closed) finish(false);
      };
      const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.#listeners.add(check);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #nextFrame(): Int16Array {
    const current = this.#speech[0];
    if (!current) return new Int16Array((RATE * FRAME_MS) / 1000);
    const frame = current.frames.shift()!;
    if (!current.frames.length) {
      this.#speech.shift();
      current.spoken();
    }
    return frame;
  }
}
