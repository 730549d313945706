import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SpeechUnavailableError, type SpeechToText, type TextToSpeech } from './types.ts';
import { DeepgramStt } from './stt/deepgram.ts';
import { DeepgramFluxStt, isFluxModel } from './stt/deepgram-flux.ts';
import { OpenAIStt } from './stt/openai.ts';
import { createPocketsphinxStt } from './stt/pocketsphinx.ts';
import { SherpaStt } from './stt/sherpa.ts';
import { CartesiaTts } from './tts/cartesia.ts';
import { ElevenLabsTts } from './tts/elevenlabs.ts';
import { createFliteTts } from './tts/flite.ts';
import { OpenAITts } from './tts/openai.ts';
import { looksLikeVoice, SherpaTts } from './tts/sherpa.ts';
import { didYouMeanHint } from '../util/did-you-mean.ts';
import { modelsDir } from '../util/models-dir.ts';
import { SPEECH_VENDORS } from '../util/speech-vendors.ts';

// agent.yaml names speech as `provider:model` (listen.stt, voice.tts); this turns the string into
// a provider. Keys come only from the environment and are checked here, so a missing key is an
// error naming the variable before any call is made. `<VENDOR>_BASE_URL` points a provider at
// another server (a proxy, or a fake in tests).

/** Where providers get their keys, HTTP client and (optionally) server from. */
export interface SpeechSetup {
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Overrides the provider's server (and its `<VENDOR>_BASE_URL`). */
  baseURL?: string;
  /** The agent's listen.turn: recognisers that endpoint themselves (Deepgram) are told the same silence. */
  turn?: { minEndpointingDelayMs: number; maxEndpointingDelayMs: number; flux?: { eotThreshold?: number; eagerEotThreshold?: number } };
}

/** The cloud vendors Parley speaks to, with the variables that configure each. */
export const VENDORS = SPEECH_VENDORS;

/** A cloud vendor's name. */
export type Vendor = keyof typeof VENDORS;

/** Key, server and fetch for a vendor; throws SpeechUnavailableError naming the missing variable. */
export function vendorAccess(vendor: Vendor, o: SpeechSetup, neededBy: string = vendor): { apiKey: string; baseURL?: string; fetch?: typeof fetch } {
  const v = VENDORS[vendor];
  const apiKey = o.env[v.key];
  if (!apiKey) {
    throw new SpeechUnavailableError(`${neededBy} needs ${v.key}: set it in the environment, never in agent files`);
  }
  const baseURL = o.baseURL ?? (o.env[v.base] || undefined);
  return { apiKey, ...(baseURL ? { baseURL } : {}), ...(o.fetch ? { fetch: o.fetch } : {}) };
}

/** Which way a speech spec goes: `listen.stt` (speech-to-text) or `voice.tts` (text-to-speech). */
export type SpeechKind = 'stt' | 'tts';

/** What each kind accepts: providers, local engines, and examples for messages. */
const SPEECH: Record<SpeechKind, { providers: string[]; local: string[]; examples: string }> = {
  stt: { providers: ['deepgram', 'openai', 'local', 'sherpa'], local: ['pocketsphinx', 'best'], examples: 'deepgram:nova-3, local:pocketsphinx, local:best, sherpa:sherpa-onnx-whisper-tiny.en' },
  tts: { providers: ['elevenlabs', 'openai', 'cartesia', 'local', 'sherpa'], local: ['flite', 'best'], examples: 'elevenlabs:eleven_flash_v2_5, local:flite, local:best, sherpa:vits-piper-en_US-amy-low' },
};

/** Splits "deepgram:nova-3" into provider and model (the model may itself contain colons). */
export function parseSpeechSpec(spec: string, kind: SpeechKind = 'stt'): { provider: string; model: string } {
  const at = spec.indexOf(':');
  if (at <= 0 || at === spec.length - 1) {
    const k = SPEECH[kind];
    const guess = k.local.includes(spec) ? `; did you mean "local:${spec}"?` : didYouMeanHint(spec, k.providers);
    throw new SpeechUnavailableError(`"${spec}" is not provider:model (e.g. ${k.examples})${guess}`);
  }
  return { provider: spec.slice(0, at).toLowerCase(), model: spec.slice(at + 1) };
}

/** What is wrong with a `listen.stt` / `voice.tts` string, found without starting any engine; undefined when nothing is. */
export function speechSpecProblem(spec: string, kind: SpeechKind): string | undefined {
  const k = SPEECH[kind];
  let parsed: { provider: string; model: string };
  try {
    parsed = parseSpeechSpec(spec, kind);
  } catch (e) {
    return (e as Error).message;
  }
  const { provider, model } = parsed;
  const other = kind === 'stt' ? SPEECH.tts : SPEECH.stt;
  if (!k.providers.includes(provider)) {
    const swapped = provider === 'local' || other.providers.includes(provider) ? ` (${provider} is a ${kind === 'stt' ? 'text-to-speech' : 'speech-to-text'} provider)` : didYouMeanHint(provider, k.providers);
    return `unknown ${kind === 'stt' ? 'speech-to-text' : 'text-to-speech'} provider "${provider}" in "${spec}"${swapped}; use ${k.providers.join(', ')}`;
  }
  if (provider === 'local' && !k.local.includes(model)) {
    const swapped = other.local.includes(model) && model !== 'best' ? ` (${model} is ${kind === 'stt' ? 'a voice, for voice.tts' : 'a recogniser, for listen.stt'})` : didYouMeanHint(model, k.local);
    return `unknown local ${kind === 'stt' ? 'recogniser' : 'voice engine'} "${model}" in "${spec}"${swapped}; use ${k.local.map((m) => `local:${m}`).join(' or ')}, or sherpa:<model>`;
  }
  return undefined;
}

