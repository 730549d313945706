// The simulated call's edges, with the misbehaviour its world asks for: a voice that fails or
// stalls, a recogniser that errors, closes or goes deaf, a door that checks nothing is sent after
// the end. Timing comes from the global timers, which the simulator replaces with a virtual clock.
import type { ClientEvent } from '../../src/channels/channel.ts';
import type { SttEvent, SttStream, SpeechToText, TextToSpeech } from '../../src/speech/types.ts';
import { MemoryChannel } from '../../src/testing/voice.ts';
import type { EarsBehaviour, VoiceBehaviour } from './world.ts';

/** A door that notes anything sent or played after the `end` event. */
export class CheckedChannel extends MemoryChannel {
  endedAt: number | undefined;
  ends = 0;
  readonly afterEnd: string[] = [];

  override send(event: ClientEvent): void {
    if (this.endedAt !== undefined) this.afterEnd.push(`sent ${JSON.stringify(event).slice(0, 80)} after the end`);
    if (event.type === 'end') {
      this.ends++;
      this.endedAt = performance.now();
    }
    super.send(event);
  }

  override play(pcm: Int16Array): void {
    if (this.endedAt !== undefined) this.afterEnd.push(`played ${pcm.length} samples after the end`);
    super.play(pcm);
  }
}

/** A voice that speaks `msPerChar` of audio per character, misbehaving on the calls its world says. */
export class SimVoice implements TextToSpeech {
  readonly id: string;
  readonly sampleRate = 16000;
  #calls = 0;
  #o: { msPerChar: number; firstAudioMs: number; behaviours: VoiceBehaviour[] };

  constructor(id: string, o: { msPerChar: number; firstAudioMs: number; behaviours: VoiceBehaviour[] }) {
    this.id = id;
    this.#o = o;
  }

  async *speak(text: AsyncIterable<string>, o: { signal: AbortSignal }): AsyncIterable<Int16Array> {
    const behaviour = this.#o.behaviours[this.#calls++ % this.#o.behaviours.length]!;
    for await (const piece of text) {
      if (o.signal.aborted) return;
      if (behaviour === 'fails-at-once') throw new Error(`${this.id}: 503 Service Unavailable`);
      if (behaviour === 'spins') for (;;) await Promise.resolve();
      if (behaviour === 'stalls') await until(o.signal, Infinity);
      else if (this.#o.firstAudioMs) await until(o.signal, this.#o.firstAudioMs);
      if (o.signal.aborted) return;
      let samples = Math.round((piece.length * this.#o.msPerChar * this.sampleRate) / 1000);
      let chunks = 0;
      while (samples > 0 && !o.signal.aborted) {
        if (behaviour === 'fails-mid-sentence' && ++chunks > 3) throw new Error(`${this.id}: connection reset`);
        const n = Math.min(8000, samples); // half a second of audio at a time
        samples -= n;
        yield new Int16Array(n).fill(1000);
      }
    }
  }
}

/** A recogniser the simulator dictates to, which errors, closes or goes deaf as its world says. */
export class SimEars implements SpeechToText {
  readonly id = 'sim:stt';
  readonly sampleRate = 16000;
  #streams: { emit(e: SttEvent): void; fail(e: Error): void; close(): void }[] = [];
  #behaviour: EarsBehaviour;
  #misbehaved = 0;
  #deaf = false;

  constructor(behaviour: EarsBehaviour) {
    this.#behaviour = behaviour;
  }

  stream(): SttStream {
    const queue: SttEvent[] = [];
    let wake: (() => void) | undefined;
    let state: 'open' | 'ended' | Error = 'open';
    // A reopened stream hears again, unless the world says it misbehaves again.
    if (this.#misbehaved && !(this.#behaviour.kind !== 'ok' && this.#behaviour.again)) this.#deaf = false;
    const s = {
      push() {},
      end() {
        if (state === 'open') state = 'ended';
        wake?.();
      },
      emit(e: SttEvent) {
        queue.push(e);
        wake?.();
      },
      fail(e: Error) {
        state = e;
        wake?.();
      },
      close() {
        s.end();
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (state instanceof Error) throw state;
          if (queue.length) {
            yield queue.shift()!;
            continue;
          }
          if (state === 'ended') return;
          await new Promise<void>((r) => (wake = r));
        }
      },
    };
    this.#streams.push(s);
    return s;
  }

  /** The recogniser heard `text`. */
  hear(text: string, type: 'partial' | 'final'): void {
    if (!this.#deaf) this.#streams.at(-1)?.emit({ type, text, atMs: 0 });
  }

  /** The world's misbehaviour, due now. */
  misbehave(): void {
    const b = this.#behaviour;
    if (b.kind === 'ok') return;
    this.#misbehaved++;
    const s = this.#streams.at(-1);
    if (b.kind === 'errors') s?.fail(new Error('recogniser connection lost'));
    else if (b.kind === 'closes') s?.close();
    else this.#deaf = true;
  }
}

/** A VAD the simulator switches: the next frame reports the queued transitions. */
export class SimVad {
  #pending: ('speech-start' | 'speech-end')[] = [];
  queue(t: 'speech-start' | 'speech-end'): void {
    this.#pending.push(t);
  }
  push(): { type: 'speech-start' | 'speech-end'; atMs: number }[] {
    return this.#pending.splice(0).map((type) => ({ type, atMs: 0 }));
  }
}

/** Resolves after `ms` (Infinity: never) or when `signal` aborts, whichever is first. */
function until(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = ms === Infinity ? undefined : setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
