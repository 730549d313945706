import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Conversation } from '../../src/session/conversation.ts';
import type { SessionClock } from '../../src/session/voice/clock.ts';
import type { TurnSettings } from '../../src/session/voice/turn-taking.ts';
import { VoiceSession } from '../../src/session/voice/voice-session.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import type { ChatRequest } from '../../src/testing/openai.ts';
import { MemoryChannel, ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

// The voice session end to end with its end-of-turn detector, on a clock the test moves: the
// text detector waits through a half-given email and answers a question quickly; Flux's end of
// turn ends the turn; phone audio reaches a recogniser that takes 8 kHz as it is.

/** A session clock the test moves; between steps the event loop runs, so the session's async work keeps up. */
function manualClock() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const clock: SessionClock = { now: () => now, set: (fn, ms) => (pending.set(++seq, { at: now + ms, fn }), seq), clear: (h) => void pending.delete(h as number) };
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  };
  const advance = async (ms: number, step = 10) => {
    const until = now + ms;
    while (now < until) {
      now = Math.min(until, now + step);
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        due[1].fn();
      }
      await settle();
    }
  };
  return { clock, advance, settle };
}

const TURN: TurnSettings = { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 3000, minInterruptionMs: 300, minInterruptionWords: 1, backchannels: [], falseInterruptionTimeoutMs: 1000, quickEndpointingDelayMs: 100 };
const FRAME = new Int16Array(320);

describe('VoiceSession with an end-of-turn detector (virtual clock)', () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;
  before(async () => {
    store = await openTestStore();
    const example = await loadAgent(EXAMPLE);
    agent = { ...example, config: { ...example.config, knowledge: { ...example.config.knowledge, sources: [] }, persona: { ...example.config.persona, firstMessage: 'Hi.' } } };
    llm = await startFakeOpenAI();
  });
  after(async () => {
    await llm.close();
    await store.close();
  });

  async function session(turn: Partial<TurnSettings>, o: { stt?: ScriptedStt; inputSampleRate?: number } = {}) {
    const { clock, advance, settle } = manualClock();
    const channel = new MemoryChannel({ now: clock.now, inputSampleRate: o.inputSampleRate });
    const stt = o.stt ?? new ScriptedStt();
    const vad = new ScriptedVad();
    const conversation = new Conversation({ agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: llm.url })('m')], channel: 'web' });
    const voice = new VoiceSession({ conversation, channel, stt, tts: new TimedTts({ msPerChar: 10 }), vad, resampler: () => (p) => p, voice: { speed: 1 }, language: 'en', turn: { ...TURN, ...turn }, silenceReprompt: 60, silenceEnd: 120, clock });
    const running = voice.run(new AbortController().signal);
    await settle();
    await advance(500); // the greeting plays out
    const thinking = () => channel.events.filter((e) => e.type === 'state' && e.state === 'thinking').length;
    /** The caller says words the recogniser finalises, then goes quiet. */
    const say = async (text: string, endOfTurn?: 'end') => {
      vad.start();
      channel.pushCallerAudio(FRAME);
      await settle();
      stt.hear(text, 'final', endOfTurn);
      await settle();
      vad.stop();
      channel.pushCallerAudio(FRAME);
      await settle();
    };
    const hangUp = async () => {
      channel.hangUp();
      await advance(100);
      await running;
    };
    return { channel, stt, vad, voice, advance, settle, say, thinking, hangUp };
  }

  it('text: waits through a half-given email, then answers the whole of it quickly', async () => {
    const s = await session({ detector: 'text' });
    const before = s.thinking();
    await s.say('my email is john dot');
    await s.advance(2000); // a 2 s pause; fixed delays would have answered after 500 ms
    assert.equal(s.thinking(), before, 'no turn during the pause');
    const request = new Promise<ChatRequest>((resolve) => llm.push((r) => (resolve(r), { text: 'Thanks, noted.' })));
    await s.say('smith at gmail dot com');
    await s.advance(90);
    assert.equal(s.thinking(), before);
    await s.advance(20);
    assert.equal(s.thinking(), before + 1, 'the turn ended ~100 ms after the finished address');
    const asked = (await request).messages.filter((m) => m.role === 'user').map((m) => String(m.content)).at(-1);
    assert.equal(asked?.split('\n')[0], 'my email is john dot smith at gmail dot com', 'one turn with the whole address');
    await s.hangUp();
  });

  it('text answers a question after the quick delay; fixed waits the ordinary one', async () => {
    for (const [detector, wait] of [['text', 100], ['fixed', 500]] as const) {
      const s = await session({ detector });
      const before = s.thinking();
      llm.push({ text: 'It is 2,400 euros.' });
      await s.say('how much is the audit');
      await s.advance(wait - 20);
      assert.equal(s.thinking(), before, `${detector}: not yet`);
      await s.advance(40);
      assert.equal(s.thinking(), before + 1, `${detector}: the turn ended after ~${wait} ms`);
      await s.hangUp();
    }
  });

  it('flux (auto with a recogniser that ends turns): the recogniser\'s EndOfTurn ends the turn, the VAD\'s silence does not', async () => {
    const stt = new ScriptedStt({ endsTurns: true });
    const s = await session({ detector: 'auto' }, { stt });
    const before = s.thinking();
    s.vad.start();
    s.channel.pushCallerAudio(FRAME);
    await s.settle();
    stt.hear('my number is four one five', 'partial');
    s.vad.stop();
    s.channel.pushCallerAudio(FRAME);
    await s.advance(2500);
    assert.equal(s.thinking(), before, 'no turn while Flux has not said so');
    llm.push({ text: 'Got it.' });
    stt.hear('my number is four one five five five five one two three four', 'final', 'end');
    await s.advance(20);
    assert.equal(s.thinking(), before + 1);
    await s.hangUp();
  });

  it('phone audio reaches a recogniser that takes 8 kHz as it is; one that does not gets 16 kHz', async () => {
    const native = new ScriptedStt({ acceptsSampleRates: [8000, 16000] });
    const a = await session({}, { stt: native, inputSampleRate: 8000 });
    a.channel.pushCallerAudio(new Int16Array(160));
    await a.settle();
    assert.deepEqual(native.streamRates, [8000]);
    assert.equal(native.pushedSamples, 160, 'the 20 ms frame went in unresampled');
    await a.hangUp();
    const other = new ScriptedStt();
    const b = await session({}, { stt: other, inputSampleRate: 8000 });
    assert.deepEqual(other.streamRates, [undefined]);
    await b.hangUp();
  });
});
