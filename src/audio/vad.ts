import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { modelsDir } from '../util/models-dir.ts';
import { toFloat32 } from './frame.ts';

// Voice activity detection: where the caller's speech starts and ends in 16 kHz audio. Silero
// VAD (a small neural model) run by sherpa-onnx's native addon, which brings its own ONNX
// runtime. The model file (2 MB) is not in this repo: `parley models pull silero_vad` puts it in
// the models folder; a development install also finds it in the npm package @ricky0123/vad-web
// (a devDependency: its own dependency onnxruntime-web is 139 MB a deployment does not need).
//
// How sherpa-onnx decides, in 32 ms windows (512 samples): speech starts once the model's
// probability has stayed above `threshold` for `minSpeechMs`; it ends once it has stayed below
// for `minSilenceMs` (while in speech it keeps going down to threshold − 0.15). Boundaries are
// reported at the stream time they happened, not when they were decided: speech-start comes
// ~minSpeechMs after the onset and carries the onset's time; speech-end comes ~minSilenceMs
// (plus the model's own ~100–150 ms decay) after the last word and carries the time speech stopped.

/** A speech boundary, at `atMs` milliseconds of audio pushed since the detector was created. */
export type VoiceActivityEvent = { type: 'speech-start' | 'speech-end'; atMs: number };

/** Finds speech in a stream of 16 kHz mono PCM16; push any chunk size. */
export interface VoiceActivity {
  /** Sample rate it expects (16000). */
  readonly sampleRate: number;
  /** Whether speech is in progress after the audio pushed so far. */
  readonly speaking: boolean;
  /** Feeds audio; returns the boundaries it decided on, in order. */
  push(pcm: Int16Array): VoiceActivityEvent[];
  /** End of audio: closes a segment still open (speech-end at the end of the audio). */
  flush(): VoiceActivityEvent[];
  /** Forgets all state and restarts the clock at 0. */
  reset(): void;
  /** Releases native resources; the detector is unusable afterwards. */
  close(): void;
}

/** How eager the detector is. */
export interface VoiceActivitySettings {
  /** Speech probability (Silero, 0..1) above which a window is speech. */
  threshold: number;
  /** Speech shorter than this is ignored (coughs, clicks). */
  minSpeechMs: number;
  /** Silence needed inside speech before it counts as ended (pauses between words are shorter). */
  minSilenceMs: number;
  /** Longest segment before sherpa-onnx forces a cut with a stricter threshold. */
  maxSpeechMs: number;
}

/** Defaults: Silero's own threshold and minimum speech; a short silence, because turn-taking waits on top of it. */
export const DEFAULT_VOICE_ACTIVITY: VoiceActivitySettings = { threshold: 0.5, minSpeechMs: 250, minSilenceMs: 300, maxSpeechMs: 30_000 };

/**
 * Settings from agent.yaml `listen.turn`. The VAD must never be slower to decide than the
 * turn-taking that waits on it: speech-end can come no later than the endpointing delay, and a
 * speech-start no later than the speech needed to interrupt. The probability threshold has no
 * counterpart there and stays at its default.
 */
export function voiceActivityFromTurn(turn: { minEndpointingDelayMs: number; minInterruptionMs: number }, base: VoiceActivitySettings = DEFAULT_VOICE_ACTIVITY): VoiceActivitySettings {
  return {
    ...base,
    minSilenceMs: Math.min(base.minSilenceMs, turn.minEndpointingDelayMs),
    minSpeechMs: Math.min(base.minSpeechMs, turn.minInterruptionMs),
  };
}

/** Voice activity detection cannot run here; the message says what is missing. */
export class VoiceActivityUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoiceActivityUnavailableError';
  }
}

const SAMPLE_RATE = 16000;
const WINDOW = 512; // Silero v5 at 16 kHz
const PACKAGED_MODEL = '@ricky0123/vad-web/dist/silero_vad_v5.onnx';

/** The parts of sherpa-onnx-node's Vad this file uses. */
interface SherpaVad {
  acceptWaveform(samples: Float32Array): void;
  isEmpty(): boolean;
  isDetected(): boolean;
  front(enableExternalBuffer?: boolean): { start: number; samples: Float32Array };
  pop(): void;
  flush(): void;
  reset(): void;
}
type SherpaModule = { Vad: new (config: object, bufferSeconds: number) => SherpaVad };

const require = createRequire(import.meta.url);

/** Silero VAD (v5) through sherpa-onnx-node. Throws VoiceActivityUnavailableError when it cannot load. */
export function createSileroVad(settings: Partial<VoiceActivitySettings> = {}): VoiceActivity {
  return new SileroVad({ ...DEFAULT_VOICE_ACTIVITY, ...settings });
}

/** Where `parley models pull silero_vad` puts the model. */
export function pulledSileroModel(env: NodeJS.ProcessEnv = process.env): string {
  return join(modelsDir(env), 'silero_vad', 'silero_vad.onnx');
}

