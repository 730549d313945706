import type { Channel } from '../../channels/channel.ts';
import type { SpeechToText, TextToSpeech, VoiceConfig } from '../../speech/types.ts';
import type { Conversation } from '../conversation.ts';
import type { ResamplerFactory } from './agent-voice.ts';
import type { SessionClock, Timers } from './clock.ts';
import type { TurnSettings } from './turn-taking.ts';

/** Finds where speech starts and ends in 16 kHz caller audio. */
export interface SpeechDetector {
  push(pcm16k: Int16Array): { type: 'speech-start' | 'speech-end'; atMs: number }[];
}

/** Everything a voice conversation needs; the door, the ears, the mouth and the brain. */
export interface VoiceSessionOptions {
  conversation: Conversation;
  channel: Channel;
  stt: SpeechToText;
  tts: TextToSpeech;
  vad: SpeechDetector;
  resampler: ResamplerFactory;
  voice: VoiceConfig;
  language: string;
  turn: TurnSettings;
  /** Seconds of caller silence before a reprompt, and before ending politely. */
  silenceReprompt: number;
  silenceEnd: number;
  /** Hard limit on the conversation's length (limits.maxDurationSec); the agent wraps up shortly before. */
  maxDurationSec?: number;
  /** Receives caller and agent audio with their session time, for the stereo recording. */
  onAudio?: (who: 'caller' | 'agent', pcm: Int16Array, sampleRate: number, atMs: number) => void;
  /** Time and timers; real by default. `timers`/`now` alone are still accepted. */
  clock?: SessionClock;
  timers?: Timers;
  now?: () => number;
}
