import type { Agent } from '../agent/load.ts';
import { createEnergyVad } from '../audio/energy-vad.ts';
import { createSileroVad, voiceActivityFromTurn, VoiceActivityUnavailableError } from '../audio/vad.ts';
import type { SpeechDetector } from '../session/voice/voice-session.ts';
import { bestLocalSpeech, parseSpeechSpec, sttFor, ttsFor } from '../speech/registry.ts';
import { SpeechUnavailableError, type SpeechToText, type TextToSpeech } from '../speech/types.ts';

// The speech of a voice-mode scenario run: the agent's own ears and mouth (its listen.stt and
// voice.tts unless overridden), the Silero VAD the server uses, and a local voice for the caller.

/** What a voice run hears and speaks with. */
export interface ScenarioSpeech {
  /** The agent's ears. */
  stt: SpeechToText;
  /** The agent's mouth, and the voice id it speaks in. */
  tts: TextToSpeech;
  voiceId?: string;
  /** The caller's voice, and the voice id it speaks in. */
  caller: { tts: TextToSpeech; voiceId?: string; label: string };
  /** A fresh voice activity detector (it keeps state, so one per run); `close` frees native memory. */
  vad(): SpeechDetector & { close?(): void };
  /** Things the report should say about the setup (a fallback VAD). */
  notes: string[];
  /** How long the caller waits on the agent (defaults in voice-call.ts); tests shorten them. */
  patience?: Partial<Patience>;
}

/** How long the caller waits, in ms: for the first message, for a turn to be taken once it stopped speaking, for the answer. */
export interface Patience {
  greetingMs: number;
  takeTurnMs: number;
  answerMs: number;
}

/** Overrides of the agent's speech for a test run (`--stt`, `--tts`, `--caller-voice`). */
export interface SpeechChoice {
  stt?: string;
  tts?: string;
  /** The caller's TTS as provider:model, optionally `@voiceId` (default `local:flite`). */
  callerVoice?: string;
}

export const DEFAULT_CALLER_VOICE = 'local:flite';

/**
 * Builds the run's speech from the agent and the overrides. Throws SpeechUnavailableError
 * (a missing key, an unknown provider), its message saying whose speech it is, before anything runs.
 */
export function scenarioSpeech(agent: Agent, choice: SpeechChoice, env: NodeJS.ProcessEnv): ScenarioSpeech {
  const { config } = agent;
  // local:best is resolved here, so the voice id is dropped when it lands on an engine other than flite.
  const best = (spec: string, kind: 'stt' | 'tts') => (spec.toLowerCase() === 'local:best' ? bestLocalSpeech(kind, env) : spec);
  const agentTts = best(config.voice.tts, 'tts');
  const stt = whose(choice.stt ? 'the agent’s ears (--stt)' : 'the agent’s ears (listen.stt)', () => sttFor(best(choice.stt ?? config.listen.stt, 'stt'), { env }));
  const ttsSpec = best(choice.tts ?? agentTts, 'tts');
  const tts = whose(choice.tts ? 'the agent’s voice (--tts)' : 'the agent’s voice (voice.tts)', () => ttsFor(ttsSpec, { env }));
  // A voice id belongs to its provider: an ElevenLabs id means nothing to flite.
  const sameProvider = parseSpeechSpec(ttsSpec).provider === parseSpeechSpec(agentTts).provider;
  const callerLabel = choice.callerVoice ?? DEFAULT_CALLER_VOICE;
  const at = callerLabel.lastIndexOf('@');
  const callerSpec = at > 0 ? callerLabel.slice(0, at) : callerLabel;
  const callerVoiceId = at > 0 ? callerLabel.slice(at + 1) || undefined : undefined;
  const caller = { tts: whose('the caller’s voice (--caller-voice)', () => ttsFor(callerSpec, { env })), voiceId: callerVoiceId, label: callerLabel };

  const notes: string[] = [];
  const settings = voiceActivityFromTurn(config.listen.turn);
  const vad = () => {
    try {
      return createSileroVad(settings);
    } catch (e) {
      if (!(e instanceof VoiceActivityUnavailableError)) throw e;
      const note = `Silero VAD unavailable, the energy VAD heard the caller instead (${e.message})`;
      if (!notes.includes(note)) notes.push(note);
      return createEnergyVad({ minSpeechMs: settings.minSpeechMs, minSilenceMs: settings.minSilenceMs });
    }
  };
  return { stt, tts, voiceId: sameProvider ? config.voice.voiceId : undefined, caller, vad, notes };
}

function whose<T>(role: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof SpeechUnavailableError) throw new SpeechUnavailableError(`${role}: ${e.message}`);
    throw e;
  }
}