/** Path of the Silero model: the pulled one, else the one inside @ricky0123/vad-web when that is installed. */
export function sileroModelPath(env: NodeJS.ProcessEnv = process.env): string {
  const pulled = pulledSileroModel(env);
  if (existsSync(pulled)) return pulled;
  try {
    return require.resolve(PACKAGED_MODEL);
  } catch {
    throw new VoiceActivityUnavailableError(
      `Silero VAD needs its model file (2 MB), which is not at ${pulled}: run \`parley models pull silero_vad\` once (it needs internet access; offline, it prints the URL to fetch by hand).`,
    );
  }
}

class SileroVad implements VoiceActivity {
  readonly sampleRate = SAMPLE_RATE;
  #settings: VoiceActivitySettings;
  #vad: SherpaVad | null;
  #pushed = 0;
  #speaking = false;
  /** Where the open segment started (samples). */
  #startedAt = 0;
  /** Where the last segment ended; a new start never goes before it. */
  #lastEnd = 0;

  constructor(settings: VoiceActivitySettings) {
    this.#settings = settings;
    const sherpa = loadSherpa();
    const model = sileroModelPath();
    const config = {
      sileroVad: {
        model,
        threshold: settings.threshold,
        minSpeechDuration: settings.minSpeechMs / 1000,
        minSilenceDuration: settings.minSilenceMs / 1000,
        maxSpeechDuration: settings.maxSpeechMs / 1000,
        windowSize: WINDOW,
      },
      sampleRate: SAMPLE_RATE,
      numThreads: 1,
      provider: 'cpu',
      debug: false,
    };
    try {
      // The ring buffer holds the open segment; it must outlast the longest one.
      this.#vad = new sherpa.Vad(config, settings.maxSpeechMs / 1000 + 10);
    } catch (err) {
      throw new VoiceActivityUnavailableError(`Silero VAD could not load its model ${model}: ${(err as Error).message}`);
    }
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  push(pcm: Int16Array): VoiceActivityEvent[] {
    const vad = this.#live();
    this.#pushed += pcm.length;
    vad.acceptWaveform(toFloat32(pcm));
    const events: VoiceActivityEvent[] = [];
    this.#collect(vad, events);
    if (!this.#speaking && vad.isDetected()) {
      // sherpa-onnx opens the segment 2 windows + minSpeech before the window that confirmed it;
      // the same arithmetic gives its start now, before the segment (and its start) is handed out.
      const processed = Math.floor(this.#pushed / WINDOW) * WINDOW;
      const minSpeech = Math.round((this.#settings.minSpeechMs * SAMPLE_RATE) / 1000);
      this.#startedAt = Math.max(this.#lastEnd, processed - 2 * WINDOW - minSpeech, 0);
      this.#speaking = true;
      events.push({ type: 'speech-start', atMs: toMs(this.#startedAt) });
    }
    return events;
  }

  flush(): VoiceActivityEvent[] {
    const vad = this.#live();
    const events: VoiceActivityEvent[] = [];
    this.#collect(vad, events);
    if (this.#speaking) {
      vad.flush();
      while (!vad.isEmpty()) vad.pop();
      this.#speaking = false;
      this.#lastEnd = this.#pushed;
      events.push({ type: 'speech-end', atMs: toMs(this.#pushed) });
    }
    return events;
  }

  reset(): void {
    this.#live().reset();
    this.#pushed = 0;
    this.#speaking = false;
    this.#startedAt = 0;
    this.#lastEnd = 0;
  }

  close(): void {
    // The addon frees the detector when the handle is collected; dropping it is all we can do.
    this.#vad = null;
  }

  /** Turns finished segments into speech-end events. */
  #collect(vad: SherpaVad, events: VoiceActivityEvent[]): void {
    while (!vad.isEmpty()) {
      const segment = vad.front(false);
      vad.pop();
      // sherpa-onnx ends a segment where the first window judged silent *ends*; the silence began
      // at that window's start, which is the better estimate of the last word's end.
      const end = Math.max(segment.start + segment.samples.length - WINDOW, this.#startedAt);
      if (!this.#speaking) events.push({ type: 'speech-start', atMs: toMs(segment.start) }); // a segment shorter than one push
      this.#speaking = false;
      this.#lastEnd = end;
      events.push({ type: 'speech-end', atMs: toMs(end) });
    }
  }

  #live(): SherpaVad {
    if (!this.#vad) throw new Error('voice activity detector is closed');
    return this.#vad;
  }
}

function loadSherpa(): SherpaModule {
  try {
    return require('sherpa-onnx-node') as SherpaModule;
  } catch (err) {
    const platform = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
    const first = String((err as Error).message).split('\n')[0];
    throw new VoiceActivityUnavailableError(
      `Silero VAD needs the npm package sherpa-onnx-node and its native part sherpa-onnx-${platform}, which could not be loaded (${first}). ` +
        `Run npm install; if sherpa-onnx has no build for ${platform}, use the energy VAD (createEnergyVad) instead.`,
    );
  }
}

function toMs(samples: number): number {
  return (samples * 1000) / SAMPLE_RATE;
}
