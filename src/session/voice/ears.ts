import type { SpeechToText, SttEvent, SttStream } from '../../speech/types.ts';
import { DeafEars } from './deaf-ears.ts';

/**
 * The session's recogniser: one stream at a time, read until the call ends. It notices when the
 * stream is lost — an error, a stream the vendor closed, or words that stopped coming while the
 * caller talks — and says so; the session decides whether to `reopen()` or give up.
 */
/** What the ears need: the engine, the call's signal, and where words and losses go. */
export interface EarsOptions {
  stt: SpeechToText;
  language: string;
  /** Rate of the audio pushed, when not the recogniser's own (phone audio to a recogniser that takes 8 kHz). */
  sampleRate?: number;
  signal: AbortSignal;
  onWords: (e: SttEvent) => void;
  onLost: (error: unknown) => void;
}

export class Ears {
  #o: EarsOptions;
  #stream: SttStream;
  #deaf = new DeafEars();
  #stopped = false;

  constructor(o: EarsOptions) {
    this.#o = o;
    this.#stream = this.#open();
  }

  push(pcm: Int16Array): void {
    this.#stream.push(pcm);
  }

  /** The VAD saw the caller stop talking at `atMs`: a recogniser that heard nothing for long is lost. */
  speechEnded(atMs: number): void {
    if (this.#deaf.speechEnded(atMs)) this.#lost(new Error(`the recogniser sent no words for ${this.#deaf.describe()} of caller speech`));
  }

  /** Drops the current stream and opens a new one (a dropped vendor socket). */
  reopen(): void {
    const old = this.#stream;
    this.#deaf = new DeafEars();
    this.#stream = this.#open();
    old.end();
  }

  /** The call is over: the stream ends and `run` returns. */
  stop(): void {
    this.#stopped = true;
    this.#stream.end();
  }

  /** Reads the recogniser until `stop`, across reopened streams. */
  async run(): Promise<void> {
    const { signal, onWords } = this.#o;
    for (;;) {
      const stream = this.#stream;
      try {
        for await (const e of stream) {
          if (this.#stopped || stream !== this.#stream) break;
          this.#deaf.heard();
          onWords(e);
        }
        // A vendor that closes its stream mid-call is as gone as one that errors.
        if (stream === this.#stream) this.#lost(new Error('the recogniser closed its stream'));
      } catch (e) {
        if (stream === this.#stream) this.#lost(e);
      }
      if (this.#stopped || signal.aborted || stream === this.#stream) return;
    }
  }

  #open(): SttStream {
    const { stt, language, signal, sampleRate } = this.#o;
    return stt.stream({ language, signal, ...(sampleRate && sampleRate !== stt.sampleRate ? { sampleRate } : {}) });
  }

  #lost(error: unknown): void {
    if (!this.#stopped && !this.#o.signal.aborted) this.#o.onLost(error);
  }
}
