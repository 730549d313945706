import { availableParallelism } from 'node:os';
import { toFloat32 } from '../../audio/frame.ts';
import { createEnergyVad } from '../../audio/energy-vad.ts';
import { GatedVoiceActivity, sharedSileroPool } from '../../audio/gated-vad.ts';
import { DEFAULT_VOICE_ACTIVITY, VoiceActivityUnavailableError, type VoiceActivity } from '../../audio/vad.ts';
import { AsyncQueue } from '../../util/async-queue.ts';
import { checkOnnxFiles, configPaths, defaultThreads, listFolder, loadSherpaOnnx, need, pickOnnx, tokensFile, type ModelFolder } from '../sherpa-files.ts';
import { SpeechUnavailableError, type SpeechToText, type SttEvent, type SttStream } from '../types.ts';

// `sherpa:<model>` speech-to-text through sherpa-onnx-node, from a folder `parley models pull`
// unpacked. Two shapes of model:
//
// - streaming (an online transducer such as sherpa-onnx-streaming-zipformer-en-2023-06-26):
//   audio goes straight into an OnlineRecognizer; its hypothesis is a `partial` whenever it
//   changes, and a `final` at each endpoint (trailing silence) sherpa-onnx detects.
// - per utterance (Whisper, Moonshine, offline transducers such as Parakeet): a VAD (Silero, or
//   the energy VAD when sherpa's Silero cannot load) cuts the audio into utterances, and each is
//   decoded off the event loop (decodeAsync) into one `final`. No partials.
//
// The model kind comes from the files in the folder, so any sherpa-onnx model of these families
// works, not only the names `parley models list` shows.

const SAMPLE_RATE = 16000;

/** The sherpa-onnx config this engine runs a model with. */
export type SherpaSttConfig =
  | { kind: 'online'; config: OnlineRecognizerConfig }
  | { kind: 'offline'; family: 'whisper' | 'moonshine' | 'transducer'; config: OfflineRecognizerConfig };

interface OnlineRecognizerConfig {
  featConfig: { sampleRate: number; featureDim: number };
  modelConfig: { transducer: { encoder: string; decoder: string; joiner: string }; tokens: string; numThreads: number; provider: string; debug: number };
  decodingMethod: string;
  enableEndpoint: number;
  rule1MinTrailingSilence: number;
  rule2MinTrailingSilence: number;
  rule3MinUtteranceLength: number;
}

interface OfflineRecognizerConfig {
  featConfig: { sampleRate: number; featureDim: number };
  modelConfig: {
    whisper?: { encoder: string; decoder: string; language: string; task: string };
    moonshine?: { preprocessor: string; encoder: string; uncachedDecoder: string; cachedDecoder: string };
    transducer?: { encoder: string; decoder: string; joiner: string };
    modelType?: string;
    tokens: string;
    numThreads: number;
    provider: string;
    debug: number;
  };
  decodingMethod: string;
}

/** Options for the engine beyond the model folder. */
export interface SherpaSttOptions {
  numThreads?: number;
  /** Language for multilingual Whisper models ("en", "de", …); English-only models ignore it. */
  language?: string;
  /** Silence that ends an utterance (VAD for per-utterance models, rule 2 for streaming ones); default 500 ms. */
  endSilenceMs?: number;
  /** Stand-ins for sherpa-onnx-node and the VAD (tests). */
  sherpa?: SherpaAsr;
  vad?: () => VoiceActivity;
}

/**
 * Builds the recogniser config from the files in `m.dir`. Throws SpeechUnavailableError naming
 * the missing file (and `parley models pull`) when the folder is incomplete.
 */
