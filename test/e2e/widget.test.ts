import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { concat, silence } from '../../src/audio/frame.ts';
import { encodeWav } from '../../src/audio/wav.ts';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';
import { spoken } from '../speech/spoken.ts';
import { openTestStore } from '../helpers/store.ts';

// The website widget in Debian's Chromium, with a fake microphone playing a flite recording of a
// caller's question: a page on another origin embeds the snippet, the caller clicks start, hears
// the greeting, asks, sees both captions, and the conversation lands in the admin API with its
// recording. The server runs the real voice loop: Silero VAD, pocketsphinx, flite, a fake model.
// Then the launcher, the panel and the keyboard: focus, Escape, the close button, the state in
// words, the recording notice, a turn typed while in voice mode.
// PARLEY_SCREENSHOTS=1 also writes docs/images/widget.png, widget-launcher.png, widget-voice.png,
// widget-avatar.png and conversation.png.

const CHROMIUM = '/usr/lib/chromium/chromium';
const ADMIN = 'e2e-admin-token';
const GREETING = 'Hi, this is Ada from the test shop. How can I help?';
const ANSWER = 'The automation audit costs two thousand four hundred euros.';
const TYPED_ANSWER = 'We are open from nine to five, Monday to Friday.';
// A small square avatar as a data URL: no network needed.
const AVATAR = 'data:image/svg+xml;base64,' + Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#fde68a"/><circle cx="20" cy="16" r="7" fill="#92400e"/><rect x="9" y="26" width="22" height="12" rx="6" fill="#92400e"/></svg>').toString('base64');

