import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Conversation } from '../../src/session/conversation.ts';
import { VoiceSession } from '../../src/session/voice/voice-session.ts';
import { MemoryChannel, ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';

const TURN = { minEndpointingDelayMs: 50, maxEndpointingDelayMs: 300, minInterruptionMs: 60, minInterruptionWords: 1, backchannels: [], falseInterruptionTimeoutMs: 150 };

it('a session whose record cannot be opened fails at once and leaves no timer behind', async () => {
  // The store is down: Conversation.start() rejects. The deadline was already armed (it runs from
  // the door's opening); none of it may fire later on a conversation that never ran.
  const conversation = { start: () => Promise.reject(new Error('store unavailable')), usage: { addSpeechIn() {} } } as unknown as Conversation;
  const session = new VoiceSession({ conversation, channel: new MemoryChannel(), stt: new ScriptedStt(), tts: new TimedTts(), vad: new ScriptedVad(), resampler: () => (p) => p, voice: { speed: 1 }, language: 'en', turn: TURN, silenceReprompt: 8, silenceEnd: 20, maxDurationSec: 600 });
  await assert.rejects(session.run(new AbortController().signal), /store unavailable/);
  assert.equal(session.pendingTimers, 0);
});
