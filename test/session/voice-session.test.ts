import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { ingestKnowledge } from '../../src/knowledge/index.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { ConversationRecording } from '../../src/session/voice/recording.ts';
import { VoiceSession } from '../../src/session/voice/voice-session.ts';
import { decodeWav, deinterleave } from '../../src/audio/wav.ts';
import { readFileSync } from 'node:fs';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { MemoryChannel, ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { EXAMPLE, tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

const TURN = { minEndpointingDelayMs: 50, maxEndpointingDelayMs: 300, minInterruptionMs: 60, minInterruptionWords: 1, backchannels: ['mm-hmm', 'yeah', 'okay'], falseInterruptionTimeoutMs: 150 };
const FRAME = new Int16Array(320);

describe('VoiceSession (scripted ears, timed mouth, real conversation)', () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;
  before(async () => {
    store = await openTestStore();
    const example = await loadAgent(EXAMPLE);
    // A short greeting keeps the tests quick: audio plays in real time.
    agent = { ...example, config: { ...example.config, persona: { ...example.config.persona, firstMessage: 'Hi, this is Ada. How can I help?' } } };
    await ingestKnowledge(store, { agent: agent.name, dir: agent.dir, sources: agent.config.knowledge.sources });
    llm = await startFakeOpenAI();
  });
  after(async () => {
    await llm.close();
    await store.close();
  });

  function session(o: { msPerChar?: number; recording?: ConversationRecording; silenceReprompt?: number; silenceEnd?: number; maxDurationSec?: number; agent?: Agent } = {}) {
    const channel = new MemoryChannel();
    const stt = new ScriptedStt();
    const vad = new ScriptedVad();
    const tts = new TimedTts({ msPerChar: o.msPerChar ?? 20 });
    const conversation = new Conversation({ agent: o.agent ?? agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: llm.url })('m')], channel: 'web' });
    const voice = new VoiceSession({ conversation, channel, stt, tts, vad, resampler: () => (p) => p, voice: { speed: 1 }, language: 'en', turn: TURN, silenceReprompt: o.silenceReprompt ?? 30, silenceEnd: o.silenceEnd ?? 60, maxDurationSec: o.maxDurationSec, onAudio: o.recording?.onAudio });
    const ac = new AbortController();
    const running = voice.run(ac.signal);
    /** The caller says something: VAD start, words, VAD end. */
    const say = (text: string, kind: 'partial' | 'final' = 'final') => {
      vad.start();
      channel.pushCallerAudio(FRAME);
      stt.hear(text, kind);
      vad.stop();
      channel.pushCallerAudio(FRAME);
    };
    return { channel, stt, vad, tts, conversation, voice, running, ac, say };
  }

  const speaking = (c: MemoryChannel, n = 1) => c.waitFor(((count) => (e) => e.type === 'state' && e.state === 'speaking' && ++count >= n)(0));
  const listening = (c: MemoryChannel, n = 1) => c.waitFor(((count) => (e) => e.type === 'state' && e.state === 'listening' && ++count >= n)(0));

  it('plays the greeting at once, answers a turn by streaming speech, and records latency and audio', async () => {
    const recording = new ConversationRecording(tempDir());
    const s = session({ recording });
    await speaking(s.channel);
    await listening(s.channel);
    assert.equal(s.tts.spoken.join(' '), agent.config.persona.firstMessage, 'the greeting is spoken before anything else');
    const greetingPieces = s.tts.spoken.length;
    llm.push({ text: 'Sure, I can help with that. The audit costs 2,400 euros.' });
    s.say('How much is the audit?');
    await speaking(s.channel, 2);
    await listening(s.channel, 2);
    assert.deepEqual(s.tts.spoken.slice(greetingPieces), ['Sure, I can help with that.', 'The audit costs 2,400 euros.']);
    s.channel.hangUp();
    await s.running;
    const path = await recording.save(s.conversation);
    const rec = await new Records(store.db).get(s.conversation.id);
    assert.equal(rec?.endReason, 'caller hung up');
    assert.equal(rec?.recording?.path, path);
    const wav = decodeWav(readFileSync(path));
    assert.equal(wav.channels, 2);
    const [caller, agentSide] = deinterleave(wav.pcm, 2);
    assert.ok(agentSide.some((x) => x !== 0), 'the agent is on the right channel');
    assert.ok(caller.every((x) => x === 0), 'the (silent) caller is on the left channel');
    assert.ok((rec?.recording?.durationMs ?? 0) > 500);
    const lat = rec?.turns[2].latency ?? {};
    for (const k of ['endpointingMs', 'llmFirstTokenMs', 'ttsFirstAudioMs', 'voiceToVoiceMs']) assert.equal(typeof lat[k], 'number', k);
  });

  it('barge-in: speech stops as soon as the interruption is confirmed, and history keeps only the heard words', async () => {
    const s = session({ msPerChar: 40 });
    await listening(s.channel); // greeting done
    llm.push({ text: 'The Essential plan is 350 euros a month. The Growth plan is 900 euros a month and includes a monthly review call.' });
    s.say('What do care plans cost?');
    await speaking(s.channel, 2);
    // Let the first sentence (40 chars × 40 ms) be heard, then talk over the agent.
    const from = s.channel.heardMs();
    await new Promise<void>((r) => {
      const check = () => (s.channel.heardMs() - from > 1700 ? r() : setTimeout(check, 20));
      check();
    });
    s.vad.start();
    s.channel.pushCallerAudio(FRAME);
    await new Promise((r) => setTimeout(r, TURN.minInterruptionMs + 20)); // speech lasting past the pause threshold
    s.channel.pushCallerAudio(FRAME);
    s.stt.hear('wait', 'partial');
    await listening(s.channel, 2);
    const clearAt = s.channel.log.findLast((l) => l.op === 'clear')!.at;
    assert.equal(s.channel.pendingMs(), 0, 'nothing left queued at the door');
    assert.ok(!s.channel.log.some((l) => l.op === 'play' && l.at > clearAt), 'no audio after the clear');
    s.stt.hear('wait, which plan has the review call?');
    s.vad.stop();
    llm.push((r) => {
      const said = r.messages.filter((m) => m.role === 'assistant').map((m) => String(m.content)).at(-1) ?? '';
      assert.match(said, /^The Essential plan is 350 euros a month\./);
      assert.doesNotMatch(said, /review call/);
      return { text: 'The Growth plan.' };
    });
    s.channel.pushCallerAudio(FRAME);
    await listening(s.channel, 3);
    s.channel.hangUp();
    await s.running;
    const rec = await new Records(store.db).get(s.conversation.id);
    const cut = rec?.turns[2];
    assert.equal(cut?.interrupted, true, JSON.stringify(rec?.turns.map((t) => [t.seq, t.role, t.text.slice(0, 40), t.interrupted, t.heardText?.slice(0, 40)])));
    assert.match(cut?.heardText ?? '', /^The Essential plan is 350 euros a month\./);
    assert.equal(rec?.turns[4].text, 'The Growth plan.');
  });

  it('"mm-hmm" while the agent talks does not interrupt; a noise with no words pauses and resumes', async () => {
    const s = session({ msPerChar: 30 });
    await listening(s.channel);
    llm.push({ text: 'We build workflow automations and AI assistants for service businesses with five to two hundred people.' });
    s.say('What do you do?');
    await speaking(s.channel, 2);
    s.say('mm-hmm'); // short backchannel
    s.vad.start(); // a cough: long enough to pause, no words
    s.channel.pushCallerAudio(FRAME);
    await new Promise((r) => setTimeout(r, TURN.minInterruptionMs + 30));
    s.vad.stop();
    s.channel.pushCallerAudio(FRAME);
    await listening(s.channel, 2);
    const rec = await new Records(store.db).get(s.conversation.id);
    assert.equal(rec?.turns.length, 3, 'no caller turn came from the backchannel or the noise');
    assert.equal(rec?.turns[2].interrupted, false);
    const clears = s.channel.log.filter((l) => l.op === 'clear').length;
    assert.equal(clears, 1, 'paused once for the noise');
    const playedAfterClear = s.channel.log.filter((l) => l.op === 'play' && l.at > s.channel.log.find((x) => x.op === 'clear')!.at);
    assert.ok(playedAfterClear.length > 0, 'resumed: audio played again after the pause');
    s.channel.hangUp();
    await s.running;
  });

  it("a turn's reads that do not depend on the words (the day's spending) start when the caller starts speaking, and are not made again after their last word", async () => {
    const s = session();
    await listening(s.channel);
    const order: string[] = [];
    const { prepare, reply } = s.conversation;
    s.conversation.prepare = () => (order.push('speech started'), prepare.call(s.conversation));
    s.conversation.reply = (...args) => (order.push('turn'), reply.apply(s.conversation, args));
    const spentSince = Records.prototype.spentSince;
    Records.prototype.spentSince = function (...args) {
      order.push('spending read');
      return spentSince.apply(this, args);
    };
    try {
      llm.push({ text: 'It costs 2,400 euros.' });
      s.say('How much is the audit?');
      await listening(s.channel, 2);
    } finally {
      Records.prototype.spentSince = spentSince;
    }
    assert.deepEqual(order, ['speech started', 'spending read', 'turn']);
    s.channel.hangUp();
    await s.running;
  });

  it('silence: reprompts once, then ends politely and records why', async () => {
    const s = session({ msPerChar: 5, silenceReprompt: 0.3, silenceEnd: 0.9 });
    await s.running;
    const rec = await new Records(store.db).get(s.conversation.id);
    assert.equal(rec?.endReason, 'silence');
    const agentLines = rec!.turns.filter((t) => t.role === 'agent').map((t) => t.text);
    assert.equal(agentLines.length, 3, agentLines.join(' | '));
    assert.equal(agentLines[1], 'Are you still there?');
    assert.match(agentLines[2]!, /end the call/);
    assert.ok(s.tts.spoken.join(' ').endsWith(agentLines[2]!), 'the goodbye was spoken, not only recorded');
  });

  it("persona.language pl-PL: the reprompt is Polish, and the owner's own line (lines.silenceGoodbye) replaces the table's", async () => {
    const config = { ...agent.config, persona: { ...agent.config.persona, language: 'pl-PL' }, lines: { silenceGoodbye: 'Nic nie słyszę, więc się rozłączam. Do usłyszenia!' } };
    const s = session({ msPerChar: 5, silenceReprompt: 0.3, silenceEnd: 0.9, agent: { ...agent, config } });
    await s.running;
    const rec = await new Records(store.db).get(s.conversation.id);
    const agentLines = rec!.turns.filter((t) => t.role === 'agent').map((t) => t.text);
    assert.deepEqual(agentLines.slice(1), ['Halo, czy nadal mnie słychać?', 'Nic nie słyszę, więc się rozłączam. Do usłyszenia!']);
  });

  it('maxDurationSec: wraps up before the limit, then says goodbye and ends at it', async () => {
    const s = session({ msPerChar: 5, maxDurationSec: 1.2 });
    const started = performance.now();
    await s.running;
    const took = performance.now() - started;
    const rec = await new Records(store.db).get(s.conversation.id);
    assert.equal(rec?.endReason, 'time limit');
    const agentLines = rec!.turns.filter((t) => t.role === 'agent').map((t) => t.text);
    assert.match(agentLines.at(-2)!, /wrap up/, 'the wrap-up came before the limit');
    assert.match(agentLines.at(-1)!, /time limit/);
    assert.ok(took >= 1200, `ended at the limit, not before (${took.toFixed(0)} ms)`);
  });
});
