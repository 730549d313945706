import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildServer } from '../../src/server/app.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { parseStreamTwiml, startFakeOpenAI, TwilioCallPeer, type FakeOpenAI } from '../../src/testing/index.ts';
import { ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { connect, listenOnLoopback, type TestClient } from './helpers.ts';

// Issue 14, High 2: sockets that never send `start` held the agent's seats forever. Now a seat is
// taken at `start`, a socket without `start` is closed after PARLEY_START_TIMEOUT_SEC, and only a
// few may wait per caller address.

const SHOP = 'https://shop.example.com';
const NUMBER = '+14155550123';
const ACCOUNT = 'AC00000000000000000000000000000idle';
const TWILIO_TOKEN = 'twilio-token-idle-sockets';
const START_TIMEOUT_SEC = 0.5;

/** Asks `probe` again until `done` holds (the record of a closed socket is written after its close event), for up to 5 s. */
async function eventually<T>(probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > deadline) return v;
  }
}

describe('seats are taken at `start`: idle sockets keep no one out', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let speechFails = false;
  const clients: TestClient[] = [];

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    const dir = tempDir('parley-idle-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(
      join(dir, 'ada', 'agent.yaml'),
      [
        'name: ada',
        'persona: { prompt: You are Ada., firstMessage: Hello from Ada. }',
        'knowledge: { sources: [], strict: false }',
        `channels: { web: { allowedOrigins: [shop.example.com] }, phone: { number: "${NUMBER}", accountSid: ${ACCOUNT}, authToken: "\${TWILIO_IDLE_TOKEN}" } }`,
        'limits: { maxConcurrent: 2, conversationsPerIpPerHour: 1000 }',
        '',
      ].join('\n'),
    );
    app = await buildServer({
      agentsDir: dir,
      store,
      mode: 'serve',
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_TRUST_PROXY: 'true', PARLEY_START_TIMEOUT_SEC: String(START_TIMEOUT_SEC), TWILIO_IDLE_TOKEN: TWILIO_TOKEN },
      speech: () => {
        if (speechFails) throw new Error('no speech engine today');
        return { stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new TimedTts({ sampleRate: 8000, msPerChar: 1 }) };
      },
    });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    await app.close();
    await store.close();
    await llm.close();
  });

  async function open(ip: string): Promise<TestClient> {
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP, 'x-forwarded-for': ip } });
    assert.equal(res.status, 200, await res.clone().text());
    const c = connect(((await res.json()) as { url: string }).url, SHOP, { 'x-forwarded-for': ip });
    clients.push(c);
    return c;
  }

  async function hangUp(c: TestClient): Promise<void> {
    const id = c.events.find((e) => e.type === 'ready')!.conversationId;
    const session = [...app.parley.live].find((s) => s.conversationId === id)!;
    c.json({ type: 'end' });
    await c.closed;
    await session.done;
  }

  it('two idle sockets (maxConcurrent: 2) keep neither a web visitor nor a phone caller out, and are closed for sending no `start`', async () => {
    const idle = [await open('198.51.100.1'), await open('198.51.100.2')];
    await Promise.all(idle.map((c) => c.waitFor((e) => e.type === 'ready')));

    const visitor = await open('198.51.100.3');
    await visitor.waitFor((e) => e.type === 'ready');
    visitor.json({ type: 'start', mode: 'text' });
    await visitor.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'Hello from Ada.');

    const caller = new TwilioCallPeer({ accountSid: ACCOUNT, authToken: TWILIO_TOKEN });
    const answered = await caller.dial(`${base}/v1/twilio/voice`, { From: '+48601111111', To: NUMBER });
    assert.ok(parseStreamTwiml(answered.twiml), `the call is connected, not turned away: ${answered.twiml}`);

    for (const c of idle) assert.deepEqual(await c.closed, { code: 1008, reason: `no start within ${START_TIMEOUT_SEC} s` });
    await hangUp(visitor);
    for (const c of idle) {
      const id = String(c.events.find((e) => e.type === 'ready')!.conversationId);
      const rec = await eventually(() => new Records(store.db).get(id), (r) => Boolean(r?.endedAt));
      assert.equal(rec?.endReason, 'no start', 'the id announced in `ready` leads to a record');
    }
  });

  it('a seat is taken at `start`: three sockets opened while there was room, the third to start is refused with 1013', async () => {
    const three = [await open('203.0.113.1'), await open('203.0.113.2'), await open('203.0.113.3')];
    await Promise.all(three.map((c) => c.waitFor((e) => e.type === 'ready')));
    for (const c of three.slice(0, 2)) {
      c.json({ type: 'start', mode: 'text' });
      await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
    }
    three[2]!.json({ type: 'start', mode: 'text' });
    const refused = await three[2]!.closed;
    assert.equal(refused.code, 1013);
    assert.match(refused.reason, /"ada" is in 2 conversations already/);
    const refusedId = String(three[2]!.events.find((e) => e.type === 'ready')!.conversationId);
    await hangUp(three[0]!);
    const later = await open('203.0.113.3');
    await later.waitFor((e) => e.type === 'ready');
    later.json({ type: 'start', mode: 'text' });
    await later.waitFor((e) => e.type === 'agent_text' && e.final === true);
    await hangUp(three[1]!);
    await hangUp(later);
    assert.equal(await new Records(store.db).get(refusedId), undefined, 'turned away at the door: no seat, no conversation, no record');
  });

  it('messages sent right behind `start` wait while the seat is taken, and arrive in order', async () => {
    llm.push({ text: 'Answer one.' }, { text: 'Answer two.' });
    const c = await open('203.0.113.50');
    await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    c.json({ type: 'text', text: 'question one' }); // right behind start: it waits for the seat and the greeting
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'Answer one.');
    c.json({ type: 'text', text: 'question two' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'Answer two.');
    const captions = c.events.filter((e) => e.type === 'transcript' || (e.type === 'agent_text' && e.final === true)).map((e) => e.text);
    assert.deepEqual(captions, ['Hello from Ada.', 'question one', 'Answer one.', 'question two', 'Answer two.']);
    await hangUp(c);
  });

  it('at most 4 sockets per address wait for `start`; the fifth is refused at once, and one that starts makes room', async () => {
    const ip = '192.0.2.44';
    const waiting = await Promise.all([0, 1, 2, 3].map(() => open(ip)));
    await Promise.all(waiting.map((c) => c.waitFor((e) => e.type === 'ready')));
    const fifth = await open(ip);
    assert.deepEqual(await fifth.closed, { code: 1013, reason: 'more than 4 sockets from this address are waiting to start' });
    waiting[0]!.json({ type: 'start', mode: 'text' });
    await waiting[0]!.waitFor((e) => e.type === 'agent_text' && e.final === true);
    const sixth = await open(ip);
    await sixth.waitFor((e) => e.type === 'ready');
    await hangUp(waiting[0]!);
    for (const c of [...waiting.slice(1), sixth]) assert.equal((await c.closed).code, 1008);
  });

  it('a Twilio stream that sends no `start` is closed too', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/twilio/stream`);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('open', () => ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' })));
    assert.deepEqual(await closed, { code: 1008, reason: `no start within ${START_TIMEOUT_SEC} s` });
  });

  it('a session that got a seat and failed to start still has its record, ended with "error", in the list', async () => {
    speechFails = true;
    try {
      const c = await open('192.0.2.77');
      const ready = await c.waitFor((e) => e.type === 'ready');
      c.json({ type: 'start', mode: 'voice' });
      assert.equal((await c.closed).code, 1011);
      await Promise.all([...app.parley.live].map((s) => s.done));
      const rec = await new Records(store.db).get(String(ready.conversationId));
      assert.ok(rec, 'the conversation has a record');
      assert.equal(rec.endReason, 'error');
      assert.ok(rec.endedAt);
      const listed = await new Records(store.db).search({ outcome: 'error', limit: 50 });
      assert.ok(listed.items.some((i) => i.id === rec.id), 'the dashboard lists it');
    } finally {
      speechFails = false;
    }
  });

  it('a phone call that got a seat and failed to start still has its record, ended with "error"', async () => {
    speechFails = true;
    try {
      const caller = new TwilioCallPeer({ accountSid: ACCOUNT, authToken: TWILIO_TOKEN });
      await caller.connect((await caller.dial(`${base}/v1/twilio/voice`, { From: '+48601999000', To: NUMBER })).twiml);
      assert.equal((await caller.closed!).code, 1011);
      await Promise.all([...app.parley.live].map((s) => s.done));
      const calls = await new Records(store.db).search({ channel: 'phone', outcome: 'error', limit: 50 });
      const rec = calls.items.find((i) => i.caller === '+48601999000');
      assert.ok(rec, 'the call has a record, listed');
      assert.equal(rec.endReason, 'error');
    } finally {
      speechFails = false;
    }
  });
});
