import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { concat, silence, splitFrames } from '../../src/audio/frame.ts';
import { createResampler } from '../../src/audio/resample.ts';
import { createSileroVad, voiceActivityFromTurn } from '../../src/audio/vad.ts';
import type { ClientEvent } from '../../src/channels/channel.ts';
import { ingestKnowledge } from '../../src/knowledge/index.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { VoiceSession } from '../../src/session/voice/voice-session.ts';
import { createPocketsphinxStt } from '../../src/speech/stt/pocketsphinx.ts';
import { createFliteTts } from '../../src/speech/tts/flite.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { MemoryChannel } from '../../src/testing/voice.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { spoken } from '../speech/spoken.ts';
import { openTestStore } from '../helpers/store.ts';

// A real round trip through a real voice session, no fakes in the audio path: flite speaks the
// caller's line into the door in real time, the session hears it with the Silero VAD and
// pocketsphinx, the (scripted) model answers, flite speaks the answer back out of the door, and
// pocketsphinx listens to what the caller would have heard.

const CALLER = 'Book an intro call for tomorrow.';
const REPLY = 'Sure, I can book a meeting for next week.';

/** A MemoryChannel that also keeps the audio it is asked to play while `recording`. */
class RecordingChannel extends MemoryChannel {
  recording = false;
  readonly played: Int16Array[] = [];
  override play(pcm: Int16Array): void {
    if (this.recording) this.played.push(pcm.slice());
    super.play(pcm);
  }
}

/** Pushes `pcm` into the door as 20 ms frames at real-time pace. */
function speakInto(channel: MemoryChannel, pcm: Int16Array): Promise<void> {
  const frames = splitFrames(pcm, 16000);
  return new Promise((resolve) => {
    let i = 0;
    const timer = setInterval(() => {
      channel.pushCallerAudio(frames[i++]);
      if (i >= frames.length) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
}

/** What pocketsphinx makes of a stretch of 16 kHz audio. */
async function transcribe(pcm: Int16Array): Promise<string> {
  const stt = createPocketsphinxStt().stream({ language: 'en', signal: AbortSignal.timeout(30_000) });
  for (const frame of splitFrames(concat([silence(300, 16000), pcm, silence(800, 16000)]), 16000)) stt.push(frame);
  stt.end();
  const finals: string[] = [];
  for await (const e of stt) if (e.type === 'final') finals.push(e.text);
  return finals.join(' ');
}

const messageText = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((p: { text?: string }) => p.text ?? '').join(' ') : '';

describe('VoiceSession round trip (flite → Silero VAD + pocketsphinx → model → flite → pocketsphinx)', { timeout: 60_000 }, () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;
  before(async () => {
    store = await openTestStore();
    const example = await loadAgent(EXAMPLE);
    agent = { ...example, config: { ...example.config, persona: { ...example.config.persona, firstMessage: 'Hi, this is Ada. How can I help?' } } };
    await ingestKnowledge(store, { agent: agent.name, dir: agent.dir, sources: agent.config.knowledge.sources });
    llm = await startFakeOpenAI();
  });
  after(async () => {
    await llm.close();
    await store.close();
  });

  const nth = (state: string, n: number) => ((count) => (e: ClientEvent) => e.type === 'state' && e.state === state && ++count >= n)(0);

  it('hears the caller, answers through the model, and speaks words pocketsphinx can hear back', { timeout: 60_000 }, async (t) => {
    const turn = { ...agent.config.listen.turn, minEndpointingDelayMs: 300 };
    const channel = new RecordingChannel();
    const conversation = new Conversation({ agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: llm.url })('m')], channel: 'web' });
    const session = new VoiceSession({
      conversation,
      channel,
      stt: createPocketsphinxStt(),
      tts: createFliteTts(),
      vad: createSileroVad(voiceActivityFromTurn(turn)),
      resampler: createResampler,
      voice: { speed: 1, voiceId: 'rms' },
      language: 'en',
      turn,
      silenceReprompt: 30,
      silenceEnd: 60,
    });
    const ac = new AbortController();
    const running = session.run(ac.signal);
    const caller = await spoken(CALLER, { beforeMs: 300, afterMs: 1500 });

    await channel.waitFor(nth('listening', 1)); // greeting played out
    channel.recording = true;
    llm.push({ text: REPLY });
    const requestsBefore = llm.requests.length;
    const pushing = speakInto(channel, caller.pcm);
    await channel.waitFor(nth('speaking', 2));
    await channel.waitFor(nth('listening', 2));
    await pushing;

    assert.equal(llm.requests.length, requestsBefore + 1, 'one model request for the caller turn');
    const user = llm.requests.at(-1)!.messages.filter((m) => m.role === 'user').at(-1);
    // The conversation appends the retrieved knowledge after the caller's words; check the words alone.
    const heardCaller = messageText(user?.content).split('[DOCUMENTS]')[0].trim().toLowerCase();
    for (const word of ['book', 'intro', 'call', 'tomorrow']) assert.match(heardCaller, new RegExp(`\\b${word}\\b`), heardCaller);

    const reply = concat(channel.played);
    assert.ok(reply.length > 16000 * 0.5, `the reply was played (${reply.length} samples)`);
    const heardReply = (await transcribe(reply)).toLowerCase();
    for (const word of ['book', 'meeting', 'next', 'week']) assert.match(heardReply, new RegExp(`\\b${word}\\b`), heardReply);
    t.diagnostic(`caller said: ${JSON.stringify(CALLER)} → session heard: ${JSON.stringify(heardCaller)}`);
    t.diagnostic(`agent said: ${JSON.stringify(REPLY)} → pocketsphinx heard: ${JSON.stringify(heardReply)}`);

    channel.hangUp();
    await running;
  });
});