/** The speech-to-text provider a `listen.stt` string names. */
export function sttFor(spec: string, o: SpeechSetup): SpeechToText {
  const { provider, model } = parseSpeechSpec(spec);
  switch (provider) {
    case 'deepgram':
      // Flux ends turns itself; it waits no longer than our own longest wait.
      if (isFluxModel(model)) {
        return new DeepgramFluxStt({
          model,
          ...vendorAccess('deepgram', o, spec),
          ...(o.turn ? { eotTimeoutMs: Math.min(10_000, Math.max(500, o.turn.maxEndpointingDelayMs)), ...o.turn.flux } : {}),
        });
      }
      // Deepgram finalizes after `endpointing` ms of silence; ask for no more than our own endpointing
      // waits, so its final is in before turn-taking needs it (its UtteranceEnd minimum is 1000 ms).
      return new DeepgramStt({
        model,
        ...vendorAccess('deepgram', o, spec),
        ...(o.turn ? { endpointingMs: Math.max(10, Math.min(o.turn.minEndpointingDelayMs, 500)), utteranceEndMs: Math.max(1000, o.turn.maxEndpointingDelayMs) } : {}),
      });
    case 'openai':
      return new OpenAIStt({ model, ...vendorAccess('openai', o, spec) });
    case 'local':
      if (model === 'best') return sttFor(bestLocalSpeech('stt', o.env), o);
      if (model === 'pocketsphinx') return createPocketsphinxStt();
      throw new SpeechUnavailableError(`unknown local recogniser "${model}" in "${spec}"; use local:pocketsphinx, or sherpa:<model>`);
    case 'sherpa': {
      const dir = sherpaFolder(model, o.env);
      if (looksLikeVoice(dir)) throw new SpeechUnavailableError(`sherpa:${model} is a text-to-speech voice, not a recogniser; use it as voice.tts, and a recogniser (e.g. sherpa:sherpa-onnx-whisper-tiny.en) as listen.stt`);
      return new SherpaStt({ name: model, dir });
    }
    default:
      throw new SpeechUnavailableError(`unknown speech-to-text provider "${provider}" in "${spec}"; use deepgram, openai, local or sherpa`);
  }
}

/** The text-to-speech provider a `voice.tts` string names. */
export function ttsFor(spec: string, o: SpeechSetup): TextToSpeech {
  const { provider, model } = parseSpeechSpec(spec, 'tts');
  switch (provider) {
    case 'elevenlabs':
      return new ElevenLabsTts({ model, ...vendorAccess('elevenlabs', o, spec) });
    case 'openai':
      return new OpenAITts({ model, ...vendorAccess('openai', o, spec) });
    case 'cartesia':
      return new CartesiaTts({ model, ...vendorAccess('cartesia', o, spec) });
    case 'local':
      if (model === 'best') return ttsFor(bestLocalSpeech('tts', o.env), o);
      if (model === 'flite') return createFliteTts();
      throw new SpeechUnavailableError(`unknown local voice engine "${model}" in "${spec}"; use local:flite, or sherpa:<model>`);
    case 'sherpa':
      return new SherpaTts({ name: model, dir: sherpaFolder(model, o.env) });
    default:
      throw new SpeechUnavailableError(`unknown text-to-speech provider "${provider}" in "${spec}"; use elevenlabs, openai, cartesia, local or sherpa`);
  }
}

export { modelsDir };

/** The sherpa-onnx models `local:best` prefers, best first, once `parley models pull` has fetched them. */
const BEST_LOCAL: Record<SpeechKind, string[]> = {
  tts: ['kokoro-en-v0_19', 'vits-piper-en_US-amy-low'],
  stt: ['sherpa-onnx-streaming-zipformer-en-2023-06-26', 'sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8', 'sherpa-onnx-whisper-tiny.en'],
};

/** The best speech engine that needs no key: a pulled sherpa-onnx model, else flite / pocketsphinx. */
export function bestLocalSpeech(kind: SpeechKind, env: NodeJS.ProcessEnv): string {
  const pulled = BEST_LOCAL[kind].find((m) => existsSync(join(modelsDir(env), m)));
  return pulled ? `sherpa:${pulled}` : kind === 'tts' ? 'local:flite' : 'local:pocketsphinx';
}

/**
 * The engine a `listen.stt` / `voice.tts` string runs on: `local:best` resolved, and a cloud
 * vendor whose key is not set replaced by the best local engine (`note` says so), so a newcomer
 * with no keys still hears the agent.
 */
export function speechEngine(spec: string, kind: SpeechKind, env: NodeJS.ProcessEnv): { spec: string; note?: string } {
  const provider = spec.split(':')[0]?.toLowerCase() ?? '';
  if (spec.toLowerCase() === 'local:best') return { spec: bestLocalSpeech(kind, env) };
  const vendor = VENDORS[provider as Vendor];
  if (vendor && !env[vendor.key]) {
    const local = bestLocalSpeech(kind, env);
    return { spec: local, note: `${spec} needs ${vendor.key}, which is not set; using ${local}` };
  }
  return { spec };
}

/** sherpa-onnx models are optional downloads: the model's folder, or how to get it. */
export function sherpaFolder(model: string, env: NodeJS.ProcessEnv): string {
  const dir = join(modelsDir(env), model);
  if (!existsSync(dir)) {
    throw new SpeechUnavailableError(`sherpa:${model} needs its model files in ${dir}: run \`parley models pull ${model}\` (once, with internet), or set PARLEY_MODELS_DIR to where your models are`);
  }
  return dir;
}
