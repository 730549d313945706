import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildServer } from '../../src/server/app.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeOpenAI, TwilioCallPeer, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { agentsFolder, connect, GREETING, type TestClient, listenOnLoopback } from './helpers.ts';
import { openTestStore } from '../helpers/store.ts';

const SHOP = 'https://shop.example.com';
const PHONE = '+14155550199';
const TWILIO_TOKEN = 'fuzz-twilio-token';

/** Adds a phone agent (`bea`) next to the web one. */
function withPhoneAgent(dir: string): string {
  mkdirSync(join(dir, 'bea'));
  writeFileSync(
    join(dir, 'bea', 'agent.yaml'),
    ['name: bea', 'persona: { prompt: You are Bea., firstMessage: Hello from Bea. }', 'knowledge: { sources: [], strict: false }', `channels: { phone: { number: "${PHONE}", accountSid: ACfuzz, authToken: "\${TWILIO_FUZZ_TOKEN}" } }`, 'limits: { conversationsPerIpPerHour: 1000, maxConcurrent: 1000 }', ''].join('\n'),
  );
  return dir;
}

/** A hostile Media Streams message: junk, wrong order, wrong types, binary, oversized. */
function badTwilioMessage(r: () => number, streamSid: string): string | Buffer {
  switch (Math.floor(r() * 12)) {
    case 0: return Buffer.from([1, 2, 3]); // binary: never part of Media Streams
    case 1: return '{"event":"media"'; // truncated
    case 2: return JSON.stringify({ event: 'media', streamSid, media: { payload: '***not base64***' } });
    case 3: return JSON.stringify({ event: 'media', streamSid, media: { track: 'outbound', payload: 'AAAA' } });
    case 4: return JSON.stringify({ event: 'start', start: { streamSid, callSid: 'CAagain' } }); // a second start
    case 5: return JSON.stringify({ event: `e${Math.floor(r() * 1e6)}` });
    case 6: return JSON.stringify({ event: 'dtmf', dtmf: { digit: '12' } });
    case 7: return JSON.stringify({ event: 'mark', mark: {} });
    case 8: return 'x'.repeat(20_000); // over the 16 KB message limit
    case 9: return JSON.stringify({ event: 'media', streamSid, media: { payload: Buffer.alloc(160, 0xff).toString('base64') } }); // valid silence
    case 10: return JSON.stringify({ event: 'mark', streamSid, mark: { name: `nope${Math.floor(r() * 100)}` } }); // valid, not ours
    default: return JSON.stringify([null]);
  }
}
const ATTACKERS = 200;
const MESSAGES_EACH = 50; // 10,000 in all

/** A deterministic stream of random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One hostile or broken message: junk, wrong types, wrong order, oversized, binary where text belongs. */
function badMessage(r: () => number): string | Buffer {
  const n = Math.floor(r() * 14);
  const bytes = (len: number) => Buffer.from(Array.from({ length: len }, () => Math.floor(r() * 256)));
  switch (n) {
    case 0: return bytes(1 + Math.floor(r() * 2000)); // audio before start, odd lengths
    case 1: return bytes(1 + Math.floor(r() * 300)).toString('latin1'); // text that is not JSON
    case 2: return JSON.stringify([1, 2, 3]);
    case 3: return JSON.stringify({ type: `x${Math.floor(r() * 1e6)}` });
    case 4: return JSON.stringify({ type: 'start', mode: 'video' });
    case 5: return JSON.stringify({ type: 'text', text: 42 });
    case 6: return JSON.stringify({ type: 'played', ms: r() < 0.5 ? -1 : 'soon' });
    case 7: return '{"type":"start","mode":"text"'; // truncated
    case 8: return `${'['.repeat(5000)}${']'.repeat(5000)}`; // deeply nested
    case 9: return JSON.stringify({ type: 'text', text: 'too early' }); // before start
    case 10: return Buffer.alloc(70_000); // oversized frame
    case 11: return JSON.stringify({ type: 'played', ms: Math.floor(r() * 1000) }); // valid, harmless
    case 12: return JSON.stringify({ type: 'mute', muted: r() < 0.5 }); // valid, harmless
    default: return JSON.stringify(null);
  }
}

