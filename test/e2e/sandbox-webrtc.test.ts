import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { RtcLink } from '../../src/channels/web/rtc-link.ts';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { adaAgentYaml, ANSWER, BLOCK_UDP, CHROMIUM, GREETING, launchWithCaller, NO_WEBCODECS } from './browser-call.ts';

// The dashboard's sandbox voice call in Debian's Chromium against the real server: like the
// widget, its audio goes over WebRTC (Opus both ways, events on the socket) when it connects, so
// the owner hears what callers hear — and over PCM on the socket when UDP is blocked.

const ADMIN = 'e2e-admin-token';

describe('dashboard sandbox voice over WebRTC in Chromium', { skip: existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}` }, () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let browser: Browser;

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    const dir = tempDir('parley-e2e-sandbox-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(join(dir, 'ada', 'agent.yaml'), adaAgentYaml());
    app = await buildServer({ agentsDir: dir, store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_ADMIN_TOKEN: ADMIN, PARLEY_START_TIMEOUT_SEC: '20', PATH: process.env.PATH } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchWithCaller();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    await llm?.close();
  });

  const bubbles = (page: Page, role: 'agent' | 'caller') => page.locator(`.chat .bubble.${role}:not(.partial)`);
  /** What the page sent on its sockets: JSON message types and how many binary (audio) frames. */
  const watchSocket = (page: Page) => {
    const sent = { binary: 0, types: [] as string[], start: [] as unknown[] };
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        if (typeof f.payload !== 'string') return void sent.binary++;
        const m = JSON.parse(f.payload) as { type: string };
        sent.types.push(m.type);
        if (m.type === 'start') sent.start.push(m);
      }),
    );
    return sent;
  };
  const openSandbox = async (page: Page) => {
    await page.goto(`${base}/dashboard#/sandbox/ada`);
    await page.getByRole('button', { name: 'Start voice call' }).click();
  };

  it('talks over WebRTC: greeting on the track, the caller heard through Opus, the answer shown', async (t) => {
    llm.push({ text: ANSWER });
    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${ADMIN}` } });
    t.after(() => context.close().catch(() => {}));
    const page = await context.newPage();
    const sent = watchSocket(page);
    await openSandbox(page);
    await page.locator('.transport[data-transport="webrtc"]').waitFor({ timeout: 30_000 });
    await bubbles(page, 'agent').first().waitFor({ timeout: 30_000 });
    assert.equal(await bubbles(page, 'agent').first().textContent(), GREETING);
    await bubbles(page, 'caller').first().waitFor({ timeout: 40_000 });
    await page.locator('.chat .bubble.agent:not(.partial)', { hasText: ANSWER }).waitFor({ timeout: 30_000 });
    assert.equal(sent.binary, 0, 'no audio on the socket');
    assert.deepEqual(sent.start, [{ type: 'start', mode: 'voice', audio: 'webrtc' }]);
    assert.ok(sent.types.includes('offer') && sent.types.includes('playout') && !sent.types.includes('played'), `socket messages: ${[...new Set(sent.types)].join(', ')}`);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.locator('.chat .ended').waitFor();
    await Promise.all([...app.parley.live].map((s) => s.done));
    assert.equal(RtcLink.live.size, 0, 'the server closed the WebRTC connection with the session');
    await RtcLink.settled();
  });

  /** A sandbox voice call whose WebRTC cannot connect: it goes on over the socket with `codec` (`scripts` run in the page first). */
  const fallBack = async (scripts: string[], codec: 'opus' | 'pcm') => {
    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${ADMIN}` } });
    try {
      const page = await context.newPage();
      for (const s of [BLOCK_UDP, ...scripts]) await page.addInitScript(s);
      const sent = watchSocket(page);
      await openSandbox(page);
      await page.locator(`.transport[data-transport="socket-${codec}"]`).waitFor({ timeout: 30_000 });
      await bubbles(page, 'agent').first().waitFor({ timeout: 30_000 });
      assert.equal(await bubbles(page, 'agent').first().textContent(), GREETING);
      await page.locator('.state-listening').waitFor({ timeout: 30_000 });
      assert.ok(sent.types.includes('offer'), 'WebRTC was tried first');
      assert.deepEqual(sent.start, [codec === 'opus' ? { type: 'start', mode: 'voice', audio: 'opus' } : { type: 'start', mode: 'voice' }]);
      assert.ok(sent.binary > 0, 'caller audio went over the socket');
      assert.ok(sent.types.includes('played'), 'the greeting played, reported as played ms');
      assert.equal(RtcLink.live.size, 0, 'the link the offer opened was dropped');
      await page.getByRole('button', { name: 'Hang up' }).click();
      await page.locator('.chat .ended').waitFor();
      await Promise.all([...app.parley.live].map((s) => s.done));
      await RtcLink.settled();
    } finally {
      await context.close();
    }
  };

  it('falls back to Opus on the socket (WebCodecs) when ICE cannot connect', () => fallBack([], 'opus'));
  it('falls back to PCM on the socket when the browser has no WebCodecs either', () => fallBack([NO_WEBCODECS], 'pcm'));
});
