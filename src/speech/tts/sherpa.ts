import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fromFloat32 } from '../../audio/frame.ts';
import { Resampler } from '../../audio/resample.ts';
import { checkOnnxFiles, configPaths, defaultThreads, listFolder, loadSherpaOnnx, need, tokensFile, type ModelFolder } from '../sherpa-files.ts';
import { SpeechUnavailableError, type TextToSpeech, type VoiceConfig, type VoiceInfo } from '../types.ts';
import { clauses } from './flite.ts';

// `sherpa:<model>` text-to-speech through sherpa-onnx-node's OfflineTts, from a folder
// `parley models pull` unpacked: Piper (VITS) voices and Kokoro. Text is cut into clauses at
// sentence ends (as for flite) and each is generated with generateAsync, off the event loop;
// the first clause plays while the next is generated. Audio is resampled to `sampleRate` should
// the model report another rate than the one its files suggest, so the declared rate is always
// the rate yielded.

/** The sherpa-onnx OfflineTts config for a model folder, and the rate it is expected to speak at. */
export interface SherpaTtsConfig {
  family: 'vits' | 'kokoro';
  sampleRate: number;
  config: {
    model: {
      vits?: { model: string; tokens: string; dataDir: string; lexicon: string; noiseScale: number; noiseScaleW: number; lengthScale: number };
      kokoro?: { model: string; voices: string; tokens: string; dataDir: string; lengthScale: number };
      numThreads: number;
      provider: string;
      debug: number;
    };
    maxNumSentences: number;
  };
}

/** Kokoro v0.19's speakers, in voices.bin order (its sid). */
export const KOKORO_V019_VOICES = ['af', 'af_bella', 'af_nicole', 'af_sarah', 'af_sky', 'am_adam', 'am_michael', 'bf_emma', 'bf_isabella', 'bm_george', 'bm_lewis'];

/** Builds the OfflineTts config from the files in `m.dir`; throws SpeechUnavailableError naming a missing file. */
export function sherpaTtsConfig(m: ModelFolder, o: { numThreads?: number } = {}): SherpaTtsConfig {
  const files = listFolder(m);
  const common = { numThreads: o.numThreads ?? defaultThreads(availableParallelism()), provider: 'cpu', debug: 0 };
  const onnx = files.filter((f) => f.endsWith('.onnx'));
  const tokens = tokensFile(m, files);
  const espeak = files.includes('espeak-ng-data') ? join(m.dir, 'espeak-ng-data') : '';
  if (files.includes('voices.bin') || /kokoro/i.test(m.name)) {
    const model = need(m, onnx.includes('model.onnx') ? 'model.onnx' : onnx[0], 'the Kokoro model (model.onnx)');
    const voices = need(m, files.includes('voices.bin') ? 'voices.bin' : undefined, 'voices.bin');
    const dataDir = need(m, espeak ? 'espeak-ng-data' : undefined, 'espeak-ng-data/');
    return { family: 'kokoro', sampleRate: 24000, config: { model: { kokoro: { model, voices, tokens, dataDir, lengthScale: 1 }, ...common }, maxNumSentences: 1 } };
  }
  // Piper voices: <lang>-<voice>-<quality>.onnx (+ .onnx.json), tokens.txt, espeak-ng-data/.
  // Older VITS models use a lexicon.txt instead of espeak.
  const model = need(m, onnx[0], 'the voice model (*.onnx)');
  const lexicon = files.includes('lexicon.txt') ? join(m.dir, 'lexicon.txt') : '';
  if (!espeak && !lexicon) need(m, undefined, 'espeak-ng-data/ (or lexicon.txt)');
  const sampleRate = /-(x_low|low)\b/.test(model) ? 16000 : 22050;
  return {
    family: 'vits',
    sampleRate,
    config: { model: { vits: { model, tokens, dataDir: espeak, lexicon, noiseScale: 0.667, noiseScaleW: 0.8, lengthScale: 1 }, ...common }, maxNumSentences: 1 },
  };
}

