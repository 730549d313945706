// In-memory stand-ins for the voice loop's edges: a door that plays audio in real time, a
// recogniser and a VAD the test drives, and a TTS of known timing. Used by the voice session
// tests and the voice-loop benchmark, where the audio itself does not matter but time does.
import type { Channel, ClientEvent } from '../channels/channel.ts';
import type { SttEvent, SttStream, SpeechToText, TextToSpeech } from '../speech/types.ts';

/** A door that "plays" queued audio at real-time speed and remembers what it did. */
export class MemoryChannel implements Channel {
  readonly inputSampleRate: number;
  readonly outputSampleRate: number;
  readonly events: ClientEvent[] = [];
  /** Every play/clear with its time, for assertions on what reached the caller. */
  readonly log: { at: number; op: 'play' | 'clear'; ms: number }[] = [];
  closedWith: string | undefined;
  #queuedMs = 0; // not yet played
  #playedMs = 0;
  #last: number;
  #frames: Int16Array[] = [];
  #wake: (() => void) | undefined;
  #hungUp = false;
  #listeners: ((e: ClientEvent) => void)[] = [];
  #now: () => number;

  /** `now`: the playout clock in ms (default performance.now); a test may drive it. */
  constructor(o: { inputSampleRate?: number; outputSampleRate?: number; now?: () => number } = {}) {
    this.inputSampleRate = o.inputSampleRate ?? 16000;
    this.outputSampleRate = o.outputSampleRate ?? 16000;
    this.#now = o.now ?? (() => performance.now());
    this.#last = this.#now();
  }

  /** The caller speaks (or is silent): one frame of audio in. */
  pushCallerAudio(pcm: Int16Array): void {
    this.#frames.push(pcm);
    this.#wake?.();
  }

  hangUp(): void {
    this.#hungUp = true;
    this.#wake?.();
  }

