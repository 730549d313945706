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
import { ENGLISH_WIDGET_TEXTS } from '../../src/server/widget-texts.ts';
import { agentsFolder, listenOnLoopback } from './helpers.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openTestStore } from '../helpers/store.ts';

describe('widget: the script and the look it asks for', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    const agentsDir = agentsFolder();
    mkdirSync(join(agentsDir, 'ola'));
    writeFileSync(join(agentsDir, 'ola', 'agent.yaml'), ['name: ola', 'persona:', '  prompt: Jesteś Olą z biura rachunkowego.', '  firstMessage: Dzień dobry, tu Ola.', '  language: pl-PL', 'knowledge: { sources: [] }', 'channels:', '  web:', '    allowedOrigins: [rachunekplus.pl]', '    widget: { texts: { end: Rozłącz } }', ''].join('\n'));
    app = await buildServer({ agentsDir, store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url } });
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
    assert.deepEqual(await ok.json(), { agent: 'ada', available: true, label: 'Talk to us', color: '#4f46e5', position: 'bottom-right', avatar: null, notice: 'This conversation is transcribed.', greeting: 'Hi, this is Ada from the test shop. How can I help?', language: 'en', texts: ENGLISH_WIDGET_TEXTS });
    const no = await fetch(`${base}/v1/agents/ada/widget`, { headers: { origin: 'https://copycat.example.net' } });
    assert.equal(no.status, 403);
    assert.equal(((await no.json()) as { available: boolean }).available, false);
  });

  it('a pl-PL agent: the label, notice and every text of the widget in Polish, the owner\'s own where set; refused in Polish too', async () => {
    const res = await fetch(`${base}/v1/agents/ola/widget`, { headers: { origin: 'https://rachunekplus.pl' } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { label: string; notice: string; language: string; texts: Record<string, string> };
    assert.equal(body.language, 'pl-PL');
    assert.equal(body.label, 'Porozmawiaj z nami');
    assert.equal(body.notice, 'Treść tej rozmowy jest zapisywana.');
    assert.equal(body.texts.listening, 'Słucham…');
    assert.equal(body.texts.mute, 'Wycisz');
    assert.equal(body.texts.end, 'Rozłącz', 'channels.web.widget.texts wins');
    const refused = await fetch(`${base}/v1/agents/ola/widget`, { headers: { origin: 'https://copycat.example.net' } });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { message: string }).message, 'Ten asystent nie jest dostępny na tej stronie.');
  });

  it('takes an avatar only as an https or base64 image data URL, and a notice as text or false', () => {
    for (const avatar of ['https://example.com/ada.png', 'data:image/png;base64,iVBORw0KGgo=']) assert.ok(Widget.safeParse({ avatar }).success, avatar);
    for (const avatar of ['http://example.com/ada.png', 'javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'https://x.example/a.png" onerror="x']) assert.equal(Widget.safeParse({ avatar }).success, false, avatar);
    assert.ok(Widget.safeParse({ notice: false }).success);
    assert.ok(Widget.safeParse({ notice: 'Calls are recorded for training.' }).success);
    assert.equal(Widget.safeParse({ notice: true }).success, false);
  });
});