/** A page on its own origin embedding the widget snippet, which `snippet()` gives once the server's port is known. */
async function hostPage(snippet: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><title>Test shop</title></head><body style="font-family:sans-serif;background:#f7f7fb;margin:40px"><h1>The test shop</h1><p>Automation audits for small businesses.</p>${snippet()}</body></html>`),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('widget in Chromium, end to end', { skip: existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (scripts/setup.sh installs it)` }, () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let browser: Browser;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  let plain: { server: Server; origin: string }; // embeds "bo": an avatar and no notice
  const recordings = tempDir('parley-e2e-rec-');
  let skewMs = 0; // moves the server's clock, to expire tokens

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    // Two host pages; only the first is in the agent's allowedOrigins.
    let port = 0;
    const snippet = () => `<script src="http://localhost:${port}/widget.js" data-agent="ada" async></script>`;
    allowed = await hostPage(snippet);
    other = await hostPage(snippet);
    plain = await hostPage(() => `<script src="http://localhost:${port}/widget.js" data-agent="bo" async></script>`);
    const hostPort = Number(new URL(allowed.origin).port);
    const dir = tempDir('parley-e2e-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(
      join(dir, 'ada', 'agent.yaml'),
      [
        'name: ada',
        'persona:',
        '  prompt: You are Ada, the assistant of a test shop.',
        `  firstMessage: ${GREETING}`,
        'knowledge: { sources: [], strict: false }',
        'voice: { tts: "local:flite" }',
        'listen: { stt: "local:pocketsphinx", turn: { minEndpointingDelayMs: 400, maxEndpointingDelayMs: 1500 } }',
        'channels:',
        '  web:',
        `    allowedOrigins: ["127.0.0.1:${hostPort}"]`,
        '    widget: { label: "Ask Ada", color: "#0f766e" }',
        '',
      ].join('\n'),
    );
    mkdirSync(join(dir, 'bo'));
    writeFileSync(
      join(dir, 'bo', 'agent.yaml'),
      [
        'name: bo',
        'persona:',
        '  prompt: You are Bo.',
        '  firstMessage: Hello, Bo here.',
        'knowledge: { sources: [], strict: false }',
        'voice: { tts: "local:flite" }',
        'listen: { stt: "local:pocketsphinx" }',
        'channels:',
        '  web:',
        `    allowedOrigins: ["127.0.0.1:${new URL(plain.origin).port}"]`,
        `    widget: { label: "Chat with Bo", color: "#7c2d12", position: bottom-left, notice: false, avatar: "${AVATAR}" }`,
        '',
      ].join('\n'),
    );
    app = await buildServer({ agentsDir: dir, store, mode: 'serve', recordingsDir: recordings, now: () => Date.now() + skewMs, env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', PARLEY_ADMIN_TOKEN: ADMIN, PATH: process.env.PATH } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    base = `http://localhost:${port}`;

    // The caller: silence while the greeting plays, the question, silence.
    const question = await spoken('How much does the automation audit cost?', { beforeMs: 0, afterMs: 0 });
    const wav = join(tempDir('parley-e2e-mic-'), 'caller.wav');
    // 10 s of silence first: the greeting (~4 s) must be over before the caller speaks, even on a busy machine.
    writeFileSync(wav, encodeWav(concat([silence(10_000, 16000), question.pcm, silence(5000, 16000)]), { sampleRate: 16000 }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}%noloop`,
        '--autoplay-policy=no-user-gesture-required',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    await llm?.close();
    allowed?.server.close();
    other?.server.close();
    plain?.server.close();
  });

  const captions = (page: Page, role: 'agent' | 'caller') => page.locator(`parley-widget .line.${role}:not(.partial)`);

  it('talks on an allowed site: greeting heard, question asked by voice, both captions shown, conversation recorded with audio', async () => {
    llm.push({ text: ANSWER });
    const page = await browser.newPage({ viewport: { width: 1000, height: 720 } });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(allowed.origin);
    const start = page.locator('parley-widget .bubble');
    await start.waitFor();
    assert.equal(await start.getAttribute('aria-label'), 'Ask Ada: start conversation');
    await start.click();
    await page.locator('parley-widget[data-mode="voice"]').waitFor({ state: 'attached' });
    await captions(page, 'agent').first().waitFor({ timeout: 30_000 });
    assert.equal(await captions(page, 'agent').first().textContent(), GREETING);
    // The greeting's audio arrived and played: the page reports `played` to the server.
    await page.locator('parley-widget[data-state="listening"]').waitFor({ state: 'attached', timeout: 30_000 });
    await captions(page, 'caller').first().waitFor({ timeout: 30_000 });
    const heard = (await captions(page, 'caller').first().textContent())!.trim();
    assert.ok(heard.length > 0, 'the caller caption shows what the recogniser heard');
    await page.locator('parley-widget .line.agent:not(.partial)', { hasText: ANSWER }).waitFor({ timeout: 20_000 });
    assert.equal(sockets.length, 1);
    assert.ok(sockets[0]!.startsWith(`${base.replace('http', 'ws')}/v1/sessions/`));
    if (process.env.PARLEY_SCREENSHOTS) await page.screenshot({ path: join(ROOT, 'docs/images/widget.png') });

    // A used token is refused when the page tries it again.
    const socketClose = (url: string) => page.evaluate(`new Promise((resolve) => { const ws = new WebSocket(${JSON.stringify(url)}); ws.onclose = (e) => resolve({ code: e.code, reason: e.reason }); })`);
    assert.deepEqual(await socketClose(sockets[0]!), { code: 1008, reason: 'token already used' });
    // So is one used after its 60 s.
    const fresh = (await page.evaluate(`fetch(${JSON.stringify(`${base}/v1/agents/ada/sessions`)}, { method: 'POST' }).then((r) => r.json())`)) as { url: string };
    skewMs = 61_000;
    assert.deepEqual(await socketClose(fresh.url), { code: 1008, reason: 'token expired' });
    skewMs = 0;

    await page.locator('parley-widget .controls .end').click();
    await page.locator('parley-widget[data-state="ended"]').waitFor({ state: 'attached' });
    await Promise.all([...app.parley.live].map((s) => s.done));

    const auth = { authorization: `Bearer ${ADMIN}` };
    const list = (await (await fetch(`${base}/v1/admin/conversations?agent=ada`, { headers: auth })).json()) as { conversations: { id: string; door: string; recording: boolean }[] };
    const conv = list.conversations[0]!;
    assert.equal(conv.door, 'web');
    assert.equal(conv.recording, true);
    const detail = (await (await fetch(`${base}/v1/admin/conversations/${conv.id}`, { headers: auth })).json()) as { turns: { role: string; text: string }[] };
    assert.deepEqual(detail.turns.map((t) => t.role), ['agent', 'caller', 'agent']);
    assert.equal(detail.turns[2]!.text, ANSWER);
    const wav = await fetch(`${base}/v1/admin/conversations/${conv.id}/recording`, { headers: auth });
    assert.equal(wav.status, 200);
    assert.ok((await wav.arrayBuffer()).byteLength > 44 + 16000 * 2 * 2, 'the stereo recording holds seconds of audio');

    if (process.env.PARLEY_SCREENSHOTS) {
      const dash = await browser.newPage({ viewport: { width: 1360, height: 900 }, extraHTTPHeaders: auth });
      await dash.goto(`${base}/dashboard#/conversations/${conv.id}`);
      await dash.getByText(ANSWER).first().waitFor();
      await dash.screenshot({ path: join(ROOT, 'docs/images/conversation.png'), fullPage: true });
      await dash.close();
    }
    await page.close();
  });

  it('shows "not available on this site" on another origin and never opens a conversation', async () => {
    const page = await browser.newPage();
    const sockets: string[] = [];
    const sessions: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('request', (r) => r.url().includes('/sessions') && sessions.push(r.url()));
    await page.goto(other.origin);
    await page.locator('parley-widget[data-state="unavailable"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('parley-widget .unavailable').textContent(), 'This assistant is not available on this site.');
    assert.equal(await page.locator('parley-widget .bubble').count(), 0);
    assert.deepEqual(sockets, []);
    assert.deepEqual(sessions, []);
    await page.close();
  });

  /** The element focused inside the widget's shadow root, as a class list ('' when focus is elsewhere). */
  const focused = (page: Page) => page.evaluate(`document.querySelector('parley-widget').shadowRoot.activeElement?.className ?? ''`);
  /** Every text the status region shows, in order, recorded in the page as it changes. */
  const watchStatus = (page: Page) =>
    page.evaluate(`(() => { window.statuses = []; const s = document.querySelector('parley-widget').shadowRoot.querySelector('.status'); new MutationObserver(() => window.statuses.push(s.textContent)).observe(s, { childList: true, characterData: true, subtree: true }); })()`);
  const statuses = (page: Page) => page.evaluate('window.statuses') as Promise<string[]>;

  it('opens from the keyboard, says its state in words, takes a typed message in voice mode, and closes with Escape', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 720 } });
    await page.goto(allowed.origin);
    const launcher = page.locator('parley-widget .bubble');
    await launcher.waitFor();
    // The launcher: a real button with a name and the microphone glyph.
    assert.equal(await launcher.evaluate((b) => b.tagName), 'BUTTON');
    assert.equal(await launcher.getAttribute('aria-label'), 'Ask Ada: start conversation');
    assert.equal(await page.locator('parley-widget .bubble svg.icon').count(), 1);
    if (process.env.PARLEY_SCREENSHOTS) await page.screenshot({ path: join(ROOT, 'docs/images/widget-launcher.png') });

    await watchStatus(page);
    await launcher.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('parley-widget .panel');
    await panel.waitFor();
    assert.equal(await focused(page), 'close', 'focus moved into the panel, onto its close button');
    assert.equal(await panel.getAttribute('role'), 'dialog');
    assert.equal(await page.locator('parley-widget .close').getAttribute('aria-label'), 'Close');
    // The notice: the server keeps recordings here, so it says so.
    assert.equal(await page.locator('parley-widget .notice').textContent(), 'This call is recorded and transcribed.');
    // Screen readers: the state in a status region, each finished line in a polite live region.
    assert.equal(await page.locator('parley-widget .status[role="status"]').count(), 1);
    assert.equal(await page.locator('parley-widget .sr-only[aria-live="polite"]').count(), 1);
    // Every control is a button with a name.
    for (const name of await page.locator('parley-widget .panel button').evaluateAll((bs) => bs.map((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim()))) assert.ok(name, 'a button without a name');

    await page.locator('parley-widget[data-state="listening"]').waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await page.locator('parley-widget .status').textContent(), 'Listening…');
    assert.match(await page.locator('parley-widget .sr-only').textContent() ?? '', /^Assistant: Hi, this is Ada/);
    // Muted while the assistant waits: the visitor is told it cannot hear them.
    await page.locator('parley-widget .controls .mute').click();
    await page.locator('parley-widget[data-state="muted"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('parley-widget .status').textContent(), "Muted — the assistant can't hear you");

    // Typed while in voice mode: answered aloud, both captions shown.
    llm.push({ text: TYPED_ANSWER });
    const input = page.locator('parley-widget form.type input');
    await input.fill('When are you open?');
    await input.press('Enter');
    await captions(page, 'caller').filter({ hasText: 'When are you open?' }).waitFor({ timeout: 20_000 });
    await captions(page, 'agent').filter({ hasText: TYPED_ANSWER }).waitFor({ timeout: 30_000 });
    await page.locator('parley-widget[data-state="muted"]').waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await page.locator('parley-widget[data-mode="voice"]').count(), 1);
    const seen = await statuses(page);
    for (const words of ['Connecting…', 'Speaking', 'Listening…', "Muted — the assistant can't hear you", 'Thinking…']) assert.ok(seen.includes(words), `"${words}" was shown (saw ${JSON.stringify(seen)})`);
    assert.ok(seen.lastIndexOf('Speaking') > seen.indexOf('Thinking…'), 'the typed answer was spoken');
    if (process.env.PARLEY_SCREENSHOTS) await page.screenshot({ path: join(ROOT, 'docs/images/widget-voice.png') });

    // Escape closes: the conversation ends and focus goes back to the launcher.
    await input.focus();
    await page.keyboard.press('Escape');
    await page.locator('parley-widget[data-state="ended"]').waitFor({ state: 'attached' });
    assert.equal(await panel.isHidden(), true);
    assert.equal(await focused(page), 'bubble');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    await Promise.all([...app.parley.live].map((s) => s.done));
    const auth = { authorization: `Bearer ${ADMIN}` };
    const list = (await (await fetch(`${base}/v1/admin/conversations?agent=ada`, { headers: auth })).json()) as { conversations: { id: string }[] };
    const detail = (await (await fetch(`${base}/v1/admin/conversations/${list.conversations[0]!.id}`, { headers: auth })).json()) as { endReason: string; turns: { role: string; text: string }[] };
    assert.deepEqual(detail.turns.slice(1).map((t) => [t.role, t.text]), [['caller', 'When are you open?'], ['agent', TYPED_ANSWER]]);
    assert.equal(detail.endReason, 'caller hung up');
    await page.close();
  });

  it('shows the avatar, no notice when `notice: false`, and the close button ends and returns focus', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 720 } });
    await page.goto(plain.origin);
    const launcher = page.locator('parley-widget .bubble');
    await launcher.waitFor();
    assert.equal(await page.locator('parley-widget .bubble img.avatar').getAttribute('src'), AVATAR);
    await launcher.click();
    await page.locator('parley-widget .panel').waitFor();
    assert.equal(await page.locator('parley-widget .head img.avatar').count(), 1);
    assert.equal(await page.locator('parley-widget .notice').count(), 0);
    await page.locator('parley-widget[data-state="listening"]').waitFor({ state: 'attached', timeout: 30_000 });
    // Tab goes through the panel in reading order, starting after the close button.
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      order.push(String(await page.evaluate(`(() => { const a = document.querySelector('parley-widget').shadowRoot.activeElement; return a?.getAttribute('aria-label') ?? a?.textContent ?? ''; })()`)));
    }
    assert.deepEqual(order, ['Conversation', 'Your message', 'Send', 'Mute', 'End']);
    if (process.env.PARLEY_SCREENSHOTS) await page.screenshot({ path: join(ROOT, 'docs/images/widget-avatar.png') });
    await page.locator('parley-widget .close').click();
    await page.locator('parley-widget[data-state="ended"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('parley-widget .panel').isHidden(), true);
    assert.equal(await focused(page), 'bubble');
    await Promise.all([...app.parley.live].map((s) => s.done));
    await page.close();
  });
});
