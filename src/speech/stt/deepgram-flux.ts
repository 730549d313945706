import { SpeechUnavailableError, type SpeechToText, type SttEvent, type SttStream } from '../types.ts';
import { DeepgramSocket, wsOrigin } from './deepgram.ts';

// Deepgram Flux (https://developers.deepgram.com/docs/flux/quickstart): conversational speech
// recognition whose model decides when the speaker's turn ends. `GET /v2/listen?model=flux-…`
// over a WebSocket, `Authorization: Token <key>`; linear16 audio up (80 ms chunks recommended),
// JSON down: `Connected`, then `TurnInfo` messages whose `event` is `StartOfTurn`, `Update`
// (~every 250 ms), `EagerEndOfTurn` (only when `eager_eot_threshold` is set), `TurnResumed`
// (after an eager end, speech went on) and `EndOfTurn`; `transcript` is the whole turn so far.
// A fatal `Error` message carries `code` and `description`. `CloseStream` ends the stream.
//
// Parley maps them to SttEvents: updates are partials, `EndOfTurn` is the final with
// `endOfTurn: 'end'`, and eager/resumed are partials marked as such; turn-taking (detector
// `flux`) then ends the turn when Flux says so instead of running its own timer.

const SAMPLE_RATE = 16_000;
const RATES = [8000, 16_000] as const;

/** Settings for a Flux recogniser; the thresholds are Flux's own (see docs/turn-taking.md). */
export interface DeepgramFluxOptions {
  /** flux-general-en, or flux-general-multi. */
  model: string;
  apiKey: string;
  baseURL?: string;
  /** End-of-turn confidence needed for EndOfTurn (0.5–1.0; Flux's default 0.7). */
  eotThreshold?: number;
  /** Confidence for EagerEndOfTurn (0.3–0.9); unset: no eager events. */
  eagerEotThreshold?: number;
  /** Silence after which Flux ends the turn whatever its confidence (500–10000 ms; Flux's default 5000). */
  eotTimeoutMs?: number;
  keepAliveMs?: number;
}

/** Whether a `deepgram:<model>` is a Flux model (served on /v2/listen). */
export function isFluxModel(model: string): boolean {
  return /^flux-/i.test(model);
}

/** `deepgram:flux-general-en`: streaming speech-to-text whose model ends the caller's turns. */
export class DeepgramFluxStt implements SpeechToText {
  readonly id: string;
  readonly sampleRate = SAMPLE_RATE;
  readonly acceptsSampleRates = RATES;
  readonly endsTurns = true;
  readonly #o: DeepgramFluxOptions;

  constructor(o: DeepgramFluxOptions) {
    this.id = `deepgram:${o.model}`;
    this.#o = o;
  }

  /** The documented /v2/listen URL. */
  url(language: string, sampleRate: number = SAMPLE_RATE): URL {
    const url = new URL('/v2/listen', wsOrigin(this.#o.baseURL ?? 'https://api.deepgram.com'));
    const q = url.searchParams;
    q.set('model', this.#o.model);
    q.set('encoding', 'linear16');
    q.set('sample_rate', String(sampleRate));
    if (this.#o.eotThreshold !== undefined) q.set('eot_threshold', String(this.#o.eotThreshold));
    if (this.#o.eagerEotThreshold !== undefined) q.set('eager_eot_threshold', String(this.#o.eagerEotThreshold));
    if (this.#o.eotTimeoutMs !== undefined) q.set('eot_timeout_ms', String(Math.round(this.#o.eotTimeoutMs)));
    if (/multi/i.test(this.#o.model) && language) q.set('language_hint', language.split('-')[0]!.toLowerCase());
    return url;
  }

  stream(o: { language: string; signal: AbortSignal; sampleRate?: number }): SttStream {
    if (/-en$/i.test(this.#o.model) && !/^en\b/i.test(o.language)) {
      throw new SpeechUnavailableError(`deepgram:${this.#o.model} only knows English, not "${o.language}"; use deepgram:flux-general-multi or another recogniser`);
    }
    if (o.signal.aborted) return { push() {}, end() {}, async *[Symbol.asyncIterator]() {} };
    const rate = o.sampleRate ?? SAMPLE_RATE;
    if (!(RATES as readonly number[]).includes(rate)) throw new Error(`deepgram flux: cannot send audio at ${rate} Hz; use 8000 or 16000`);
    return new DeepgramSocket(this.url(o.language, rate), { ...this.#o, sampleRate: rate }, o.signal, readTurnInfo);
  }
}

/** Flux's `TurnInfo`, the fields Parley reads. */
interface TurnInfo {
  type: 'TurnInfo';
  event: 'Update' | 'StartOfTurn' | 'EagerEndOfTurn' | 'TurnResumed' | 'EndOfTurn';
  turn_index: number;
  audio_window_end?: number;
  transcript?: string;
  words?: Array<{ word: string; confidence: number }>;
}

/** One Flux server message → events. */
function readTurnInfo(msg: { type?: string; [k: string]: unknown }, atMs: number): SttEvent[] | Error {
  if (msg.type === 'Error') return new Error(`deepgram flux: ${String(msg.code ?? 'error')}: ${String(msg.description ?? 'no description')}`);
  if (msg.type !== 'TurnInfo') return []; // Connected, and anything newer than this adapter
  const t = msg as unknown as TurnInfo;
  const text = (t.transcript ?? '').trim();
  const confidence = t.words?.length ? t.words.reduce((a, w) => a + (w.confidence ?? 0), 0) / t.words.length : undefined;
  const base = { text, atMs, ...(confidence !== undefined ? { confidence } : {}) };
  switch (t.event) {
    case 'EndOfTurn':
      return [{ ...base, type: 'final', endOfTurn: 'end' }];
    case 'EagerEndOfTurn':
      return [{ ...base, type: 'partial', endOfTurn: 'eager' }];
    case 'TurnResumed':
      return [{ ...base, type: 'partial', endOfTurn: 'resumed' }];
    default:
      return text ? [{ ...base, type: 'partial' }] : [];
  }
}
