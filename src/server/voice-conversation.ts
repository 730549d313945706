import type { Agent } from '../agent/load.ts';
import { createResampler } from '../audio/resample.ts';
import type { Channel } from '../channels/channel.ts';
import type { Conversation } from '../session/conversation.ts';
import { ConversationRecording } from '../session/voice/recording.ts';
import type { RecordingStore } from '../store/recordings/types.ts';
import { VoiceSession, type SpeechDetector } from '../session/voice/voice-session.ts';
import { GatedVoiceActivity, sharedSileroPool } from '../audio/gated-vad.ts';
import { voiceActivityFromTurn } from '../audio/vad.ts';
import { speechEngine, sttFor, ttsFor } from '../speech/registry.ts';
import { FallbackTts, type VoiceOption } from '../speech/tts/fallback.ts';
import type { SpeechToText, TextToSpeech } from '../speech/types.ts';

/** Ears, mouth and VAD for one voice session; `close` (when present) releases native resources. */
export interface SessionSpeech {
  stt: SpeechToText;
  tts: TextToSpeech;
  vad: SpeechDetector & { close?(): void };
}
/** What a speech factory is told: the door's rate, and where to report an engine that failed. */
export interface SpeechSetting {
  sampleRate: number;
  onFailure(where: string, error: unknown): void;
}
export type SpeechFactory = (agent: Agent, o: SpeechSetting) => SessionSpeech | Promise<SessionSpeech>;

/**
 * The agent's own ears and mouth: listen.stt, voice.tts with voice.fallback behind it (an engine
 * whose key or model is missing is skipped with a note), and Silero VAD with listen.turn settings.
 */
export function agentSpeech(agent: Agent, env: NodeJS.ProcessEnv, o: SpeechSetting): SessionSpeech {
  const { voice, listen, persona } = agent.config;
  const options: VoiceOption[] = [];
  for (const [i, v] of [voice, ...voice.fallback].entries()) {
    try {
      // A keyless cloud voice is replaced only as the main voice; a fallback without its key is skipped.
      const engine = i === 0 ? speechEngine(v.tts, 'tts', env) : { spec: v.tts };
      if (engine.note) o.onFailure(`tts:${v.tts}`, new Error(engine.note));
      // A voice id belongs to the engine it was written for (flite's "rms" is no sherpa speaker).
      const voiceId = engine.spec === v.tts || (engine.spec === 'local:flite' && v.tts === 'local:best') ? v.voiceId : undefined;
      options.push({ tts: ttsFor(engine.spec, { env }), voice: { voiceId, speed: v.speed, language: persona.language } });
    } catch (e) {
      if (i === 0) throw e;
      o.onFailure(`tts:${v.tts}`, e);
    }
  }
  const ears = speechEngine(listen.stt, 'stt', env);
  if (ears.note) o.onFailure(`stt:${listen.stt}`, new Error(ears.note));
  return {
    stt: sttFor(ears.spec, { env, turn: listen.turn }),
    // Even a single voice goes through FallbackTts: its first-audio timeout turns a hung vendor into a recorded failure.
    tts: new FallbackTts(options, { onFailure: (engine, e) => o.onFailure(`tts:${engine}`, e), resampler: createResampler }),
    vad: new GatedVoiceActivity(sharedSileroPool(voiceActivityFromTurn(listen.turn)), { gateDb: listen.noiseGateDb }),
  };
}

/**
 * The voice loop on any door (web socket, Twilio stream): builds the agent's speech, runs the
 * VoiceSession until the caller or the agent ends it, saves the recording. Throws when the
 * session could not run; the conversation record is ended either way.
 */
export async function runVoiceConversation(o: {
  conversation: Conversation;
  channel: Channel;
  speech: SpeechFactory;
  /** Where the stereo recording goes; unset, none is kept. */
  recordings?: RecordingStore;
  /** What is left of limits.maxDurationSec when the door opened earlier (default: all of it). */
  maxDurationSec?: number;
  signal: AbortSignal;
}): Promise<void> {
  const { agent } = o.conversation;
  const { config } = agent;
  let speech: SessionSpeech | undefined;
  try {
    // A factory that hangs (a model download stalling) must not hold the session, and its seat, past an abort.
    const made = Promise.resolve(o.speech(agent, { sampleRate: o.channel.inputSampleRate, onFailure: (where, e) => o.conversation.noteError(where, e) }));
    made.then((late) => o.signal.aborted && late.vad.close?.(), () => {});
    speech = await untilAborted(made, o.signal);
    const recording = o.recordings ? new ConversationRecording(o.recordings) : undefined;
    const session = new VoiceSession({
      conversation: o.conversation,
      channel: o.channel,
      stt: speech.stt,
      tts: speech.tts,
      vad: speech.vad,
      resampler: createResampler,
      voice: { voiceId: config.voice.voiceId, speed: config.voice.speed, language: config.persona.language },
      language: config.persona.language,
      turn: config.listen.turn,
      silenceReprompt: config.listen.silenceReprompt,
      silenceEnd: config.listen.silenceEnd,
      maxDurationSec: o.maxDurationSec ?? config.limits.maxDurationSec,
      onAudio: recording?.onAudio,
    });
    await session.run(o.signal);
    // A failed save goes in the record too, not only in the log (the catch below flushes it).
    if (recording) await recording.save(o.conversation).catch((e: unknown) => (o.conversation.noteError('recording', e), Promise.reject(e)));
  } catch (e) {
    await o.conversation.end('error').catch((err: unknown) => o.conversation.noteError('store', err));
    throw e;
  } finally {
    speech?.vad.close?.();
  }
}

/** `p`, or a rejection as soon as `signal` aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('the session was stopped before its speech was ready'));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new Error('the session was stopped before its speech was ready'));
    signal.addEventListener('abort', stop, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
