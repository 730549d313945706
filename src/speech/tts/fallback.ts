import type { TextToSpeech, VoiceConfig } from '../types.ts';

/** One voice to try: the engine and the voice settings it speaks with. */
export interface VoiceOption {
  tts: TextToSpeech;
  voice?: VoiceConfig;
}

/**
 * `voice` then `voice.fallback` from agent.yaml as one TextToSpeech: when an engine fails, the
 * next one takes over for this turn and the rest of the conversation (a vendor that just failed
 * is not tried again mid-call). Text the failed engine had taken but not yet voiced is replayed
 * when no audio had come out; after audio did, the next engine picks up from the words not yet
 * taken, so nothing is said twice. Audio is resampled to the first engine's rate.
 */
export class FallbackTts implements TextToSpeech {
  readonly sampleRate: number;
  readonly streamingInput: boolean;
  #options: VoiceOption[];
  #active = 0;
  #onFailure: (engine: string, error: unknown) => void;
  #resampler: (from: number, to: number) => (pcm: Int16Array) => Int16Array;

  #firstAudioTimeoutMs: number;

  constructor(options: VoiceOption[], o: { onFailure: (engine: string, error: unknown) => void; resampler: (from: number, to: number) => (pcm: Int16Array) => Int16Array; firstAudioTimeoutMs?: number }) {
    if (!options.length) throw new Error('FallbackTts needs at least one voice');
    this.#options = options;
    this.sampleRate = options[0]!.tts.sampleRate;
    // Streaming input only when every engine takes it: a fallback must accept what the session sends.
    this.streamingInput = options.every((v) => v.tts.streamingInput);
    this.#onFailure = o.onFailure;
    this.#resampler = o.resampler;
    this.#firstAudioTimeoutMs = o.firstAudioTimeoutMs ?? 5000;
  }

  /** The engine speaking now (the first until it fails): usage and cost are counted under it. */
  get id(): string {
    return this.#options[this.#active]!.tts.id;
  }

  async *speak(text: AsyncIterable<string>, o: { voice: VoiceConfig; signal: AbortSignal }): AsyncIterable<Int16Array> {
    const source = text[Symbol.asyncIterator]();
    let taken: string[] = [];
    let sourceDone = false;
    for (;;) {
      const option = this.#options[this.#active]!;
      const replay = taken;
      taken = [...replay];
      // An engine that takes text and gives no audio in time has failed (a hung vendor is dead air).
      // The clock restarts with each new piece of text until audio comes, so a pause in the model's
      // words (a tool running) is not blamed on the voice.
      const attempt = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      let voiced = false;
      const startClock = () => {
        if (voiced) return;
        clearTimeout(timer);
        timer = setTimeout(() => attempt.abort(new Error(`no audio within ${this.#firstAudioTimeoutMs} ms of its text`)), this.#firstAudioTimeoutMs);
      };
      const input = (async function* () {
        if (replay.length) startClock();
        yield* replay;
        while (!sourceDone) {
          const next = await source.next();
          if (next.done) {
            sourceDone = true;
            return;
          }
          taken.push(next.value);
          startClock();
          yield next.value;
        }
      })();
      const toRate = option.tts.sampleRate === this.sampleRate ? (p: Int16Array) => p : this.#resampler(option.tts.sampleRate, this.sampleRate);
      try {
        for await (const pcm of option.tts.speak(input, { voice: option.voice ?? o.voice, signal: AbortSignal.any([o.signal, attempt.signal]) })) {
          if (!voiced) clearTimeout(timer);
          voiced = true;
          if (attempt.signal.aborted) break;
          yield toRate(pcm);
        }
        clearTimeout(timer);
        if (attempt.signal.aborted && !o.signal.aborted) throw attempt.signal.reason;
        return;
      } catch (e) {
        clearTimeout(timer);
        if (o.signal.aborted) return;
        const error = attempt.signal.aborted ? attempt.signal.reason : e;
        this.#onFailure(option.tts.id, error);
        if (this.#active === this.#options.length - 1) throw error;
        this.#active++;
        // What was voiced was heard; only a silent failure replays its text.
        if (voiced) taken = [];
      }
    }
  }
}
