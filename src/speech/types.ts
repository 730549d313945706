// Speech behind two small interfaces, one file per provider under stt/ and tts/.
// Audio is mono PCM16 (`Int16Array`) with an explicit sample rate; streams are AsyncIterables;
// every call takes an AbortSignal. Providers know only their vendor, never the session.

/** What a recogniser reports: interim words, and final text for a stretch of speech. */
export type SttEvent = {
  type: 'partial' | 'final';
  text: string;
  /** Milliseconds of audio pushed when the event was produced (the stream's own clock). */
  atMs: number;
  /** Recogniser's confidence 0..1 when it gives one. */
  confidence?: number;
  /**
   * The recogniser's own call on the caller's turn (Deepgram Flux): `eager` — probably finished,
   * `resumed` — not finished after all, `end` — finished. With it, `text` is the whole turn so far.
   */
  endOfTurn?: 'eager' | 'resumed' | 'end';
};

/** One recognition stream: push caller audio in, read events out. */
export interface SttStream extends AsyncIterable<SttEvent> {
  push(pcm: Int16Array): void;
  /** No more audio: flush and finish the events. */
  end(): void;
}

/** A speech-to-text provider ("deepgram:nova-3", "local:pocketsphinx"). */
export interface SpeechToText {
  readonly id: string;
  /** Sample rate the provider wants its input in; the session resamples to it. */
  readonly sampleRate: number;
  /** Other rates it takes as they are (e.g. 8 kHz phone audio), so the session need not resample. */
  readonly acceptsSampleRates?: readonly number[];
  /** It decides when the caller's turn ends (SttEvent.endOfTurn) — turn-taking then follows it. */
  readonly endsTurns?: boolean;
  /** `sampleRate`: the rate of the audio pushed, one of `acceptsSampleRates` (default `this.sampleRate`). */
  stream(o: { language: string; signal: AbortSignal; sampleRate?: number }): SttStream;
}

/** Which voice to speak in, from agent.yaml's `voice` block. */
export interface VoiceConfig {
  voiceId?: string;
  speed: number;
  language?: string;
}

/** A text-to-speech provider ("elevenlabs:eleven_flash_v2_5", "local:flite"). */
export interface TextToSpeech {
  readonly id: string;
  /** Sample rate of the audio it yields. */
  readonly sampleRate: number;
  /**
   * The vendor takes text as it is written (a WebSocket input stream) and decides itself when to
   * start audio; the session then streams tokens straight in instead of waiting for a clause.
   */
  readonly streamingInput?: boolean;
  /** Speaks text as it arrives (clauses or tokens); yields PCM16 chunks as soon as they exist. */
  speak(text: AsyncIterable<string>, o: { voice: VoiceConfig; signal: AbortSignal }): AsyncIterable<Int16Array>;
}

/** A voice a provider offers. */
export interface VoiceInfo {
  id: string;
  name: string;
  language?: string;
  gender?: string;
  /** As the provider labels it: american, british, australian… */
  accent?: string;
  age?: string;
  description?: string;
  kind: 'stock' | 'cloned' | 'local';
}

/** The provider is not usable here (no key, no binary, no model); the message says what to do. */
export class SpeechUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpeechUnavailableError';
  }
}