export function sherpaSttConfig(m: ModelFolder, o: SherpaSttOptions = {}): SherpaSttConfig {
  const files = listFolder(m);
  const common = { numThreads: o.numThreads ?? defaultThreads(availableParallelism()), provider: 'cpu', debug: 0 };
  const featConfig = { sampleRate: SAMPLE_RATE, featureDim: 80 };
  const has = (re: RegExp) => files.some((f) => f.endsWith('.onnx') && re.test(f));

  // Moonshine: preprocess.onnx, encode(.int8).onnx, uncached_decode…, cached_decode….
  if (has(/^preprocess/)) {
    const moonshine = {
      preprocessor: need(m, pickOnnx(files, /^preprocess/), 'preprocess.onnx'),
      encoder: need(m, pickOnnx(files, /^encode\b|^encode\./), 'encode.int8.onnx'),
      uncachedDecoder: need(m, pickOnnx(files, /^uncached_decode/), 'uncached_decode.int8.onnx'),
      cachedDecoder: need(m, pickOnnx(files, /^cached_decode/), 'cached_decode.int8.onnx'),
    };
    return { kind: 'offline', family: 'moonshine', config: { featConfig, modelConfig: { moonshine, tokens: tokensFile(m, files), ...common }, decodingMethod: 'greedy_search' } };
  }

  const isWhisper = /whisper/i.test(m.name) || (has(/encoder/) && has(/decoder/) && !has(/joiner/) && files.some((f) => /-tokens\.txt$/.test(f)));
  if (isWhisper) {
    const whisper = {
      encoder: need(m, pickOnnx(files, /encoder/), 'a Whisper encoder (<size>-encoder.onnx)'),
      decoder: need(m, pickOnnx(files, /decoder/), 'a Whisper decoder (<size>-decoder.onnx)'),
      language: /\.en\b/.test(m.name) || files.some((f) => /\.en-encoder/.test(f)) ? '' : (o.language ?? 'en').split(/[-_]/)[0].toLowerCase(),
      task: 'transcribe',
    };
    return { kind: 'offline', family: 'whisper', config: { featConfig, modelConfig: { whisper, tokens: tokensFile(m, files), ...common }, decodingMethod: 'greedy_search' } };
  }

  // Transducers: encoder, decoder, joiner. Streaming ones say so in their name.
  // The decoder is small and loses accuracy when quantised, so its full-precision file is preferred.
  const transducer = {
    encoder: need(m, pickOnnx(files, /encoder/), 'an encoder (encoder*.onnx)'),
    decoder: need(m, pickOnnx(files, /decoder/, { int8: false }), 'a decoder (decoder*.onnx)'),
    joiner: need(m, pickOnnx(files, /joiner/), 'a joiner (joiner*.onnx)'),
  };
  const tokens = tokensFile(m, files);
  if (/streaming|online/i.test(m.name)) {
    const endSilence = (o.endSilenceMs ?? 500) / 1000;
    return {
      kind: 'online',
      config: {
        featConfig,
        modelConfig: { transducer, tokens, ...common },
        decodingMethod: 'greedy_search',
        enableEndpoint: 1,
        rule1MinTrailingSilence: 2.4,
        rule2MinTrailingSilence: endSilence,
        rule3MinUtteranceLength: 20,
      },
    };
  }
  const modelType = /nemo|parakeet/i.test(m.name) ? 'nemo_transducer' : undefined;
  return { kind: 'offline', family: 'transducer', config: { featConfig, modelConfig: { transducer, ...(modelType ? { modelType } : {}), tokens, ...common }, decodingMethod: 'greedy_search' } };
}

// The parts of sherpa-onnx-node this file uses.
export interface OfflineStreamApi {
  acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void;
}
export interface OfflineRecognizerApi {
  createStream(): OfflineStreamApi;
  decodeAsync(s: OfflineStreamApi): Promise<{ text: string }>;
}
export interface OnlineStreamApi {
  acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void;
  inputFinished(): void;
}
export interface OnlineRecognizerApi {
  createStream(): OnlineStreamApi;
  isReady(s: OnlineStreamApi): boolean;
  decode(s: OnlineStreamApi): void;
  isEndpoint(s: OnlineStreamApi): boolean;
  reset(s: OnlineStreamApi): void;
  getResult(s: OnlineStreamApi): { text: string };
}
/** The parts of sherpa-onnx-node's speech recognition this engine uses. */
export interface SherpaAsr {
  OfflineRecognizer: { createAsync(c: object): Promise<OfflineRecognizerApi> };
  OnlineRecognizer: new (c: object) => OnlineRecognizerApi;
}

/** Speech-to-text with a downloaded sherpa-onnx model. */
export class SherpaStt implements SpeechToText {
  readonly id: string;
  readonly sampleRate = SAMPLE_RATE;
  readonly config: SherpaSttConfig;
  #o: SherpaSttOptions;
  #dir: string;
  #offline: Promise<OfflineRecognizerApi> | null = null;
  #online: OnlineRecognizerApi | null = null;