describe('fuzz: 10,000 random and malformed messages on the web socket', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    app = await buildServer({
      agentsDir: withPhoneAgent(agentsFolder('{ conversationsPerIpPerHour: 1000, maxConcurrent: 1000 }')),
      store,
      mode: 'serve',
      maxSessions: 1000,
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', TWILIO_FUZZ_TOKEN: TWILIO_TOKEN, PARLEY_WAITING_PER_ADDRESS: '1000' },
      speech: (_, door) => ({ stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new TimedTts({ msPerChar: 1, sampleRate: door.sampleRate === 8000 ? 8000 : 16000 }) }),
    });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  async function socketUrl(): Promise<string> {
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { url: string }).url;
  }

  /** A caller having a typed conversation; every answer echoes the question, so crossed wires would show. */
  async function victim(): Promise<{ c: TestClient; id: string; ask(q: string): Promise<void> }> {
    const c = connect(await socketUrl(), SHOP);
    const ready = await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
    return {
      c,
      id: String(ready.conversationId),
      async ask(q) {
        c.json({ type: 'text', text: q });
        await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === `You asked: ${q}`, 20_000);
      },
    };
  }

  async function attacker(seed: number): Promise<{ sent: number; code: number }> {
    const r = random(seed);
    const ws = new WebSocket(await socketUrl(), { origin: SHOP });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => {});
    await new Promise<void>((resolve) => ws.once('open', () => resolve()));
    let sent = 0;
    for (let i = 0; i < MESSAGES_EACH; i++) {
      // Some attackers start a session first, so wrongly ordered messages hit a running one.
      if (i === 0 && seed % 3 === 0) ws.send(JSON.stringify({ type: 'start', mode: seed % 2 ? 'voice' : 'text' }));
      const m = badMessage(r);
      if (ws.readyState !== WebSocket.OPEN) break;
      ws.send(m, { binary: typeof m !== 'string' });
      sent++;
    }
    // The remaining messages go into a closed socket: still counted as sent by the attacker.
    const code = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 3000))]);
    if (code === -1) ws.terminate();
    return { sent: MESSAGES_EACH, code };
  }

  it('closes each offending session with a reason, while the other conversations carry on and lose nothing', async () => {
    llm.push(...Array.from({ length: 9 }, () => (req: ChatRequest) => ({ text: `You asked: ${String(req.messages.filter((m) => m.role === 'user').at(-1)?.content).split('\n\n[DOCUMENTS]')[0]!.trim()}` })));
    const victims = await Promise.all([victim(), victim(), victim()]);
    await Promise.all(victims.map((v, i) => v.ask(`question one from ${i}`)));

    const flood = Promise.all(Array.from({ length: ATTACKERS }, (_, i) => attacker(i + 1)));
    await Promise.all(victims.map((v, i) => v.ask(`question two from ${i}`)));
    const results = await flood;
    await Promise.all(victims.map((v, i) => v.ask(`question three from ${i}`)));

    assert.equal(results.reduce((n, r) => n + r.sent, 0), 10_000);
    const codes = new Map<number, number>();
    for (const r of results) codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    assert.ok([...codes.keys()].every((c) => [1008, 1009, 1000, -1].includes(c)), `close codes: ${JSON.stringify([...codes])}`);
    assert.ok((codes.get(1008) ?? 0) > ATTACKERS / 2, 'most attackers were closed for a protocol violation');

    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { ok: true });
    for (const [i, v] of victims.entries()) {
      v.c.json({ type: 'end' });
      await v.c.closed;
      const rec = await new Records(store.db).get(v.id);
      assert.deepEqual(
        rec?.turns.map((t) => t.text),
        [GREETING, ...['one', 'two', 'three'].flatMap((n) => [`question ${n} from ${i}`, `You asked: question ${n} from ${i}`])],
        `victim ${i}'s record is whole`,
      );
    }
  });

  it('does the same on the Twilio stream: 10,000 hostile messages, one stream closed at a time, a live call unharmed', async () => {
    const voiceUrl = `${base}/v1/twilio/voice`;
    const victim = new TwilioCallPeer({ accountSid: 'ACfuzz', authToken: TWILIO_TOKEN });
    const answered = await victim.dial(voiceUrl, { From: '+48601000000', To: PHONE });
    assert.equal(answered.status, 200);
    await victim.connect(answered.twiml);

    const results = await Promise.all(
      Array.from({ length: ATTACKERS }, async (_, i) => {
        const r = random(1000 + i);
        const peer = new TwilioCallPeer({ accountSid: 'ACfuzz', authToken: TWILIO_TOKEN });
        // Half start properly (signed webhook, valid token) and then misbehave; half never start.
        if (i % 2 === 0) await peer.connect((await peer.dial(voiceUrl, { From: `+4860100${String(i).padStart(4, '0')}`, To: PHONE })).twiml);
        else await peer.connect(`<Response><Connect><Stream url="${base.replace('http', 'ws')}/v1/twilio/stream"></Stream></Connect></Response>`);
        for (let k = 0; k < MESSAGES_EACH; k++) peer.raw(badTwilioMessage(r, peer.streamSid));
        const closed = await Promise.race([peer.closed!, new Promise<{ code: number }>((resolve) => setTimeout(() => resolve({ code: -1 }), 3000))]);
        if (closed.code === -1) await peer.hangUp();
        return closed.code;
      }),
    );
    assert.ok(results.filter((c) => c === 1008 || c === 1009).length > ATTACKERS * 0.9, `close codes: ${JSON.stringify(results.slice(0, 20))}`);

    // The live call went on: its greeting played in full while the flood ran, and it ends cleanly.
    await victim.until(() => victim.heardMs >= 'Hello from Bea.'.length * 1 && victim.queuedFrames === 0, 'the victim call greeting');
    await victim.hangUp();
    await Promise.all([...app.parley.live].map((x) => x.done));
    const calls = await new Records(store.db).search({ agent: 'bea', channel: 'phone', limit: 500 });
    const mine = calls.items.find((c) => c.caller === '+48601000000')!;
    const rec = await new Records(store.db).get(mine.id);
    assert.equal(rec?.endReason, 'caller hung up');
    assert.deepEqual(rec?.turns.map((t) => t.text), ['Hello from Bea.']);
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { ok: true });
  });
});
