import { execFile } from 'node:child_process';
import { pcmFromBytes } from '../../audio/frame.ts';
import { Resampler } from '../../audio/resample.ts';
import { parseWavHeader, type WavHeader } from '../../audio/wav.ts';
import { findExecutable, startProcess } from '../local-process.ts';
import { SpeechUnavailableError, type TextToSpeech, type VoiceConfig, type VoiceInfo } from '../types.ts';

// `local:flite` — CMU Flite from Debian's `flite` package: offline, instant, robotic. One flite
// process per sentence (`flite -voice rms -t TEXT -o /dev/stdout | cat`: Node's stdio pipes are
// socket pairs, which flite cannot open as /dev/stdout, so cat relays). flite writes a whole WAV
// for its text only when done, so a sentence is the unit of streaming: the first one plays
// while the model is still writing the next. Starting flite costs ~10 ms and a sentence takes ~3%
// of its duration to synthesise (bench/README.md), so the first audio comes ~0.1 s after the text.
//
// The built-in voices speak at 16 kHz except `kal` (8 kHz); whatever flite returns is resampled
// to `sampleRate`, so the declared rate is always the rate yielded.

/** Where flite is and which voice to use when the agent names none. */
export interface FliteOptions {
  /** Binary name or path (default `flite`). */
  binary?: string;
  /** Voice when VoiceConfig.voiceId is not set: a built-in name or a .flitevox path (default `rms`). */
  voice?: string;
}

const DEFAULT_VOICE = 'rms';
const SAMPLE_RATE = 16000;
/**
 * Speech is cut at sentence ends. Not at commas: every flite call adds its own lead-in and
 * trailing silence, so a comma would become a long pause; only a run longer than MAX_CLAUSE
 * is cut at its last comma (or space).
 */
const SENTENCE_END = /[.!?…;:]["')\]]*(?:\s+|$)/g;
const MAX_CLAUSE = 200;

/** Offline TTS through the flite binary. */
export class FliteTts implements TextToSpeech {
  readonly id = 'local:flite';
  readonly sampleRate = SAMPLE_RATE;
  #binaryName: string;
  #defaultVoice: string;
  #voices: Promise<string[]> | null = null;

  constructor(o: FliteOptions = {}) {
    this.#binaryName = o.binary ?? 'flite';
    this.#defaultVoice = o.voice ?? DEFAULT_VOICE;
  }

  /** Built-in voices of the installed flite (`flite -lv`). */
  async voices(signal: AbortSignal): Promise<VoiceInfo[]> {
    const names = await this.#voiceNames(this.#binary(), signal);
    return names.map((id) => ({ id, name: id, language: 'en', kind: 'local' as const }));
  }

  async *speak(text: AsyncIterable<string>, o: { voice: VoiceConfig; signal: AbortSignal }): AsyncGenerator<Int16Array> {
    o.signal.throwIfAborted();
    const binary = this.#binary();
    const voice = o.voice.voiceId ?? this.#defaultVoice;
    await this.#checkVoice(binary, voice, o.signal);
    // flite's duration_stretch is the inverse of speed: 2 = half as fast.
    const stretch = 1 / Math.min(2, Math.max(0.5, o.voice.speed || 1));
    for await (const clause of clauses(text, o.signal)) {
      yield* this.#synthesize(binary, ['-voice', voice, '--setf', `duration_stretch=${stretch.toFixed(3)}`, '-t', clause], o.signal);
    }
  }

  async *#synthesize(binary: string, args: string[], signal: AbortSignal): AsyncGenerator<Int16Array> {
    signal.throwIfAborted();
    // "$0" is the binary, "$@" its flags: the text never passes through shell quoting.
    const proc = startProcess('sh', ['-c', '"$0" "$@" -o /dev/stdout | cat', binary, ...args]);
    proc.child.stdin.end();
    const onAbort = () => proc.kill();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      let header: WavHeader | null = null;
      let pending: Uint8Array = new Uint8Array(0);
      let resampler: Resampler | null = null;
      for await (const chunk of proc.child.stdout as AsyncIterable<Buffer>) {
        if (signal.aborted) break;
        pending = pending.length ? concatBytes(pending, chunk) : new Uint8Array(chunk);
        if (!header) {
          header = parseWavHeader(pending);
          if (!header) continue;
          if (header.channels !== 1) throw new Error(`flite returned ${header.channels}-channel audio`);
          if (header.sampleRate !== SAMPLE_RATE) resampler = new Resampler(header.sampleRate, SAMPLE_RATE);
          pending = pending.subarray(header.dataOffset);
        }
        const whole = pending.length & ~1; // a sample may straddle two reads
        if (!whole) continue;
        const pcm = pcmFromBytes(pending.slice(0, whole));
        pending = pending.subarray(whole);
        const out = resampler ? resampler.process(pcm) : pcm;
        if (out.length) yield out;
      }
      const { code, signal: killedBy } = await proc.exited;
      signal.throwIfAborted();
      // The pipeline's status is cat's; flite's own failure shows as no WAV at all.
      if (code !== 0 || !header) throw new Error(`flite produced no audio (${killedBy ?? `exit ${code}`}): ${proc.stderr() || 'no message'}`);
      const tail = resampler?.flush();
      if (tail?.length) yield tail;
    } finally {
      signal.removeEventListener('abort', onAbort);
      proc.kill();
      await proc.exited;
    }
    signal.throwIfAborted();
  }

  #binary(): string {
    const path = findExecutable(this.#binaryName);
    if (!path) throw new SpeechUnavailableError(`local:flite needs the flite program, which is not installed: apt-get install flite (Debian/Ubuntu), or set the voice to a cloud TTS.`);
    return path;
  }

  /** flite silently falls back to its default voice on an unknown name; say so instead. */
  async #checkVoice(binary: string, voice: string, signal: AbortSignal): Promise<void> {
    if (voice.includes('/') || voice.endsWith('.flitevox')) return;
    const names = await this.#voiceNames(binary, signal);
    if (!names.includes(voice)) throw new SpeechUnavailableError(`local:flite has no voice "${voice}"; installed voices: ${names.join(', ')}.`);
  }

  #voiceNames(binary: string, signal: AbortSignal): Promise<string[]> {
    this.#voices ??= new Promise<string[]>((resolve, reject) => {
      execFile(binary, ['-lv'], { signal, timeout: 10_000 }, (err, stdout) => {
        if (err) return reject(err);
        resolve(stdout.replace(/^.*?:/s, '').trim().split(/\s+/).filter(Boolean));
      });
    });
    // A failed or aborted look-up is not cached.
    return this.#voices.catch((err: unknown) => {
      this.#voices = null;
      throw err;
    });
  }
}

