import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { OpusDecoder, OpusEncoder } from '../../src/audio/opus.ts';
import { MAX_OPUS_PACKET_BYTES, SocketOpus } from '../../src/channels/web/socket-opus.ts';
import { buildServer } from '../../src/server/app.ts';
import { Records } from '../../src/store/records.ts';
import { ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { agentsFolder, connect, GREETING, listenOnLoopback, serverFixture, type TestClient } from './helpers.ts';

// Opus on the web door's socket (start with audio "opus"), from a scripted browser that encodes
// its microphone and decodes the agent with opusscript as WebCodecs would: the greeting comes down
// as 20 ms Opus packets, the caller's packets reach the recogniser as 16 kHz PCM, `played` reports
// count decoded milliseconds and a barge-in keeps only the words played. And the hostile browser:
// garbage packets and oversized ones close that session with a reason; the server goes on.

const SHOP = 'https://shop.example.com';
const MS_PER_CHAR = 20;
/** 20 ms of a 300 Hz tone at 16 kHz: what the scripted microphone says. */
const tone = () => new Int16Array(320).map((_, i) => Math.round(4000 * Math.sin((2 * Math.PI * 300 * i) / 16000)));

describe('SocketOpus', () => {
  it('sends whole 20 ms frames at once and the rest in short frames before the browser runs dry; clear drops the rest', async () => {
    const sent: number[] = [];
    let flushed!: () => void;
    const flushing = new Promise<void>((r) => (flushed = r));
    const opus = new SocketOpus(24000, { send: (_, ms) => (sent.push(ms), sent.reduce((a, b) => a + b) === 55 && flushed()), queuedMs: () => 0 });
    opus.play(new Int16Array(24 * 45)); // 45 ms: two frames now, 5 ms waiting
    assert.deepEqual(sent, [20, 20]);
    opus.play(new Int16Array(24 * 10)); // 15 ms waiting, flushed once the queue would run dry (at once here)
    await flushing;
    assert.deepEqual(sent, [20, 20, 10, 5]);
    opus.play(new Int16Array(24 * 7)); // 7 ms waiting, dropped by a barge-in
    opus.clear();
    opus.flush();
    assert.deepEqual(sent, [20, 20, 10, 5], 'nothing left to flush after clear');
    opus.play(new Int16Array(24 * 3)); // 3 ms: padded to 5 (2.5 ms grain)
    opus.flush();
    assert.deepEqual(sent.slice(4), [5]);
    opus.close();
  });
});

describe('server: Opus frames on the web socket', { timeout: 60_000 }, () => {
  const fx = serverFixture();
  let app: FastifyInstance;
  let base: string;
  const made: { stt: ScriptedStt; vad: ScriptedVad; tts: TimedTts }[] = [];

  before(async () => {
    const speech = () => {
      const s = { stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new TimedTts({ msPerChar: MS_PER_CHAR, sampleRate: 24000 }) };
      made.push(s);
      return s;
    };
    app = fx.track(await buildServer({ agentsDir: agentsFolder(), store: fx.store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_WEBRTC: 'off' }, speech }));
    base = await listenOnLoopback(app);
  });

  async function open(): Promise<{ c: TestClient; ready: Record<string, unknown> }> {
    const { url } = (await (await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } })).json()) as { url: string };
    const c = connect(url, SHOP);
    const ready = await c.waitFor((e) => e.type === 'ready');
    return { c, ready };
  }

  /** Waits until the agent audio received decodes to at least `ms`; returns the decoded ms. */
  async function receivedMs(c: TestClient, dec: OpusDecoder, from: number, ms: number): Promise<{ ms: number; next: number }> {
    let got = 0;
    let i = from;
    for (;;) {
      for (; i < c.audio.length; i++) got += (dec.decode(c.audio[i]!).length * 1000) / dec.sampleRate;
      if (got >= ms) return { ms: got, next: i };
      await new Promise<void>((r) => c.ws.once('message', () => r()));
    }
  }

  it('talks Opus both ways: greeting as 20 ms packets, caller packets to the recogniser, played ms, a barge-in keeps what was played', async () => {
    const { c, ready } = await open();
    assert.equal(ready.opus, true, 'the server says it takes Opus on the socket');
    assert.equal(ready.sampleRate, 24000);
    c.json({ type: 'start', mode: 'voice', audio: 'opus' });
    await c.waitFor((e) => e.type === 'state' && e.state === 'speaking');
    const dec = new OpusDecoder(24000);
    // The greeting is spoken sentence by sentence (the space between them is not).
    const greeting = await receivedMs(c, dec, 0, (GREETING.length - 1) * MS_PER_CHAR);
    const greetingMs = made.at(-1)!.tts.spoken.join('').length * MS_PER_CHAR;
    assert.equal(greeting.ms, greetingMs, 'the whole greeting, no padding');
    assert.ok(c.audio.every((p) => p.byteLength < 120), `small packets (largest ${Math.max(...c.audio.map((p) => p.byteLength))} bytes)`);
    const bytes = c.audio.reduce((n, p) => n + p.byteLength, 0);
    assert.ok((bytes * 8) / (greetingMs / 1000) < 40_000, `downlink ${Math.round((bytes * 8) / greetingMs)} kbit/s`);
    c.json({ type: 'played', ms: greeting.ms });
    await c.waitFor((e) => e.type === 'state' && e.state === 'listening');

    // The caller: Opus packets from a 16 kHz microphone, decoded to 16 kHz for the recogniser.
    const stt = made.at(-1)!.stt;
    const vad = made.at(-1)!.vad;
    const enc = new OpusEncoder(16000, { bitrate: 24_000 });
    const speak = (frames: number) => {
      for (let i = 0; i < frames; i++) c.ws.send(enc.encode(tone()));
    };
    const before = stt.pushedSamples;
    speak(10);
    while (stt.pushedSamples - before < 10 * 320) await new Promise<void>((r) => setTimeout(r, 10));
    assert.equal(stt.pushedSamples - before, 10 * 320, 'every packet became 20 ms of 16 kHz audio');

    // From here the microphone runs, as a browser's does: the session's clock is the caller's audio.
    const mic = setInterval(() => speak(1), 20);
    try {
      // A spoken turn, answered in Opus.
      const answer = 'The audit costs two thousand four hundred euros, and it takes one week.';
      fx.llm.push({ text: answer });
      vad.start();
      stt.hear('How much is the audit?');
      vad.stop();
      await c.waitFor((e) => e.type === 'transcript' && e.text === 'How much is the audit?' && e.final === true);
      await c.waitFor(((n) => (e: { type: string; state?: unknown }) => e.type === 'state' && e.state === 'speaking' && ++n === 2)(0));
      // The browser played the first 600 ms of the answer; then the caller talks over it.
      await receivedMs(c, dec, greeting.next, 600);
      c.json({ type: 'played', ms: greeting.ms + 600 });
      const sent = stt.pushedSamples;
      // A frame behind the report reached the recogniser: the report has been read.
      while (stt.pushedSamples === sent) await new Promise<void>((r) => setTimeout(r, 10));
      fx.llm.push({ text: 'Fine.' });
      vad.start();
      stt.hear('Okay, stop there.');
      await c.waitFor((e) => e.type === 'clear', 10_000);
      vad.stop();
      await c.waitFor((e) => e.type === 'agent_text' && e.text === 'Fine.', 10_000);
    } finally {
      clearInterval(mic);
    }
    const answer = 'The audit costs two thousand four hundred euros, and it takes one week.';
    c.json({ type: 'end' });
    assert.equal((await c.closed).code, 1000);
    dec.close();
    enc.close();
    await Promise.all([...app.parley.live].map((s) => s.done));
    const turns = (await new Records(fx.store.db).get(String(ready.conversationId)))?.turns ?? [];
    const cut = turns.find((t) => t.role === 'agent' && t.text === answer);
    assert.ok(cut?.interrupted, `the answer was interrupted: ${JSON.stringify(turns)}`);
    // 600 ms at 20 ms a character: about the first 30 characters, by whole words.
    assert.ok(cut.heardText && answer.startsWith(cut.heardText.replace(/[.…]+$/, '').trim()) && cut.heardText.length < 45 && cut.heardText.length > 10, `heard: ${cut.heardText}`);
    assert.deepEqual(turns.filter((t) => t.role === 'caller').map((t) => t.text), ['How much is the audit?', 'Okay, stop there.']);
  });

  it('closes the session on a garbage packet, an oversized packet, or Opus in a text session, with the reason; the server goes on', async () => {
    for (const [start, frame, code, reason] of [
      [{ type: 'start', mode: 'voice', audio: 'opus' }, Buffer.from([0xff, 0xff, 0xff]), 1008, /malformed Opus packet/],
      [{ type: 'start', mode: 'voice', audio: 'opus' }, Buffer.alloc(MAX_OPUS_PACKET_BYTES + 1, 0x78), 1009, /Opus packet of 1501 bytes exceeds 1500/],
      [{ type: 'start', mode: 'text', audio: 'opus' }, undefined, 1008, /audio "opus" is for voice sessions/],
    ] as const) {
      const { c } = await open();
      c.json(start);
      if (frame) {
        await c.waitFor((e) => e.type === 'state' && e.state === 'speaking');
        c.ws.send(frame);
      }
      const closed = await c.closed;
      assert.equal(closed.code, code);
      assert.match(closed.reason, reason);
    }
    await Promise.all([...app.parley.live].map((s) => s.done));
    // Still serving: a new session talks.
    const { c } = await open();
    c.json({ type: 'start', mode: 'voice', audio: 'opus' });
    await c.waitFor((e) => e.type === 'state' && e.state === 'speaking');
    c.json({ type: 'end' });
    assert.equal((await c.closed).code, 1000);
  });
});
