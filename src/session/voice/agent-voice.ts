import type { Channel } from '../../channels/channel.ts';
import type { TextToSpeech, VoiceConfig } from '../../speech/types.ts';
import { speakablePieces } from './chunker.ts';
import { SpokenTimeline } from './heard-text.ts';

/** Converts PCM16 between sample rates (stateful, so chunk boundaries don't click). */
export type ResamplerFactory = (fromRate: number, toRate: number) => (pcm: Int16Array) => Int16Array;

/** The audio of one agent turn: every chunk kept, so a paused turn can resume where it stopped. */
interface TurnAudio {
  timeline: SpokenTimeline;
  chunks: Int16Array[];
  /** Samples (at the door's rate) of this turn handed to the door so far. */
  sentSamples: number;
  /** The door's heardMs() when this turn's first sample would play. */
  baseHeardMs: number;
  paused: boolean;
  /** Playout position (ms into the turn) where the pause happened. */
  pausedAtMs: number;
}

/**
 * The agent's mouth: speaks one turn's pieces through the TTS, piece by piece so every word
 * maps to a stretch of audio, queues the audio at the door, and can pause, resume or stop it
 * and say which words the caller actually heard.
 */
export class AgentVoice {
  #channel: Channel;
  #tts: TextToSpeech;
  #voice: VoiceConfig;
  #toDoor: (pcm: Int16Array) => Int16Array;
  #rate: number;
  #turn: TurnAudio | undefined;
  /** Everything handed to the door and not cleared, in ms: where the next turn starts playing. */
  #queuedMs = 0;

  #onQueued: ((pcm: Int16Array, sampleRate: number, startsInMs: number) => void) | undefined;

  constructor(o: { channel: Channel; tts: TextToSpeech; voice: VoiceConfig; resampler: ResamplerFactory; onQueued?: (pcm: Int16Array, sampleRate: number, startsInMs: number) => void }) {
    this.#onQueued = o.onQueued;
    this.#channel = o.channel;
    this.#tts = o.tts;
    this.#voice = o.voice;
    this.#rate = o.channel.outputSampleRate;
    this.#toDoor = o.tts.sampleRate === this.#rate ? (pcm) => pcm : o.resampler(o.tts.sampleRate, this.#rate);
  }

  /**
   * Speaks a turn's words as the model writes them; resolves when all audio is queued (not
   * played). A TTS with streaming input gets the words at once; any other gets them a clause at
   * a time, so every word maps to its stretch of audio.
   */
  async speak(words: AsyncIterable<string>, o: { signal: AbortSignal; onFirstAudio?: () => void }): Promise<void> {
    const heard = this.#channel.heardMs();
    const turn: TurnAudio = { timeline: new SpokenTimeline(), chunks: [], sentSamples: 0, baseHeardMs: Math.max(heard, this.#queuedMs), paused: false, pausedAtMs: 0 };
    this.#queuedMs = turn.baseHeardMs;
    this.#turn = turn;
    const first = { pending: true };
    if (this.#tts.streamingInput) {
      const text = tap(words, (t) => turn.timeline.appendText(t));
      await this.#play(turn, text, first, o);
      return;
    }
    for await (const piece of speakablePieces(words)) {
      if (o.signal.aborted) break;
      turn.timeline.add(piece, 0);
      await this.#play(turn, once(piece), first, o);
    }
  }

  async #play(turn: TurnAudio, text: AsyncIterable<string>, first: { pending: boolean }, o: { signal: AbortSignal; onFirstAudio?: () => void }): Promise<void> {
    for await (const raw of this.#tts.speak(text, { voice: this.#voice, signal: o.signal })) {
      if (o.signal.aborted) break;
      const pcm = this.#toDoor(raw);
      if (!pcm.length) continue;
      turn.chunks.push(pcm);
      turn.timeline.extendLast((pcm.length * 1000) / this.#rate);
      if (!turn.paused) this.#send(turn, pcm);
      if (first.pending) {
        first.pending = false;
        o.onFirstAudio?.();
      }
    }
  }

  /** Milliseconds of this turn's audio still to be played (0 when silent). */
  remainingMs(): number {
    const t = this.#turn;
    if (!t || t.paused) return 0;
    const left = this.#queuedMs - this.#channel.heardMs();
    return left < 1 ? 0 : left; // below a millisecond is float residue, not audio
  }

  /** Whether the current turn is paused (it still has audio to play). */
  get paused(): boolean {
    return this.#turn?.paused ?? false;
  }

  /** Whether audio of the current turn is queued or playing. */
  get speaking(): boolean {
    return this.remainingMs() > 0;
  }

  /** The words of the current turn the caller has heard so far. */
  heardText(): string {
    const t = this.#turn;
    return t ? t.timeline.heardText(this.#positionMs(t)) : '';
  }

  /** The text generated for the current turn (heard or not). */
  fullText(): string {
    return this.#turn?.timeline.fullText() ?? '';
  }

  /** Stops playout now but keeps the turn, in case the interruption was only noise. */
  pause(): void {
    const t = this.#turn;
    if (!t || t.paused) return;
    t.pausedAtMs = this.#positionMs(t);
    t.paused = true;
    this.#channel.clear();
    this.#queuedMs = this.#channel.heardMs();
  }

  /** Plays on from where pause() stopped. */
  resume(): void {
    const t = this.#turn;
    if (!t || !t.paused) return;
    t.paused = false;
    const skip = Math.round((t.pausedAtMs * this.#rate) / 1000);
    t.baseHeardMs = this.#queuedMs - t.pausedAtMs;
    t.sentSamples = 0;
    let offset = 0;
    for (const c of t.chunks) {
      const from = Math.max(0, skip - offset);
      offset += c.length;
      t.sentSamples += Math.min(c.length, from);
      if (from < c.length) this.#send(t, from ? c.subarray(from) : c);
    }
  }

  /** Drops the rest of the turn; returns the words heard. */
  stop(): string {
    const t = this.#turn;
    if (!t) return '';
    const heard = t.timeline.heardText(t.paused ? t.pausedAtMs : this.#positionMs(t));
    this.#channel.clear();
    this.#queuedMs = this.#channel.heardMs();
    this.#turn = undefined;
    return heard;
  }

  #send(t: TurnAudio, pcm: Int16Array): void {
    // Tell the recording where this audio will sit: after everything already queued.
    this.#onQueued?.(pcm, this.#rate, Math.max(0, this.#queuedMs - this.#channel.heardMs()));
    this.#channel.play(pcm);
    t.sentSamples += pcm.length;
    this.#queuedMs = t.baseHeardMs + (t.sentSamples * 1000) / this.#rate;
  }

  #positionMs(t: TurnAudio): number {
    if (t.paused) return t.pausedAtMs;
    return Math.max(0, Math.min(this.#channel.heardMs() - t.baseHeardMs, (t.sentSamples * 1000) / this.#rate));
  }
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function* tap(text: AsyncIterable<string>, see: (t: string) => void): AsyncGenerator<string> {
  for await (const t of text) {
    see(t);
    yield t;
  }
}
