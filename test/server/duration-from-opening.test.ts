import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, TwilioCallPeer, type FakeOpenAI } from '../../src/testing/index.ts';
import { ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { connect, listenOnLoopback } from './helpers.ts';

// Issue 14: an idle socket outlived its 60 s limit by minutes. limits.maxDurationSec now counts
// from the socket's opening, not from `start`: a caller who starts late gets what is left.

const SHOP = 'https://shop.example.com';
const NUMBER = '+14155550199';
const ACCOUNT = 'AC000000000000000000000000duration';
const TWILIO_TOKEN = 'twilio-token-duration';
const LIMIT_SEC = 2;
/** How late the caller starts. The wait is the scenario (a late start), not synchronisation. */
const LATE_MS = 1200;

describe('limits.maxDurationSec counts from the socket’s opening', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let speechHangs = false;

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    const dir = tempDir('parley-duration-');
    mkdirSync(join(dir, 'brief'));
    writeFileSync(
      join(dir, 'brief', 'agent.yaml'),
      [
        'name: brief',
        'persona: { prompt: You are brief., firstMessage: Hi. }',
        'knowledge: { sources: [], strict: false }',
        `channels: { web: { allowedOrigins: [shop.example.com] }, phone: { number: "${NUMBER}", accountSid: ${ACCOUNT}, authToken: "\${TWILIO_DURATION_TOKEN}" } }`,
        `limits: { maxDurationSec: ${LIMIT_SEC}, conversationsPerIpPerHour: 1000 }`,
        '',
      ].join('\n'),
    );
    app = await buildServer({
      agentsDir: dir,
      store,
      mode: 'serve',
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', TWILIO_DURATION_TOKEN: TWILIO_TOKEN },
      speech: (_, door) =>
        speechHangs ? new Promise<never>(() => {}) : { stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new TimedTts({ sampleRate: door.sampleRate === 8000 ? 8000 : 16000, msPerChar: 1 }) },
    });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  for (const mode of ['voice', 'text'] as const) {
    it(`web ${mode}: a caller who starts late is cut at the limit counted from the opening`, async (t) => {
      const { url } = (await (await fetch(`${base}/v1/agents/brief/sessions`, { method: 'POST', headers: { origin: SHOP } })).json()) as { url: string };
      const c = connect(url, SHOP);
      const ready = await c.waitFor((e) => e.type === 'ready');
      await delay(LATE_MS);
      c.json({ type: 'start', mode });
      await c.waitFor((e) => e.type === 'end' && e.reason === 'time limit', 10_000);
      await c.closed;
      await Promise.all([...app.parley.live].map((s) => s.done));
      const rec = await new Records(store.db).get(String(ready.conversationId));
      assert.equal(rec?.endReason, 'time limit');
      // From `start`, the old limit ran a full LIMIT_SEC; what was left after a late start is ~0.8 s.
      t.diagnostic(`lasted ${rec.durationSec} s from a start ${LATE_MS} ms late (limit ${LIMIT_SEC} s)`);
      assert.ok(rec.durationSec! < LIMIT_SEC - LATE_MS / 2000, `lasted ${rec.durationSec} s after a start ${LATE_MS} ms late`);
    });
  }

  it('phone: a stream whose `start` comes late is cut at the limit counted from the opening', async (t) => {
    const peer = new TwilioCallPeer({ accountSid: ACCOUNT, authToken: TWILIO_TOKEN });
    const { twiml } = await peer.dial(`${base}/v1/twilio/voice`, { From: '+48601222333', To: NUMBER });
    await peer.connect(twiml, { startAfterMs: LATE_MS });
    const closed = await peer.closed!;
    assert.equal(closed.code, 1000);
    await Promise.all([...app.parley.live].map((s) => s.done));
    const list = await new Records(store.db).search({ channel: 'phone', limit: 1 });
    const rec = await new Records(store.db).get(list.items[0]!.id);
    assert.equal(rec?.endReason, 'time limit');
    t.diagnostic(`lasted ${rec.durationSec} s from a start ${LATE_MS} ms late (limit ${LIMIT_SEC} s)`);
    assert.ok(rec.durationSec! < LIMIT_SEC - LATE_MS / 2000, `lasted ${rec.durationSec} s after a start ${LATE_MS} ms late`);
  });

  it('a session stuck before it could start is closed at the limit plus the grace, its seat freed and its record ended', async () => {
    speechHangs = true;
    try {
      const { url } = (await (await fetch(`${base}/v1/agents/brief/sessions`, { method: 'POST', headers: { origin: SHOP } })).json()) as { url: string };
      const c = connect(url, SHOP);
      const ready = await c.waitFor((e) => e.type === 'ready');
      c.json({ type: 'start', mode: 'voice' });
      assert.deepEqual(await c.closed, { code: 1000, reason: 'time limit' });
      await Promise.all([...app.parley.live].map((s) => s.done));
      assert.equal(app.parley.live.size, 0, 'the seat is free');
      const rec = await new Records(store.db).get(String(ready.conversationId));
      assert.equal(rec?.endReason, 'error');
    } finally {
      speechHangs = false;
    }
  });
});
