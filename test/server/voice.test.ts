import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { WebChannel } from '../../src/channels/web/socket.ts';
import { buildServer } from '../../src/server/app.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { agentsFolder, connect, GREETING, listenOnLoopback } from './helpers.ts';
import { openTestStore } from '../helpers/store.ts';

const SHOP = 'https://shop.example.com';

describe('WebChannel', () => {
  it('reports heardMs from the browser\'s `played`, capped at what was sent', () => {
    const socket = Object.assign(new EventEmitter(), { sent: [] as unknown[], send(d: unknown) { this.sent.push(d); }, close() {} });
    const channel = new WebChannel(socket, { outputSampleRate: 16000, onMessage: () => {} });
    channel.play(new Int16Array(1600)); // 100 ms
    assert.ok(socket.sent[0] instanceof Uint8Array && socket.sent[0].byteLength === 3200);
    socket.emit('message', Buffer.from(JSON.stringify({ type: 'played', ms: 40 })), false);
    assert.equal(channel.heardMs(), 40);
    socket.emit('message', Buffer.from(JSON.stringify({ type: 'played', ms: 500 })), false);
    assert.equal(channel.heardMs(), 100);
    channel.clear();
    assert.deepEqual(JSON.parse(String(socket.sent.at(-1))), { type: 'clear' });
  });
});

describe('server: the voice door with scripted ears and a timed mouth', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  const made: { stt: ScriptedStt; vad: ScriptedVad; tts: TimedTts }[] = [];

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    app = await buildServer({
      agentsDir: agentsFolder(),
      store,
      mode: 'serve',
      outputSampleRate: 16000,
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url },
      speech: () => {
        const s = { stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new TimedTts({ msPerChar: 2 }) };
        made.push(s);
        return s;
      },
    });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  it('refuses localhost outside dev mode', async () => {
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: 'http://localhost:3000' } });
    assert.equal(res.status, 403);
  });

  it('takes audio in, sends the greeting as binary frames, and waits for `played` before listening', async () => {
    const { url } = (await (await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } })).json()) as { url: string };
    const c = connect(url, SHOP);
    const ready = await c.waitFor((e) => e.type === 'ready');
    assert.equal(ready.sampleRate, 16000);
    c.json({ type: 'start', mode: 'voice' });
    // The greeting's caption shows at once; its final caption comes once it has been played.
    const live = await c.waitFor((e) => e.type === 'agent_text' && e.final === false);
    assert.equal(live.text, GREETING);
    await c.waitFor((e) => e.type === 'state' && e.state === 'speaking');
    // The browser says it has played nothing yet: the agent is still speaking, however long it takes.
    c.json({ type: 'played', ms: 0 });

    // Caller audio goes to the recogniser.
    for (let i = 0; i < 5; i++) c.ws.send(Buffer.alloc(640));
    const expectedMs = GREETING.length * 2;
    await new Promise((r) => setTimeout(r, expectedMs + 150));
    assert.ok(!c.events.some((e) => e.type === 'state' && e.state === 'listening'), 'not listening before the greeting was played');
    assert.ok(!c.events.some((e) => e.type === 'agent_text' && e.final), 'no final caption before the greeting was played');
    const bytes = c.audio.reduce((n, b) => n + b.byteLength, 0);
    const ms = (bytes / 2 / 16000) * 1000;
    assert.ok(ms >= expectedMs * 0.9, `the greeting's audio arrived (${ms} ms)`);
    c.json({ type: 'played', ms });
    await c.waitFor((e) => e.type === 'state' && e.state === 'listening');
    const greeting = await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
    assert.equal(greeting.text, GREETING, 'one final caption for the greeting, whole');
    assert.ok(made[0].stt.pushedSamples >= 5 * 320, 'caller audio reached the recogniser');

    // A spoken turn: speech starts, words are heard, speech ends; the answer is spoken back.
    llm.push({ text: 'The audit costs 2,400 euros.' });
    made[0].vad.start();
    c.ws.send(Buffer.alloc(640));
    made[0].stt.hear('How much is the audit?');
    made[0].vad.stop();
    c.ws.send(Buffer.alloc(640));
    await c.waitFor((e) => e.type === 'transcript' && e.text === 'How much is the audit?' && e.final === true);
    await c.waitFor(((n) => (e: { type: string; state?: unknown }) => e.type === 'state' && e.state === 'speaking' && ++n === 2)(0));
    c.json({ type: 'played', ms: 1e9 }); // the browser played all it got (heard is capped at what was sent)
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'The audit costs 2,400 euros.');

    c.json({ type: 'end' });
    const end = await c.waitFor((e) => e.type === 'end');
    assert.equal(end.reason, 'caller hung up');
    assert.equal((await c.closed).code, 1000);
    const rec = await new Records(store.db).get(String(ready.conversationId));
    assert.equal(rec?.endReason, 'caller hung up');
    // The answered turn's latency reached the metrics, stage by stage.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^parley_turn_latency_seconds_count\{stage="voiceToVoice"\} 1$/m);
    assert.match(metrics, /^parley_turn_latency_seconds_bucket\{stage="llmFirstToken",le="\+Inf"\} 1$/m);
    assert.match(metrics, /^parley_turns_total\{agent="ada"\} 1$/m);
  });

  it('answers a turn typed during a voice session aloud, with the typed words as the caller caption', async () => {
    const { url } = (await (await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } })).json()) as { url: string };
    const c = connect(url, SHOP);
    const ready = await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'voice' });
    await c.waitFor((e) => e.type === 'state' && e.state === 'speaking');
    c.json({ type: 'played', ms: 1e9 });
    await c.waitFor((e) => e.type === 'state' && e.state === 'listening');
    const bytesBefore = c.audio.reduce((n, b) => n + b.byteLength, 0);
    llm.push({ text: 'We open at nine.' });
    c.json({ type: 'text', text: 'When do you open?' });
    await c.waitFor((e) => e.type === 'transcript' && e.text === 'When do you open?' && e.final === true);
    await c.waitFor(((n) => (e: { type: string; state?: unknown }) => e.type === 'state' && e.state === 'speaking' && ++n === 2)(0));
    c.json({ type: 'played', ms: 1e9 });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'We open at nine.');
    assert.ok(c.audio.reduce((n, b) => n + b.byteLength, 0) > bytesBefore, 'the answer was spoken');
    assert.ok(!c.events.some((e) => e.type === 'error'), 'no error for a typed turn in voice mode');
    // Longer than limits.maxTurnChars: refused, the session goes on.
    c.json({ type: 'text', text: 'x'.repeat(2001) });
    const refused = await c.waitFor((e) => e.type === 'error');
    assert.match(String(refused.message), /at most 2000 characters/);
    c.json({ type: 'end' });
    await c.closed;
    const turns = (await new Records(store.db).get(String(ready.conversationId)))?.turns ?? [];
    assert.deepEqual(turns.map((t) => [t.role, t.text]).slice(1), [['caller', 'When do you open?'], ['agent', 'We open at nine.']]);
  });
});