/** The speaker id for a voice name: a number, or a Kokoro v0.19 speaker name. */
export function speakerId(family: 'vits' | 'kokoro', voiceId: string | undefined): number {
  if (voiceId === undefined || voiceId === '') return 0;
  if (/^\d+$/.test(voiceId)) return Number(voiceId);
  const i = family === 'kokoro' ? KOKORO_V019_VOICES.indexOf(voiceId) : -1;
  if (i < 0) throw new SpeechUnavailableError(`unknown voice "${voiceId}" for a sherpa ${family} model; use a speaker number${family === 'kokoro' ? ` or one of ${KOKORO_V019_VOICES.join(', ')}` : ''}.`);
  return i;
}

export interface OfflineTtsApi {
  sampleRate: number;
  numSpeakers: number;
  generateAsync(r: { text: string; sid: number; speed: number }): Promise<{ samples: Float32Array; sampleRate: number }>;
}
/** The part of sherpa-onnx-node this engine uses. */
export type SherpaTtsModule = { OfflineTts: { createAsync(c: object): Promise<OfflineTtsApi> } };

/** Text-to-speech with a downloaded sherpa-onnx voice. */
export class SherpaTts implements TextToSpeech {
  readonly id: string;
  readonly sampleRate: number;
  readonly config: SherpaTtsConfig;
  #tts: Promise<OfflineTtsApi> | null = null;
  #sherpa: SherpaTtsModule | undefined;
  #dir: string;

  /** Checks the folder at once: a missing file fails here, before any call. `sherpa` stands in for sherpa-onnx-node (tests). */
  constructor(m: ModelFolder, o: { numThreads?: number; sherpa?: SherpaTtsModule } = {}) {
    this.id = `sherpa:${m.name}`;
    this.#sherpa = o.sherpa;
    this.#dir = m.dir;
    this.config = sherpaTtsConfig(m, o);
    this.sampleRate = this.config.sampleRate;
  }

  /** The speakers the model has (loads it). */
  async voices(): Promise<VoiceInfo[]> {
    const tts = await this.#load();
    return Array.from({ length: tts.numSpeakers }, (_, i) => {
      const id = this.config.family === 'kokoro' && i < KOKORO_V019_VOICES.length ? KOKORO_V019_VOICES[i] : String(i);
      return { id, name: id, kind: 'local' as const };
    });
  }

  async *speak(text: AsyncIterable<string>, o: { voice: VoiceConfig; signal: AbortSignal }): AsyncGenerator<Int16Array> {
    o.signal.throwIfAborted();
    const sid = speakerId(this.config.family, o.voice.voiceId);
    const speed = Math.min(2, Math.max(0.5, o.voice.speed || 1));
    const tts = await this.#load();
    o.signal.throwIfAborted();
    if (sid >= tts.numSpeakers) throw new SpeechUnavailableError(`${this.id} has ${tts.numSpeakers} speaker(s); voice "${o.voice.voiceId}" is not one of them.`);
    for await (const clause of clauses(text, o.signal)) {
      const audio = await tts.generateAsync({ text: clause, sid, speed });
      o.signal.throwIfAborted();
      let pcm = fromFloat32(audio.samples);
      if (audio.sampleRate !== this.sampleRate) {
        const r = new Resampler(audio.sampleRate, this.sampleRate);
        const head = r.process(pcm);
        const tail = r.flush();
        pcm = new Int16Array(head.length + tail.length);
        pcm.set(head);
        pcm.set(tail, head.length);
      }
      if (pcm.length) yield pcm;
    }
  }

  #load(): Promise<OfflineTtsApi> {
    this.#tts ??= (async () => {
      if (!this.#sherpa) checkOnnxFiles({ name: this.id.slice(7), dir: this.#dir }, configPaths(this.config.config));
      const sherpa = this.#sherpa ?? loadSherpaOnnx<SherpaTtsModule>(this.id);
      try {
        return await sherpa.OfflineTts.createAsync(this.config.config);
      } catch (err) {
        throw new SpeechUnavailableError(`${this.id} could not load its model from ${this.#dir}: ${(err as Error).message} (sherpa-onnx prints the reason on stderr). If files are damaged or missing, run \`parley models pull ${this.id.slice(7)} --force\`.`);
      }
    })().catch((err: unknown) => {
      this.#tts = null;
      throw err;
    });
    return this.#tts;
  }
}

/** Whether a folder looks like a TTS voice (for telling users they named the wrong kind of model). */
export function looksLikeVoice(dir: string): boolean {
  return existsSync(join(dir, 'voices.bin')) || existsSync(join(dir, 'espeak-ng-data'));
}