  async *audio(): AsyncIterable<Int16Array> {
    for (;;) {
      if (this.#frames.length) {
        yield this.#frames.shift()!;
        continue;
      }
      if (this.#hungUp) return;
      await new Promise<void>((r) => (this.#wake = r));
    }
  }

  play(pcm: Int16Array): void {
    if (this.closedWith !== undefined) return; // the caller is gone
    this.#advance();
    const ms = (pcm.length * 1000) / this.outputSampleRate;
    this.#queuedMs += ms;
    this.log.push({ at: this.#now(), op: 'play', ms });
  }

  clear(): void {
    if (this.closedWith !== undefined) return;
    this.#advance();
    this.#queuedMs = 0;
    this.log.push({ at: this.#now(), op: 'clear', ms: 0 });
  }

  heardMs(): number {
    this.#advance();
    return this.#playedMs;
  }

  /** Milliseconds queued but not yet played. */
  pendingMs(): number {
    this.#advance();
    return this.#queuedMs;
  }

  send(event: ClientEvent): void {
    if (this.closedWith !== undefined) return;
    this.events.push(event);
    for (const l of this.#listeners) l(event);
  }

  /** Resolves at the first event matching `test` (already sent or still to come). */
  waitFor(test: (e: ClientEvent) => boolean): Promise<ClientEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const l = (e: ClientEvent) => {
        if (!test(e)) return;
        this.#listeners = this.#listeners.filter((x) => x !== l);
        resolve(e);
      };
      this.#listeners.push(l);
    });
  }

  /** Closes the door once (later reasons are ignored, like a socket's); the caller's audio ends. */
  close(reason: string): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = reason;
    this.hangUp();
  }

  #advance(): void {
    const now = this.#now();
    const step = Math.min(now - this.#last, this.#queuedMs);
    this.#playedMs += step;
    this.#queuedMs -= step;
    this.#last = now;
  }
}

/** A recogniser whose words the test dictates. */
export class ScriptedStt implements SpeechToText {
  readonly id = 'scripted:stt';
  readonly sampleRate = 16000;
  readonly acceptsSampleRates: readonly number[] | undefined;
  readonly endsTurns: boolean | undefined;
  /** The rate each opened stream was asked for (undefined: the recogniser's own). */
  readonly streamRates: (number | undefined)[] = [];

  /** `endsTurns`: it reports end of turn itself, like Deepgram Flux; `acceptsSampleRates`: rates it takes as they are. */
  constructor(o: { endsTurns?: boolean; acceptsSampleRates?: number[] } = {}) {
    this.endsTurns = o.endsTurns;
    this.acceptsSampleRates = o.acceptsSampleRates;
  }
  #stream: (SttStream & { emit(e: SttEvent): void; fail(e: Error): void }) | undefined;
  pushedSamples = 0;
  /** Streams opened so far (a session reopens one that failed). */
  opened = 0;
  #openWaiters: { n: number; resolve: () => void }[] = [];

  /** Resolves once `n` streams have been opened. */
  whenOpened(n: number): Promise<void> {
    if (this.opened >= n) return Promise.resolve();
    return new Promise((resolve) => this.#openWaiters.push({ n, resolve }));
  }

  stream(o?: { sampleRate?: number }): SttStream {
    this.streamRates.push(o?.sampleRate);
    const queue: SttEvent[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    let failure: Error | undefined;
    const self = this;
    this.opened++;
    for (const w of this.#openWaiters.filter((w) => this.opened >= w.n)) w.resolve();
    const s = {
      push(pcm: Int16Array) {
        self.pushedSamples += pcm.length;
      },
      end() {
        ended = true;
        wake?.();
      },
      emit(e: SttEvent) {
        queue.push(e);
        wake?.();
      },
      fail(e: Error) {
        failure = e;
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (failure) throw failure;
          if (queue.length) {
            yield queue.shift()!;
            continue;
          }
          if (ended) return;
          await new Promise<void>((r) => (wake = r));
        }
      },
    };
    this.#stream = s;
    return s;
  }

  /** The recogniser "hears" words. */
  hear(text: string, type: 'partial' | 'final' = 'final', endOfTurn?: SttEvent['endOfTurn']): void {
    this.#stream?.emit({ type, text, atMs: 0, ...(endOfTurn ? { endOfTurn } : {}) });
  }

  /** The open stream fails, as a vendor socket that drops. */
  fail(message = 'recogniser connection lost'): void {
    this.#stream?.fail(new Error(message));
  }
}

/** A VAD the test switches: the next pushed frame reports the queued transition. */
export class ScriptedVad {
  #pending: ('speech-start' | 'speech-end')[] = [];
  start(): void {
    this.#pending.push('speech-start');
  }
  stop(): void {
    this.#pending.push('speech-end');
  }
  push(): { type: 'speech-start' | 'speech-end'; atMs: number }[] {
    return this.#pending.splice(0).map((type) => ({ type, atMs: 0 }));
  }
}

/** A TTS that fails: at once, or after `afterChunks` chunks of audio (a vendor that drops mid-sentence). */
export class FailingTts implements TextToSpeech {
  readonly id: string;
  readonly sampleRate = 16000;
  calls = 0;
  #afterChunks: number;
  constructor(o: { id?: string; afterChunks?: number } = {}) {
    this.id = o.id ?? 'failing:tts';
    this.#afterChunks = o.afterChunks ?? 0;
  }
  async *speak(text: AsyncIterable<string>): AsyncIterable<Int16Array> {
    this.calls++;
    for await (const _ of text) {
      for (let i = 0; i < this.#afterChunks; i++) yield new Int16Array(320).fill(500);
      throw new Error(`${this.id} returned 503 Service Unavailable`);
    }
  }
}

/** A TTS that speaks `msPerChar` of silence per character, first audio after `firstAudioMs`. */
export class TimedTts implements TextToSpeech {
  readonly id = 'timed:tts';
  readonly sampleRate: number;
  readonly spoken: string[] = [];
  #msPerChar: number;
  #firstAudioMs: number;

  constructor(o: { sampleRate?: number; msPerChar?: number; firstAudioMs?: number } = {}) {
    this.sampleRate = o.sampleRate ?? 16000;
    this.#msPerChar = o.msPerChar ?? 50;
    this.#firstAudioMs = o.firstAudioMs ?? 0;
  }

  async *speak(text: AsyncIterable<string>, o: { signal: AbortSignal }): AsyncIterable<Int16Array> {
    for await (const piece of text) {
      if (o.signal.aborted) return;
      this.spoken.push(piece);
      if (this.#firstAudioMs) await new Promise((r) => setTimeout(r, this.#firstAudioMs));
      let samples = Math.round((piece.length * this.#msPerChar * this.sampleRate) / 1000);
      const chunk = Math.round(this.sampleRate / 50); // 20 ms
      while (samples > 0 && !o.signal.aborted) {
        const n = Math.min(chunk, samples);
        samples -= n;
        yield new Int16Array(n).fill(1000); // audible, so recordings can be checked
      }
    }
  }
}