  /** Checks the folder at once: a missing file fails here, before any call. */
  constructor(m: ModelFolder, o: SherpaSttOptions = {}) {
    this.id = `sherpa:${m.name}`;
    this.#dir = m.dir;
    this.#o = o;
    this.config = sherpaSttConfig(m, o);
  }

  stream(o: { language: string; signal: AbortSignal }): SttStream {
    const c = this.config;
    if (!this.#o.sherpa && !this.#online && !this.#offline) checkOnnxFiles({ name: this.id.slice(7), dir: this.#dir }, configPaths(c.config));
    const sherpa = this.#o.sherpa ?? loadSherpaOnnx<SherpaAsr>(this.id);
    if (c.kind === 'online') {
      if (!this.#online) {
        try {
          this.#online = new sherpa.OnlineRecognizer(c.config);
        } catch (err) {
          throw this.#loadError(err);
        }
      }
      return new OnlineSttStream(this.#online, o.signal);
    }
    if (c.family === 'whisper' && c.config.modelConfig.whisper?.language === '' && !/^en\b/i.test(o.language)) {
      throw new SpeechUnavailableError(`${this.id} is an English-only Whisper model, not for "${o.language}"; pull a multilingual one or choose a cloud STT.`);
    }
    this.#offline ??= sherpa.OfflineRecognizer.createAsync(c.config).catch((err: unknown) => {
      this.#offline = null;
      throw this.#loadError(err);
    });
    return new UtteranceSttStream(this.#offline, this.#o.vad?.() ?? makeVad(this.#o.endSilenceMs ?? 500), o.signal);
  }

  #loadError(err: unknown): SpeechUnavailableError {
    return new SpeechUnavailableError(`${this.id} could not load its model from ${this.#dir}: ${(err as Error).message} (sherpa-onnx prints the reason on stderr). If files are damaged or missing, run \`parley models pull ${this.id.slice(7)} --force\`.`);
  }
}

/** Silero through sherpa-onnx when it loads, else the energy VAD. */
function makeVad(endSilenceMs: number): VoiceActivity {
  try {
    return new GatedVoiceActivity(sharedSileroPool({ ...DEFAULT_VOICE_ACTIVITY, minSilenceMs: endSilenceMs }));
  } catch (err) {
    if (!(err instanceof VoiceActivityUnavailableError)) throw err;
    return createEnergyVad({ minSilenceMs: endSilenceMs });
  }
}

/** Audio before a reported speech-start that is kept, since the VAD dates starts back. */
const LOOKBACK = SAMPLE_RATE; // 1 s
/** Padding around an utterance handed to the recogniser. */
const PAD = Math.round(SAMPLE_RATE * 0.2);

