import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { Widget } from '../../src/agent/schema.ts';
import { buildServer } from '../../src/server/app.ts';
import { buildWeb, WEB_DIST } from '../../src/server/web-assets.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { agentsFolder, listenOnLoopback } from './helpers.ts';
import { openTestStore } from '../helpers/store.ts';

describe('widget: the script and the look it asks for', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    app = await buildServer({ agentsDir: agentsFolder(), store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url } });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  it('stays within 25 KB gzipped, as built for production', async () => {
    await buildWeb();
    const gz = gzipSync(readFileSync(join(WEB_DIST, 'widget.js'))).byteLength;
    assert.ok(gz <= 25 * 1024, `widget.js is ${gz} bytes gzipped`);
  });

  it('serves widget.js to any site, with an ETag', async () => {
    const res = await fetch(`${base}/widget.js`, { headers: { origin: 'https://anywhere.example' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const again = await fetch(`${base}/widget.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  it('gives the look to allowed sites and a reason to the rest', async () => {
    const ok = await fetch(`${base}/v1/agents/ada/widget`, { headers: { origin: 'https://shop.example.com' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    assert.deepEqual(await ok.json(), { agent: 'ada', available: true, label: 'Talk to us', color: '#4f46e5', position: 'bottom-right', avatar: null, notice: 'This conversation is transcribed.', greeting: 'Hi, this is Ada from the test shop. How can I help?', language: 'en' });
    const no = await fetch(`${base}/v1/agents/ada/widget`, { headers: { origin: 'https://copycat.example.net' } });
    assert.equal(no.status, 403);
    assert.equal(((await no.json()) as { available: boolean }).available, false);
  });

  it('takes an avatar only as an https or base64 image data URL, and a notice as text or false', () => {
    for (const avatar of ['https://example.com/ada.png', 'data:image/png;base64,iVBORw0KGgo=']) assert.ok(Widget.safeParse({ avatar }).success, avatar);
    for (const avatar of ['http://example.com/ada.png', 'javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'https://x.example/a.png" onerror="x']) assert.equal(Widget.safeParse({ avatar }).success, false, avatar);
    assert.ok(Widget.safeParse({ notice: false }).success);
    assert.ok(Widget.safeParse({ notice: 'Calls are recorded for training.' }).success);
    assert.equal(Widget.safeParse({ notice: true }).success, false);
  });
});
