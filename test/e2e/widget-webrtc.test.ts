import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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

// The widget's WebRTC door in Debian's Chromium against the real server on loopback: the caller's
// microphone goes up as Opus on a track, the agent's voice comes down as a track the page plays,
// events stay on the socket. Then a Chromium whose UDP is blocked (as a strict firewall would):
// the widget gives WebRTC a few seconds, falls back to the socket, and the call goes on — as Opus
// frames (WebCodecs) both ways, or as PCM in a browser without WebCodecs.

const ADMIN = 'e2e-admin-token';
/** Keeps every RTCPeerConnection the page makes, so the test can read its statistics. */
const KEEP_PEERS = `(() => { const P = window.RTCPeerConnection; window.peers = []; window.RTCPeerConnection = function (...a) { const pc = new P(...a); window.peers.push(pc); return pc; }; window.RTCPeerConnection.prototype = P.prototype; })()`;

describe('widget over WebRTC in Chromium', { skip: existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}` }, () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let browser: Browser;
  let host: Server;
  let origin: string;

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    let port = 0;
    host = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><body><h1>Shop</h1><script src="http://localhost:${port}/widget.js" data-agent="ada" async></script></body></html>`));
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    const dir = tempDir('parley-e2e-rtc-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(join(dir, 'ada', 'agent.yaml'), adaAgentYaml(['channels:', '  web:', `    allowedOrigins: ["127.0.0.1:${new URL(origin).port}"]`]));
    // A generous start timeout: a loaded machine may take seconds to set up DTLS.
    app = await buildServer({ agentsDir: dir, store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_ADMIN_TOKEN: ADMIN, PARLEY_START_TIMEOUT_SEC: '20', PATH: process.env.PATH } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    base = `http://localhost:${port}`;
    browser = await launchWithCaller();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    await llm?.close();
    host?.close();
  });

  const captions = (page: Page, role: 'agent' | 'caller') => page.locator(`parley-widget .line.${role}:not(.partial)`);
  /** Binary frames the page sent on its sockets (caller audio over the socket). */
  const watchSocketAudio = (page: Page) => {
    const sent = { binary: 0, binaryBytes: 0, text: [] as string[], received: { binary: 0, binaryBytes: 0 } };
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => (typeof f.payload === 'string' ? sent.text.push(f.payload) : (sent.binary++, (sent.binaryBytes += f.payload.byteLength))));
      ws.on('framereceived', (f) => typeof f.payload !== 'string' && (sent.received.binary++, (sent.received.binaryBytes += f.payload.byteLength)));
    });
    return sent;
  };
  const turns = async () => {
    const auth = { authorization: `Bearer ${ADMIN}` };
    const list = (await (await fetch(`${base}/v1/admin/conversations?agent=ada`, { headers: auth })).json()) as { conversations: { id: string }[] };
    const detail = (await (await fetch(`${base}/v1/admin/conversations/${list.conversations[0]!.id}`, { headers: auth })).json()) as { turns: { role: string; text: string }[] };
    return detail.turns;
  };

  it('talks over WebRTC: the greeting arrives on the track, the caller is heard through Opus, events on the socket', async (t) => {
    llm.push({ text: ANSWER });
    const page = await browser.newPage();
    t.after(() => page.close().catch(() => {}));
    await page.addInitScript(KEEP_PEERS);
    const sent = watchSocketAudio(page);
    await page.goto(origin);
    await page.locator('parley-widget .bubble').click();
    await page.locator('parley-widget[data-transport="webrtc"]').waitFor({ state: 'attached', timeout: 30_000 });
    await captions(page, 'agent').first().waitFor({ timeout: 30_000 });
    assert.equal(await captions(page, 'agent').first().textContent(), GREETING);
    await page.locator('parley-widget[data-state="listening"]').waitFor({ state: 'attached', timeout: 30_000 });
    // The greeting came as Opus on the remote track and was played with energy (not silence).
    const inbound = (await page.evaluate(`(async () => { for (const r of (await window.peers[0].getStats()).values()) if (r.type === 'inbound-rtp') return { packets: r.packetsReceived, energy: r.totalAudioEnergy, codec: r.codecId }; })()`)) as { packets: number; energy: number };
    assert.ok(inbound.packets > 50, `agent audio packets received: ${inbound.packets}`);
    assert.ok(inbound.energy > 0, 'the greeting was audible');
    await captions(page, 'caller').first().waitFor({ timeout: 40_000 });
    assert.ok((await captions(page, 'caller').first().textContent())!.trim().length > 0, 'the recogniser heard the caller over WebRTC');
    await page.locator('parley-widget .line.agent:not(.partial)', { hasText: ANSWER }).waitFor({ timeout: 30_000 });
    // No audio on the socket: only JSON (offer, start, playout reports).
    assert.equal(sent.binary, 0);
    const messages = sent.text.map((t) => (JSON.parse(t) as { type: string }).type);
    assert.ok(messages.includes('offer') && messages.includes('playout') && !messages.includes('played'), `socket messages: ${[...new Set(messages)].join(', ')}`);
    assert.deepEqual(JSON.parse(sent.text.find((t) => t.includes('"start"'))!), { type: 'start', mode: 'voice', audio: 'webrtc' });

    await page.locator('parley-widget .controls .end').click();
    await page.locator('parley-widget[data-state="ended"]').waitFor({ state: 'attached' });
    await Promise.all([...app.parley.live].map((s) => s.done));
    assert.deepEqual((await turns()).map((t) => t.role), ['agent', 'caller', 'agent']);
    assert.equal(RtcLink.live.size, 0, 'the server closed the WebRTC connection with the session');
    await RtcLink.settled();
  });

  /** A Chromium whose ICE cannot connect: only relayed candidates allowed and no TURN server (as behind a firewall that drops UDP). */
  async function fallBack(initScripts: string[], check: (sent: ReturnType<typeof watchSocketAudio>, page: Page) => Promise<void>): Promise<void> {
    const blocked = await browser.newContext();
    const linksBefore = RtcLink.live.size; // 0, unless an earlier test failed with its call open
    try {
      const page = await blocked.newPage();
      for (const s of [BLOCK_UDP, ...initScripts]) await page.addInitScript(s);
      const sent = watchSocketAudio(page);
      await page.goto(origin);
      await page.locator('parley-widget .bubble').click();
      await page.locator('parley-widget[data-transport="socket"]').waitFor({ state: 'attached', timeout: 30_000 });
      await captions(page, 'agent').first().waitFor({ timeout: 30_000 });
      assert.equal(await captions(page, 'agent').first().textContent(), GREETING);
      await page.locator('parley-widget[data-state="listening"]').waitFor({ state: 'attached', timeout: 30_000 });
      const messages = sent.text.map((t) => JSON.parse(t) as { type: string; audio?: string });
      assert.ok(messages.some((m) => m.type === 'offer'), 'WebRTC was tried first');
      assert.ok(messages.some((m) => m.type === 'played'), 'playout reported as played ms');
      assert.ok(sent.binary > 0, 'caller audio went over the socket');
      // The link the offer opened was dropped when the browser started without it.
      assert.equal(RtcLink.live.size, linksBefore);
      await check(sent, page);
      await page.locator('parley-widget .controls .end').click();
      await page.locator('parley-widget[data-state="ended"]').waitFor({ state: 'attached' });
      await Promise.all([...app.parley.live].map((s) => s.done));
      await RtcLink.settled();
    } finally {
      await blocked.close();
    }
  }
  const startOf = (sent: ReturnType<typeof watchSocketAudio>) => sent.text.map((t) => JSON.parse(t) as { type: string }).find((m) => m.type === 'start');

  it('falls back to the socket when ICE cannot connect (UDP blocked): Opus frames both ways with WebCodecs, and the call goes on', async () => {
    llm.push({ text: ANSWER });
    await fallBack([], async (sent, page) => {
      assert.deepEqual(startOf(sent), { type: 'start', mode: 'voice', audio: 'opus' });
      // 20 ms Opus packets, not 640-byte PCM frames, each way.
      assert.ok(sent.binaryBytes / sent.binary < 200, `caller packets average ${Math.round(sent.binaryBytes / sent.binary)} bytes`);
      assert.ok(sent.received.binary > 50 && sent.received.binaryBytes / sent.received.binary < 200, `agent packets: ${sent.received.binary}, average ${Math.round(sent.received.binaryBytes / sent.received.binary)} bytes`);
      // The caller is recognised from the Opus uplink, and the answer comes back.
      await captions(page, 'caller').first().waitFor({ timeout: 40_000 });
      assert.ok((await captions(page, 'caller').first().textContent())!.trim().length > 0, 'the recogniser heard the caller over socket Opus');
      await page.locator('parley-widget .line.agent:not(.partial)', { hasText: ANSWER }).waitFor({ timeout: 30_000 });
    });
    assert.deepEqual((await turns()).map((t) => t.role), ['agent', 'caller', 'agent']);
  });

  it('falls back to PCM on the socket in a browser without WebCodecs', async () => {
    await fallBack([NO_WEBCODECS], async (sent) => {
      assert.deepEqual(startOf(sent), { type: 'start', mode: 'voice' });
      assert.equal(sent.binaryBytes / sent.binary, 640, '20 ms PCM16 frames');
    });
  });
});