/** Per-utterance decoding: the VAD cuts, each cut is decoded in order. */
class UtteranceSttStream implements SttStream {
  #queue: AsyncQueue<SttEvent>;
  #recognizer: Promise<OfflineRecognizerApi>;
  #vad: VoiceActivity;
  #signal: AbortSignal;
  /** Audio kept, and the stream index of its first sample. */
  #chunks: Int16Array[] = [];
  #kept = 0;
  #base = 0;
  #pushed = 0;
  #start: number | null = null;
  /** Decodes run one after another so finals come in order. */
  #chain: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(recognizer: Promise<OfflineRecognizerApi>, vad: VoiceActivity, signal: AbortSignal) {
    this.#recognizer = recognizer;
    this.#vad = vad;
    this.#signal = signal;
    this.#queue = new AsyncQueue<SttEvent>(() => this.#stop());
    // Loading failures surface to the reader, not as an unhandled rejection.
    recognizer.catch((err: unknown) => this.#queue.fail(err));
    if (signal.aborted) this.#queue.fail(signal.reason);
    else signal.addEventListener('abort', () => this.#queue.fail(signal.reason), { once: true });
  }

  push(pcm: Int16Array): void {
    if (this.#ended || this.#signal.aborted) return;
    this.#chunks.push(pcm.slice());
    this.#kept += pcm.length;
    this.#pushed += pcm.length;
    this.#handle(this.#vad.push(pcm));
    if (this.#start === null) this.#trim(this.#pushed - LOOKBACK);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.#signal.aborted) this.#handle(this.#vad.flush());
    this.#vad.close();
    // Waits for the model too, so a model that cannot load fails the stream even with no speech.
    void this.#chain.then(() => this.#recognizer).then(
      () => this.#queue.end(),
      (err: unknown) => this.#queue.fail(err),
    );
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.#queue[Symbol.asyncIterator]();
  }

  #handle(events: { type: 'speech-start' | 'speech-end'; atMs: number }[]): void {
    for (const e of events) {
      const at = Math.round((e.atMs * SAMPLE_RATE) / 1000);
      if (e.type === 'speech-start') this.#start = at;
      else if (this.#start !== null) {
        const audio = this.#slice(this.#start - PAD, Math.min(this.#pushed, at + PAD));
        this.#start = null;
        this.#trim(at);
        this.#decode(audio, this.#pushed);
      }
    }
  }

  #decode(pcm: Int16Array, atSamples: number): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#signal.aborted || this.#queue.closed) return;
      try {
        const recognizer = await this.#recognizer;
        const s = recognizer.createStream();
        s.acceptWaveform({ samples: toFloat32(pcm), sampleRate: SAMPLE_RATE });
        const r = await recognizer.decodeAsync(s);
        const text = r.text.trim();
        if (text && !this.#signal.aborted) this.#queue.push({ type: 'final', text, atMs: (atSamples * 1000) / SAMPLE_RATE });
      } catch (err) {
        this.#queue.fail(err);
      }
    });
  }

  /** Samples [from, to) of the stream, as far as they are kept. */
  #slice(from: number, to: number): Int16Array {
    const all = new Int16Array(this.#kept);
    let o = 0;
    for (const c of this.#chunks) {
      all.set(c, o);
      o += c.length;
    }
    return all.slice(Math.max(0, from - this.#base), Math.max(0, to - this.#base));
  }

  /** Drops whole chunks that end before stream index `before`. */
  #trim(before: number): void {
    while (this.#chunks.length && this.#base + this.#chunks[0].length <= before) {
      const c = this.#chunks.shift() as Int16Array;
      this.#base += c.length;
      this.#kept -= c.length;
    }
  }

  #stop(): void {
    this.#ended = true;
    this.#chunks = [];
  }
}

/** Streaming decoding: partials as the hypothesis grows, a final at each endpoint. */
class OnlineSttStream implements SttStream {
  #queue: AsyncQueue<SttEvent>;
  #recognizer: OnlineRecognizerApi;
  #stream: OnlineStreamApi;
  #signal: AbortSignal;
  #pushed = 0;
  #last = '';
  #ended = false;

  constructor(recognizer: OnlineRecognizerApi, signal: AbortSignal) {
    this.#recognizer = recognizer;
    this.#stream = recognizer.createStream();
    this.#signal = signal;
    this.#queue = new AsyncQueue<SttEvent>(() => {
      this.#ended = true;
    });
    if (signal.aborted) this.#queue.fail(signal.reason);
    else signal.addEventListener('abort', () => this.#queue.fail(signal.reason), { once: true });
  }

  push(pcm: Int16Array): void {
    if (this.#ended || this.#signal.aborted) return;
    this.#pushed += pcm.length;
    this.#stream.acceptWaveform({ samples: toFloat32(pcm), sampleRate: SAMPLE_RATE });
    this.#run(false);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.#signal.aborted) {
      // Trailing silence lets the model emit its last tokens before input is closed.
      this.#stream.acceptWaveform({ samples: new Float32Array(Math.round(SAMPLE_RATE * 0.3)), sampleRate: SAMPLE_RATE });
      this.#stream.inputFinished();
      this.#run(true);
    }
    this.#queue.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.#queue[Symbol.asyncIterator]();
  }

  #run(finishing: boolean): void {
    try {
      const r = this.#recognizer;
      while (r.isReady(this.#stream)) r.decode(this.#stream);
      const text = r.getResult(this.#stream).text.trim();
      const atMs = (this.#pushed * 1000) / SAMPLE_RATE;
      if (finishing || r.isEndpoint(this.#stream)) {
        if (text) this.#queue.push({ type: 'final', text, atMs });
        this.#last = '';
        if (!finishing) r.reset(this.#stream);
      } else if (text && text !== this.#last) {
        this.#last = text;
        this.#queue.push({ type: 'partial', text, atMs });
      }
    } catch (err) {
      this.#queue.fail(err);
    }
  }
}
