import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { encodeWav } from '../../src/audio/wav.ts';
import { parseRange, waterfall } from '../../src/server/routes/admin.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { getJson, sandbox, say, serve } from './admin-helpers.ts';
import { openTestStore } from '../helpers/store.ts';

type Listed = { conversations: { id: string; outcome: string; door: string; agent: string; preview: string | null; turns: number }[]; nextCursor: string | null };

describe('admin API after sandbox conversations (dev mode, open on loopback)', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let recordingsDir: string;
  const ids: Record<'order' | 'lead' | 'ended', string> = { order: '', lead: '', ended: '' };

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    recordingsDir = join(tempDir('parley-recordings-'), 'recordings');
    mkdirSync(recordingsDir);
    ({ app, base } = await serve({ mode: 'dev', llm, store, recordingsDir }));

    // 1. An order lookup through the webhook; the caller leaves.
    const a = await sandbox(base);
    ids.order = a.id;
    llm.push({ toolCalls: [{ name: 'order_status', args: { order_number: 'A10023' } }] }, { text: 'Your order A10023 has shipped and arrives on Thursday.' });
    assert.equal(await say(a.c, 'Where is my order A10023?'), 'Your order A10023 has shipped and arrives on Thursday.');
    a.c.json({ type: 'end' });
    await a.c.closed;

    // 2. A lead is saved.
    const b = await sandbox(base);
    ids.lead = b.id;
    llm.push({ toolCalls: [{ name: 'save_lead', args: { name: 'Jane Doe', email: 'jane@example.com' } }] }, { text: 'Thanks Jane, noted.' });
    await say(b.c, 'I am Jane Doe, jane@example.com, please call me back.');
    b.c.json({ type: 'end' });
    await b.c.closed;

    // 3. The agent ends the conversation.
    const c = await sandbox(base);
    ids.ended = c.id;
    llm.push({ toolCalls: [{ name: 'end_call', args: { reason: 'caller said goodbye' } }] }, { text: 'Goodbye!' });
    await say(c.c, 'That is all, bye.');
    await c.c.waitFor((e) => e.type === 'end');
    await c.c.closed;
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  it('lists the loaded agents with their settings, and the folder that failed to load', async () => {
    const { status, body } = await getJson<{ agents: Record<string, any>[]; problems: { folder: string; message: string }[] }>(`${base}/v1/admin/agents`);
    assert.equal(status, 200);
    assert.equal(body.agents.length, 1);
    const ada = body.agents[0];
    assert.equal(ada.name, 'ada');
    assert.equal(ada.folder, 'ada');
    assert.equal(ada.model, 'openai-compatible:fake');
    assert.deepEqual(ada.channels.web.allowedOrigins, ['shop.example.com', '*.example.org', 'widgets.test:8443']);
    assert.equal(ada.channels.web.widget.position, 'bottom-right');
    assert.equal(ada.channels.phone, null);
    assert.equal(ada.limits.maxConcurrent, 5);
    assert.deepEqual(ada.tools, ['end_call', 'save_lead', 'order_status']);
    assert.equal(ada.knowledge.sources, 0);
    assert.ok(!Number.isNaN(Date.parse(ada.loadedAt)));
    assert.equal(body.problems.length, 1);
    assert.equal(body.problems[0].folder, 'broken');
    assert.match(body.problems[0].message, /agent\.yaml/);
  });

  it('gives the exact embed snippet and the allowed origins', async () => {
    const { body } = await getJson<{ snippet: string; allowedOrigins: string[] }>(`${base}/v1/admin/agents/ada/embed`);
    assert.equal(body.snippet, `<script src="${base}/widget.js" data-agent="ada" async></script>`);
    assert.deepEqual(body.allowedOrigins, ['shop.example.com', '*.example.org', 'widgets.test:8443']);
    assert.equal((await fetch(`${base}/v1/admin/agents/nobody/embed`)).status, 404);
  });

  it('lists conversations newest first with their outcomes, and filters them', async () => {
    // Sandbox conversations stay out of the list unless asked for (test=1).
    assert.deepEqual((await getJson<Listed>(`${base}/v1/admin/conversations`)).body.conversations, []);
    const all = (await getJson<Listed>(`${base}/v1/admin/conversations?test=1`)).body;
    assert.deepEqual(all.conversations.map((c) => c.id), [ids.ended, ids.lead, ids.order]);
    assert.deepEqual(all.conversations.map((c) => c.outcome), ['ended-by-agent', 'lead', 'caller-left']);
    assert.equal(all.conversations[2].preview, 'Where is my order A10023?');
    assert.equal(all.conversations[2].door, 'web');
    assert.equal(all.nextCursor, null);

    const q = async (query: string) => (await getJson<Listed>(`${base}/v1/admin/conversations?test=1&${query}`)).body.conversations.map((c) => c.id);
    assert.deepEqual(await q('outcome=lead'), [ids.lead]);
    assert.deepEqual(await q('outcome=ended-by-agent'), [ids.ended]);
    assert.deepEqual(await q('outcome=booked'), []);
    assert.deepEqual(await q('door=web&agent=ada'), [ids.ended, ids.lead, ids.order]);
    assert.deepEqual(await q('door=phone'), []);
    assert.deepEqual(await q('agent=nobody'), []);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await q(`from=${today}&to=${today}`)).length, 3);
    assert.deepEqual(await q(`to=${today}T00:00:00Z`), []);
    assert.deepEqual(await q('from=2999-01-01'), []);

    // A page at a time: every conversation once, in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Listed = (await getJson<Listed>(`${base}/v1/admin/conversations?test=1&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      assert.ok(page.conversations.length <= 2);
      seen.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [ids.ended, ids.lead, ids.order]);

    for (const bad of ['outcome=great', 'door=fax', 'from=yesterday', 'limit=0', 'cursor=nonsense']) {
      const res = await getJson<{ error: string }>(`${base}/v1/admin/conversations?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.ok(res.body.error, bad);
    }
  });

  it('shows a conversation whole: turns, the tool call with its request, raw response and what the agent said next', async () => {
    const { status, body } = await getJson<Record<string, any>>(`${base}/v1/admin/conversations/${ids.order}`);
    assert.equal(status, 200);
    assert.equal(body.outcome, 'caller-left');
    assert.equal(body.endReason, 'caller left');
    assert.equal(body.caller, 'dashboard sandbox');
    assert.deepEqual(body.turns.map((t: { role: string }) => t.role), ['agent', 'caller', 'agent']);
    assert.equal(body.turns[0].atMs, 0);
    assert.equal(body.toolCalls.length, 1);
    const call = body.toolCalls[0];
    assert.equal(call.name, 'order_status');
    assert.deepEqual(call.input, { order_number: 'A10023' });
    assert.equal(call.request.method, 'GET');
    assert.equal(call.request.url, 'https://orders.example.com/status?order_number=A10023');
    assert.equal(call.response.status, 200);
    assert.match(JSON.stringify(call.response), /shipped/);
    assert.equal(call.agentSaidNext, 'Your order A10023 has shipped and arrives on Thursday.');
    assert.equal(call.agentSaidNextSeq, 2);
    assert.deepEqual(body.turns[2].toolCalls, [call.id]);
    assert.ok(body.turns[2].waterfall.some((b: { stage: string }) => b.stage === 'llm'), 'a text turn has its model latency');
    assert.equal(body.recording, null);

    const lead = (await getJson<Record<string, any>>(`${base}/v1/admin/conversations/${ids.lead}`)).body;
    assert.deepEqual(lead.lead, { name: 'Jane Doe', email: 'jane@example.com' });
    assert.equal((await fetch(`${base}/v1/admin/conversations/00000000-0000-0000-0000-000000000000`)).status, 404);
  });

  it('serves the recording with byte ranges, and only from the recordings folder', async () => {
    const wav = encodeWav(Int16Array.from({ length: 16000 }, (_, i) => (i * 37) % 3000), { sampleRate: 16000, channels: 2 });
    const path = join(recordingsDir, `${ids.order}.wav`);
    writeFileSync(path, wav);
    const records = new Records(store.db);
    await records.appendEvent(ids.order, new Date().toISOString(), 'recording.saved', { path, durationMs: 500 });

    const detail = (await getJson<Record<string, any>>(`${base}/v1/admin/conversations/${ids.order}`)).body;
    assert.deepEqual(detail.recording, { url: `/v1/admin/conversations/${ids.order}/recording`, durationMs: 500, offsetMs: 0, channels: { left: 'caller', right: 'agent' } });
    const url = `${base}${detail.recording.url}`;

    const whole = await fetch(url);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.equal(whole.headers.get('content-type'), 'audio/wav');
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), Buffer.from(wav));

    const part = await fetch(url, { headers: { range: 'bytes=100-1099' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-1099/${wav.byteLength}`);
    assert.equal(part.headers.get('content-length'), '1000');
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), Buffer.from(wav.subarray(100, 1100)));

    const tail = await fetch(url, { headers: { range: 'bytes=-44' } });
    assert.equal(tail.status, 206);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), Buffer.from(wav.subarray(wav.byteLength - 44)));

    const beyond = await fetch(url, { headers: { range: `bytes=${wav.byteLength}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${wav.byteLength}`);

    // A record pointing outside the recordings folder is refused, not served.
    const outside = join(tempDir('parley-elsewhere-'), 'secret.wav');
    writeFileSync(outside, wav);
    await records.appendEvent(ids.lead, new Date().toISOString(), 'recording.saved', { path: outside, durationMs: 500 });
    assert.equal((await fetch(`${base}/v1/admin/conversations/${ids.lead}/recording`)).status, 403);
    await records.appendEvent(ids.ended, new Date().toISOString(), 'recording.saved', { path: join(recordingsDir, '..', 'recordings-x', 'a.wav'), durationMs: 500 });
    assert.equal((await fetch(`${base}/v1/admin/conversations/${ids.ended}/recording`)).status, 403);
  });

  it('lists live sessions', async () => {
    const { c, id } = await sandbox(base);
    const { body } = await getJson<{ sessions: { agent: string; door: string; conversationId: string; startedAt: string; node: string }[] }>(`${base}/v1/admin/sessions`);
    assert.equal(body.sessions.length, 1);
    const [s] = body.sessions;
    assert.deepEqual({ agent: s!.agent, door: s!.door, conversationId: s!.conversationId }, { agent: 'ada', door: 'web', conversationId: id });
    assert.match(s!.node, /^.+:\d+$/);
    assert.ok(Date.parse(s!.startedAt) <= Date.now());
    c.json({ type: 'end' });
    await c.closed;
    // Gone once it ended (the list drops it when the session is done).
    const deadline = Date.now() + 5000;
    while ((await getJson<{ sessions: unknown[] }>(`${base}/v1/admin/sessions`)).body.sessions.length) assert.ok(Date.now() < deadline, 'the ended session is still listed');
  });

  it('serves the dashboard page and its bundle', async () => {
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/conversations/abc']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      assert.match(await res.text(), /<script type="module" src="\/dashboard\/assets\/dashboard\.js\?v=\d+"><\/script>/);
    }
    const js = await fetch(`${base}/dashboard/assets/dashboard.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.ok((await js.text()).length > 1000, 'the bundle has the dashboard in it');
  });

  it('in dev mode, is closed to other machines unless an admin token is set', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/admin/agents', remoteAddress: '192.0.2.10' });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().error, /open to this machine only/);
    assert.equal((await app.inject({ method: 'GET', url: '/v1/admin/agents', remoteAddress: '::1' })).statusCode, 200);
  });
});

describe('admin helpers', () => {
  it('parses single byte ranges and ignores the rest', () => {
    assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=50-500', 100), { start: 50, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
    assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=9-5', 100), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-1,5-6', 100), undefined);
    assert.equal(parseRange(undefined, 100), undefined);
  });

  it('draws a voice turn\'s latency as bars from the end of speech', () => {
    const bars = waterfall({ endpointingMs: 500, sttFinalMs: 300, llmFirstTokenMs: 400, ttsFirstAudioMs: 100, voiceToVoiceMs: 1000, totalMs: 1200 });
    assert.deepEqual(
      bars.map((b) => [b.stage, b.startMs, b.endMs]),
      [
        ['endpointing', 0, 500],
        ['stt', 0, 300],
        ['llm', 500, 900],
        ['tts', 900, 1000],
        ['first-audio', 0, 1000],
      ],
    );
    assert.deepEqual(waterfall({ llmFirstTokenMs: 120, totalMs: 400 }).map((b) => b.stage), ['llm', 'total']);
    assert.deepEqual(waterfall(null), []);
  });
});
