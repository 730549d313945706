import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import type { AnalysisRecord } from '../../src/store/record-types.ts';
import { Records } from '../../src/store/records.ts';
import { tempDir } from '../helpers/cli.ts';
import { sandbox, say } from './admin-helpers.ts';
import { connect, GREETING, listenOnLoopback, serverFixture, type TestClient } from './helpers.ts';

// The owner's side of the admin API on a running server: a widget conversation is analysed after
// it ends (off the call path) and the analysis shows in the record and the list; the list finds
// it by its words and keeps the sandbox apart; leads and bookings export as CSV with formulas
// defused; the overview counts the widget opening and gives the range for unanswered questions.

const SHOP = 'https://shop.example.com';
const ANALYSIS = { summary: 'Jane from Acme asked about an audit for her team of 12.', data: { intent: 'booking', team_size: 12 }, criteria: [{ criterion: "collected the caller's company", pass: true, reason: 'She said she is from Acme.' }] };

describe('admin API: the owner’s side', () => {
  const fx = serverFixture();
  let app: FastifyInstance;
  let base: string;
  const analysed: [string, AnalysisRecord][] = [];
  let next: ((id: string) => void) | undefined;
  let widgetId = '';
  let sandboxId = '';

  before(async () => {
    const dir = tempDir('parley-owner-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(
      join(dir, 'ada', 'agent.yaml'),
      [
        'name: ada',
        'persona:',
        '  prompt: You are Ada.',
        `  firstMessage: ${GREETING}`,
        'knowledge: { sources: [], strict: false }',
        'collect: [name, company, email]',
        'tools: [save_lead, end_call]',
        'timeZone: Europe/Warsaw',
        'channels: { web: { allowedOrigins: [shop.example.com] } }',
        'limits: { conversationsPerIpPerHour: 1000, dailyBudgetUsd: 4 }',
        'analysis:',
        '  data:',
        '    - { field: intent, type: enum, values: [booking, question, other], description: What the caller wanted, required: true }',
        '    - { field: team_size, type: number, description: People on their team }',
        "  criteria: [\"collected the caller's company\"]",
        '',
      ].join('\n'),
    );
    app = fx.track(
      await buildServer({
        agentsDir: dir,
        store: fx.store,
        mode: 'dev',
        env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SESSION_SECRET: 's' },
        analysis: { retryDelaysMs: [1], onAnalysisCompleted: (id, a) => (analysed.push([id, a]), next?.(id)) },
      }),
    );
    base = await listenOnLoopback(app);
    const done = new Promise<string>((r) => (next = r));

    // A caller on the widget gives their name (a formula, as a prankster would) and company.
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } });
    assert.equal(res.status, 200, await res.clone().text());
    const c: TestClient = connect(((await res.json()) as { url: string }).url, SHOP);
    widgetId = String((await c.waitFor((e) => e.type === 'ready')).conversationId);
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
    fx.llm.push({ toolCalls: [{ name: 'save_lead', args: { name: '=HYPERLINK("http://evil.example","Jane")', company: 'Acme Roofing' } }] }, { text: 'Thanks, noted.' });
    // What the analysis model will answer once the conversation is over.
    fx.llm.push({ text: JSON.stringify(ANALYSIS) });
    await say(c, 'I am Jane from Acme Roofing, we want an automation audit for our team of twelve.');
    c.json({ type: 'end' });
    await c.closed;
    assert.equal(await done, widgetId);

    // A sandbox conversation, which the owner's lists leave out by default (no analysis step: it is skipped below).
    const s = await sandbox(base);
    sandboxId = s.id;
    fx.llm.push({ text: 'Sure.' });
    await say(s.c, 'Testing the acme audit question.');
    fx.llm.push({ text: JSON.stringify({ ...ANALYSIS, data: { intent: 'other' } }) });
    const sandboxDone = new Promise<string>((r) => (next = r));
    s.c.json({ type: 'end' });
    await s.c.closed;
    assert.equal(await sandboxDone, sandboxId);

    // Questions strict knowledge declined, and a booking, recorded directly.
    const r = new Records(fx.store.db, fx.store.kind);
    for (const [i, q] of ['Do you  work on Sundays?', 'do you work on sundays?', 'What is your refund policy?'].entries()) {
      const id = `20000000-0000-4000-8000-00000000000${i}`;
      const at = new Date(Date.now() - 60_000 + i * 1000).toISOString();
      await r.startConversation({ id, agent: 'ada', agent_version: 'v', channel: 'phone', direction: 'inbound', caller: '+48600000000', started_at: at });
      await r.addTurn(id, { seq: 1, role: 'caller', text: q, heardText: null, interrupted: false, grounding: 'no-match', startedAt: at, endedAt: at, latency: null });
      await r.addTurn(id, { seq: 2, role: 'agent', text: 'I do not have that.', heardText: null, interrupted: false, grounding: 'declined', startedAt: at, endedAt: at, latency: null });
      if (i === 2) await r.appendEvent(id, at, 'booking.made', { booking: { id: 'b1', provider: 'builtin', start: '2027-01-12T14:00:00Z', end: '2027-01-12T14:30:00Z', status: 'confirmed', timeZone: 'Europe/Warsaw', attendee: { name: '@SUM(A1)', email: 'j@acme.example', timeZone: 'Europe/Warsaw' } } });
      await r.endConversation(id, at, 'caller hung up');
    }
  });

  it('analyses a conversation after it ends, stores it with the record and calls the hook once', async () => {
    assert.deepEqual(analysed.map(([id]) => id), [widgetId, sandboxId]);
    const rec = (await (await fetch(`${base}/v1/admin/conversations/${widgetId}`)).json()) as { analysis: AnalysisRecord };
    assert.equal(rec.analysis.status, 'done');
    assert.equal(rec.analysis.summary, ANALYSIS.summary);
    assert.deepEqual(rec.analysis.data, { intent: 'booking', team_size: 12 });
    assert.deepEqual(rec.analysis.criteria, ANALYSIS.criteria);
    // The analysis model got the masked record as data, after the conversation's own requests.
    const req = fx.llm.requests.find((q) => JSON.stringify(q.messages).includes('<transcript>'))!;
    assert.match(JSON.stringify(req.messages), /Caller: I am Jane from Acme Roofing/);
  });

  it('lists real conversations with the caller’s name, company and summary; the sandbox only with test=1; finds them by their words', async () => {
    type Item = { id: string; name: string | null; company: string | null; summary: string | null; analysis: string | null };
    const list = async (q: string) => ((await (await fetch(`${base}/v1/admin/conversations?${q}`)).json()) as { conversations: Item[] }).conversations;
    const widget = (await list('')).find((c) => c.id === widgetId)!;
    assert.deepEqual([widget.name, widget.company, widget.summary, widget.analysis], ['=HYPERLINK("http://evil.example","Jane")', 'Acme Roofing', ANALYSIS.summary, 'done']);
    assert.ok(!(await list('')).some((c) => c.id === sandboxId));
    assert.ok((await list('test=1')).some((c) => c.id === sandboxId));
    assert.deepEqual((await list('q=roofing')).map((c) => c.id), [widgetId]);
    assert.deepEqual((await list('q=automat%20twelve')).map((c) => c.id), [widgetId], 'word starts, all in one line');
    assert.deepEqual((await list('q=acme&test=1')).map((c) => c.id).sort(), [sandboxId, widgetId].sort());
    assert.deepEqual(await list('q=plumbing'), []);
    assert.deepEqual(await list('q=%22)%20OR%20*'), [], 'search syntax is taken as words');
  });

  it('exports leads and bookings as CSV with formula cells defused', async () => {
    const res = await fetch(`${base}/v1/admin/leads?format=csv`);
    assert.match(res.headers.get('content-type')!, /^text\/csv/);
    assert.match(res.headers.get('content-disposition')!, /attachment; filename="leads.csv"/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    assert.equal(lines[0], 'saved_at,agent,door,name,company,summary,conversation_id');
    assert.equal(lines.length, 2, 'the sandbox lead is left out');
    assert.ok(lines[1]!.includes(`,"'=HYPERLINK(""http://evil.example"",""Jane"")",Acme Roofing,`), lines[1]);
    const json = (await (await fetch(`${base}/v1/admin/leads`)).json()) as { leads: { fields: Record<string, string>; summary: string }[] };
    assert.equal(json.leads[0]!.summary, ANALYSIS.summary);

    const bookings = (await (await fetch(`${base}/v1/admin/bookings?format=csv`)).text()).trimEnd().split('\r\n');
    assert.equal(bookings.length, 2);
    assert.match(bookings[1]!, /,2027-01-12T14:00:00Z,Europe\/Warsaw,'@SUM\(A1\),j@acme\.example,/);
    assert.equal((await fetch(`${base}/v1/admin/bookings?format=xml`)).status, 400);
  });

  it('gives the overview: today’s conversations, the funnel from widget opening to booking, the budget', async () => {
    const o = (await (await fetch(`${base}/v1/admin/overview?agent=ada`)).json()) as { tz: string; budgetUsd: number; days: { day: string; conversations: number }[]; funnel: Record<string, number> };
    assert.equal(o.tz, 'Europe/Warsaw');
    assert.equal(o.budgetUsd, 4);
    assert.equal(o.days.length, 30);
    assert.equal(o.days.at(-1)!.conversations, 4, 'the widget conversation and three phone calls; not the sandbox');
    assert.deepEqual(o.funnel, { widgetOpened: 1, conversations: 1, leads: 1, bookings: 0 });
    assert.equal((await fetch(`${base}/v1/admin/overview?from=2026-02-01&to=2026-01-01`)).status, 400);
  });

  it('charts the range the unanswered questions are read for', async () => {
    const o = (await (await fetch(`${base}/v1/admin/overview?agent=ada`)).json()) as { start: string; end: string };
    const body = (await (await fetch(`${base}/v1/admin/unanswered?agent=ada&from=${o.start}&to=${o.end}`)).json()) as { questions: { text: string; count: number; conversationIds: string[] }[] };
    assert.deepEqual(body.questions.map((q) => [q.count, q.conversationIds.length]), [[2, 2], [1, 1]], JSON.stringify(body.questions));
    assert.match(body.questions[0]!.text, /sundays/i);
});
});
