import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { VoiceSession } from '../../src/session/voice/voice-session.ts';
import { FallbackTts } from '../../src/speech/tts/fallback.ts';
import type { TextToSpeech } from '../../src/speech/types.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { FailingTts, MemoryChannel, ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

const TURN = { minEndpointingDelayMs: 30, maxEndpointingDelayMs: 200, minInterruptionMs: 60, minInterruptionWords: 1, backchannels: [], falseInterruptionTimeoutMs: 150 };
const FRAME = new Int16Array(320);

describe('voice faults: a failing speech engine is recorded, and the call continues or ends gracefully', () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;
  before(async () => {
    store = await openTestStore();
    const example = await loadAgent(EXAMPLE);
    agent = { ...example, config: { ...example.config, knowledge: { ...example.config.knowledge, strict: false }, persona: { ...example.config.persona, firstMessage: 'Hi, this is Ada.' } } };
    llm = await startFakeOpenAI();
  });
  after(async () => {
    await llm.close();
    await store.close();
  });

  function session(tts: TextToSpeech) {
    const channel = new MemoryChannel();
    const stt = new ScriptedStt();
    const vad = new ScriptedVad();
    const conversation = new Conversation({ agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: llm.url })('m')], channel: 'web' });
    const voice = new VoiceSession({ conversation, channel, stt, tts, vad, resampler: () => (p) => p, voice: { speed: 1 }, language: 'en', turn: TURN, silenceReprompt: 30, silenceEnd: 60 });
    const running = voice.run(new AbortController().signal);
    const say = (text: string) => {
      vad.start();
      channel.pushCallerAudio(FRAME);
      stt.hear(text);
      vad.stop();
      channel.pushCallerAudio(FRAME);
    };
    return { channel, stt, conversation, running, say };
  }
  const listening = (c: MemoryChannel, n = 1) => c.waitFor(((count) => (e) => e.type === 'state' && e.state === 'listening' && ++count >= n)(0));
  const record = async (id: string) => (await new Records(store.db).get(id))!;

  it('TTS: the next configured voice takes over at once, for this turn and the rest of the call', async () => {
    const primary = new FailingTts({ id: 'elevenlabs:eleven_flash_v2_5' });
    const backup = new TimedTts({ msPerChar: 2 });
    const failures: string[] = [];
    const tts = new FallbackTts([{ tts: primary }, { tts: backup, voice: { voiceId: 'backup-voice', speed: 1 } }], {
      onFailure: (engine, e) => failures.push(`${engine}: ${(e as Error).message}`),
      resampler: () => (p) => p,
    });
    const s = session(tts);
    await listening(s.channel);
    assert.equal(backup.spoken.join(' '), 'Hi, this is Ada.', 'the greeting was spoken by the backup voice');
    llm.push({ text: 'We build automations.' });
    s.say('What do you do?');
    await listening(s.channel, 2);
    assert.equal(primary.calls, 1, 'the failed vendor is not tried again mid-call');
    assert.match(backup.spoken.join(' '), /We build automations\./);
    assert.deepEqual(failures, ['elevenlabs:eleven_flash_v2_5: elevenlabs:eleven_flash_v2_5 returned 503 Service Unavailable']);
    s.channel.hangUp();
    await s.running;
  });

  it('TTS: when every voice fails, the words still reach the captions and the record, and the call ends saying why', async () => {
    const s = session(new FailingTts());
    await s.running;
    const rec = await record(s.conversation.id);
    assert.equal(rec.endReason, 'speech failed');
    assert.deepEqual(rec.turns.map((t) => t.text), ['Hi, this is Ada.']);
    assert.ok(s.channel.events.some((e) => e.type === 'agent_text' && e.final && e.text === 'Hi, this is Ada.'));
    assert.match(rec.errors!.map((e) => `${e.where}: ${e.message}`).join('\n'), /^voice: no voice could speak: failing:tts returned 503/m);
  });

  it('STT: a dropped recogniser is reopened once and the caller is still heard', async () => {
    const s = session(new TimedTts({ msPerChar: 2 }));
    await listening(s.channel);
    s.stt.fail();
    await s.stt.whenOpened(2);
    llm.push({ text: 'Yes, we do.' });
    s.say('Do you build chatbots?');
    await listening(s.channel, 2);
    s.channel.hangUp();
    await s.running;
    const rec = await record(s.conversation.id);
    assert.deepEqual(rec.turns.map((t) => t.role), ['agent', 'caller', 'agent']);
    assert.deepEqual(rec.errors!.map((e) => e.where), ['stt:scripted:stt']);
  });

  it('STT: when it fails again, the agent says it cannot hear and ends the call', async () => {
    const s = session(new TimedTts({ msPerChar: 2 }));
    await listening(s.channel);
    s.stt.fail();
    await s.stt.whenOpened(2);
    s.stt.fail();
    await s.running;
    const rec = await record(s.conversation.id);
    assert.equal(rec.endReason, 'speech recognition failed');
    assert.match(rec.turns.at(-1)!.text, /trouble hearing you/);
    assert.equal(rec.errors!.length, 2);
  });
});