/** Creates the `local:flite` provider. */
export function createFliteTts(o: FliteOptions = {}): FliteTts {
  return new FliteTts(o);
}

/**
 * Text deltas → speakable clauses, each as soon as it is complete. Whatever the caller sends
 * (tokens, clauses, a whole answer), flite gets pieces that end at punctuation.
 */
export async function* clauses(text: AsyncIterable<string>, signal: AbortSignal): AsyncGenerator<string> {
  let buffer = '';
  const it = text[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const r = await nextOrAbort(it, signal);
      if (r.done) {
        finished = true;
        break;
      }
      buffer += r.value;
      for (let cut = nextCut(buffer); cut > 0; cut = nextCut(buffer)) {
        const piece = buffer.slice(0, cut);
        buffer = buffer.slice(cut);
        if (speakable(piece)) yield piece.trim();
      }
    }
  } finally {
    // Stopping early (abort, consumer gone) stops the producer too, as for-await would; without
    // waiting for it, since an aborted producer may be stuck.
    if (!finished) void it.return?.()?.catch(() => {});
  }
  if (speakable(buffer)) yield buffer.trim();
}

/** Index just past the first complete piece in `s` (0 when none is complete yet). */
function nextCut(s: string): number {
  SENTENCE_END.lastIndex = 0;
  const m = SENTENCE_END.exec(s);
  if (m && m.index + m[0].length <= MAX_CLAUSE) return m.index + m[0].length;
  if (s.length <= MAX_CLAUSE) return 0;
  const head = s.slice(0, MAX_CLAUSE);
  const comma = head.lastIndexOf(', ');
  if (comma > 0) return comma + 2;
  const space = head.lastIndexOf(' ');
  return space > 0 ? space + 1 : MAX_CLAUSE;
}

function speakable(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

/** The iterator's next value, or the abort reason as soon as the signal fires. */
function nextOrAbort<T>(it: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T>> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    it.next().then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
