import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildServer } from '../../src/server/app.ts';
import { Analyses } from '../../src/store/analyses.ts';
import { Campaigns } from '../../src/store/campaigns.ts';
import { countWidgetOpened } from '../../src/store/overview.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { daysBefore, todayIn, zonedDays } from '../../src/util/zoned-days.ts';
import { listenOnLoopback } from '../server/helpers.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

// The owner's dashboard in Debian's Chromium over two weeks of seeded records: the overview's
// charts and funnel, the unanswered questions, the conversations list (search, the sandbox
// toggle, name, company and summary, filters in the URL), a conversation's analysis, and the
// leads list with its CSV. PARLEY_SCREENSHOTS=1 also writes the docs/images/dashboard-*.png.

const CHROMIUM = '/usr/lib/chromium/chromium';
const ADMIN = 'e2e-admin-token';
const ZONE = 'Europe/Warsaw';
const shots = (name: string) => (process.env.PARLEY_SCREENSHOTS ? { path: join(ROOT, 'docs/images', name) } : undefined);

const PEOPLE = [
  ['Jane Kowalska', 'Acme Roofing', 'Wants an automation audit for a team of 12; booked an intro call.'],
  ['Tom Berg', 'Berg Logistics', 'Asked about pricing for route planning; left his details for a follow-up.'],
  ['Ana Ruiz', 'Ruiz Dental', 'Asked whether the audit covers patient scheduling; no booking yet.'],
  ['Piotr Nowak', 'Nowak & Sons', 'Booked a call about invoice automation.'],
] as const;

/** Two weeks of conversations ending today in ZONE: outcomes, leads, bookings, costs, latencies, tool errors, declined questions. */
async function seed(store: Store): Promise<{ jane: string; sandbox: string }> {
  const r = new Records(store.db, store.kind);
  const analyses = new Analyses(store.db);
  const today = todayIn(ZONE);
  let n = 0;
  let jane = '';
  for (let back = 13; back >= 0; back--) {
    const day = zonedDays(daysBefore(today, back), daysBefore(today, back), ZONE)[0]!;
    const count = 3 + ((back * 7) % 5);
    for (let i = 0; i < count; i++) {
      const id = `e2e00000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
      const at = (min: number) => new Date(Date.parse(day.start) + (9 * 60 + i * 47 + min) * 60_000).toISOString();
      if (Date.parse(at(0)) > Date.now()) continue;
      const phone = i % 4 === 3;
      await r.startConversation({ id, agent: 'ada', agent_version: 'v1', channel: phone ? 'phone' : 'web', direction: 'inbound', caller: phone ? '+48600100200' : 'https://acme.example', started_at: at(0) });
      if (!phone) await countWidgetOpened(store.db, 'ada', new Date(at(0)));
      if (!phone && i % 2 === 0) await countWidgetOpened(store.db, 'ada', new Date(at(0)));
      const person = PEOPLE[(n + i) % PEOPLE.length]!;
      const askedSundays = i === 1 && back % 3 === 0;
      const lines: [string, string][] = askedSundays
        ? [['caller', 'Do you work on Sundays?'], ['agent', "I don't have that in our materials, so I won't guess."]]
        : [['caller', `Hi, this is ${person[0]} from ${person[1]}. ${person[2]}`], ['agent', 'Thanks, happy to help with that.']];
      let seq = 0;
      await r.addTurn(id, { seq: seq++, role: 'agent', text: 'Hi, this is Ada. How can I help?', heardText: null, interrupted: false, grounding: null, startedAt: at(0), endedAt: at(0), latency: null });
      for (const [role, text] of lines) {
        const latency = role === 'agent' ? { voiceToVoiceMs: 700 + ((n * 137) % 900), endpointingMs: 400 } : null;
        await r.addTurn(id, { seq: seq++, role: role as 'agent' | 'caller', text, heardText: null, interrupted: false, grounding: askedSundays && role === 'agent' ? 'declined' : null, startedAt: at(1), endedAt: at(1), latency });
      }
      const lead = !askedSundays && i % 3 !== 2;
      if (lead) await r.saveLead(id, 'ada', { name: person[0], email: `${person[0].split(' ')[0]!.toLowerCase()}@example.com`, company: person[1] }, at(2));
      if (lead && i % 3 === 0) await r.appendEvent(id, at(3), 'booking.made', { booking: { id: `b${n}`, provider: 'builtin', start: new Date(Date.parse(at(0)) + 2 * 86_400_000).toISOString(), end: new Date(Date.parse(at(0)) + 2 * 86_400_000 + 1_800_000).toISOString(), status: 'confirmed', timeZone: ZONE, attendee: { name: person[0], email: 'x@example.com', timeZone: ZONE, company: person[1] } } });
      if (i === 2 && back % 4 === 1) await r.addToolCall(id, { id: `t${n}`, turnSeq: 2, name: 'crm_webhook', input: {}, request: null, response: { status: 502 }, result: null, error: 'HTTP 502', startedAt: at(2), durationMs: 30 });
      await r.endConversation(id, at(5), i % 3 === 0 ? 'agent ended' : 'caller left', { durationSec: 240, costUsd: 0.35 + ((n * 31) % 40) / 100 });
      if (!askedSundays) await analyses.save(id, 'ada', { status: 'done', summary: `${person[0]} (${person[1]}): ${person[2]}`, data: { intent: lead ? 'booking' : 'question', team_size: 12 }, criteria: [{ criterion: 'collected the company', pass: lead, reason: lead ? `They said ${person[1]}.` : 'The caller gave no company.' }], error: null, model: 'openai:gpt-4.1-nano', attempts: 1, analysedAt: at(6) });
      if (person[0] === 'Jane Kowalska' && back === 0) jane = id;
      if (!jane && person[0] === 'Jane Kowalska' && lead) jane = id;
    }
  }
  const sandbox = 'e2e00000-0000-4000-8000-999999999999';
  await r.startConversation({ id: sandbox, agent: 'ada', agent_version: 'v1', channel: 'web', direction: 'inbound', caller: 'dashboard sandbox', started_at: new Date(Date.now() - 60_000).toISOString() });
  await r.addTurn(sandbox, { seq: 0, role: 'caller', text: 'Testing the roofing answer from the sandbox', heardText: null, interrupted: false, grounding: null, startedAt: new Date(Date.now() - 50_000).toISOString(), endedAt: null, latency: null });
  await r.endConversation(sandbox, new Date(Date.now() - 30_000).toISOString(), 'caller left', { costUsd: 0.01 });
  return { jane, sandbox };
}

describe('owner dashboard in Chromium', { skip: existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}` }, () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let browser: Browser;
  let page: Page;
  let ids: { jane: string; sandbox: string };
  // The CRM receiving events: refuses until `up`, then takes them.
  let receiver: Server;
  const received: string[] = [];
  let up = false;

  before(async () => {
    store = await openTestStore();
    ids = await seed(store);
    const dir = tempDir('parley-e2e-dash-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(join(dir, 'ada', 'agent.yaml'), ['name: ada', 'persona: { prompt: You are Ada., firstMessage: Hello. }', 'knowledge: { sources: [], strict: false }', 'collect: [name, email, company]', `timeZone: ${ZONE}`, 'limits: { dailyBudgetUsd: 5 }', ''].join('\n'));
    receiver = createServer((req, res) => {
      received.push(String(req.headers['webhook-id']));
      req.resume();
      res.writeHead(up ? 204 : 503).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const events = { PARLEY_EVENTS_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, PARLEY_EVENTS_SECRET: `whsec_${Buffer.from('e2e-secret-0123456789').toString('base64')}`, PARLEY_EVENTS_ALLOW_PRIVATE: '1' };
    app = await buildServer({ agentsDir: dir, store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: 'http://127.0.0.1:9/v1', PARLEY_SESSION_SECRET: 's', PARLEY_ADMIN_TOKEN: ADMIN, PATH: process.env.PATH, ...events } });
    base = await listenOnLoopback(app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, extraHTTPHeaders: { authorization: `Bearer ${ADMIN}` } });
    page.on('pageerror', (e) => console.error('dashboard error:', e.message));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    receiver?.close();
    await store?.close();
  });

  it('opens on the overview: five charts, the funnel, totals and the unanswered questions', async () => {
    await page.goto(`${base}/dashboard`);
    await page.locator('.chart canvas').nth(4).waitFor({ state: 'attached' });
    assert.equal(await page.locator('.chart canvas').count(), 5);
    assert.equal(await page.locator('.top nav a.active').textContent(), 'Overview');
    const api = (await (await fetch(`${base}/v1/admin/overview`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { funnel: Record<string, number>; days: { conversations: number }[] };
    const steps = await page.locator('.funnel .step-n').allTextContents();
    assert.deepEqual(steps.map((s) => Number(s.split(' ')[0])), [api.funnel.widgetOpened, api.funnel.conversations, api.funnel.leads, api.funnel.bookings]);
    assert.ok(api.funnel.widgetOpened > api.funnel.conversations && api.funnel.conversations > api.funnel.leads && api.funnel.leads > api.funnel.bookings && api.funnel.bookings > 0);
    const total = api.days.reduce((s, d) => s + d.conversations, 0);
    assert.equal(await page.locator('.tile').first().locator('.tile-value').textContent(), String(total), 'the sandbox run is not counted');
    await page.locator('.unanswered td', { hasText: /do you work on sundays\?/i }).waitFor();
    // The legend follows the cursor: hovering a bar of the outcomes chart shows that day's values.
    const chart = page.locator('.chart').first();
    const box = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width - 10, box.y + box.height / 2);
    assert.match((await chart.locator('.u-legend').textContent()) ?? '', /\d{4}-\d{2}-\d{2}/);
    await page.mouse.move(0, 0);
    await page.screenshot({ ...shots('dashboard-overview.png'), fullPage: true });
  });

  it('keeps the overview’s filters in the URL and refuses a reversed range with the server’s reason', async () => {
    await page.goto(`${base}/dashboard#/overview?tz=UTC`);
    await page.locator('.chart canvas').nth(4).waitFor({ state: 'attached' });
    await page.locator('.page-head', { hasText: 'days in UTC' }).waitFor();
    await page.locator('input[name="from"]').fill('2026-03-10');
    await page.locator('input[name="to"]').fill('2026-03-01');
    await page.locator('input[name="to"]').dispatchEvent('change');
    await page.locator('.alert.error', { hasText: 'to must not be before from' }).waitFor();
    assert.match(page.url(), /tz=UTC/);
    assert.match(page.url(), /to=2026-03-01/);
  });

  it('lists conversations with name, company and summary; searches transcripts; the sandbox only with the toggle', async () => {
    await page.goto(`${base}/dashboard#/conversations`);
    await page.locator('table.table tbody tr').first().waitFor();
    assert.equal(await page.locator('td.caller-cell', { hasText: 'Acme Roofing' }).first().isVisible(), true);
    // The newest row depends on the hour the test runs at (today's seeded calls are only those already begun): look at them all.
    const previews = await page.locator('td.preview').allTextContents();
    assert.ok(previews.some((p) => /\(.*\): /.test(p)), `no summary among ${JSON.stringify(previews.slice(0, 5))}…`);
    await page.locator('input[name="q"]').fill('roofing');
    await page.locator('input[name="q"]').press('Enter');
    await page.waitForURL(/q=roofing/);
    // Every row found said "roofing": its summary names Acme Roofing, or the caller asked about it.
    await page.waitForFunction(() => {
      const cells = [...(globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ textContent: string | null }> } }).document.querySelectorAll('td.preview')];
      return cells.length > 0 && cells.every((td) => /roofing/i.test(td.textContent ?? ''));
    });
    const found = await page.locator('td.preview').count();
    assert.ok(found > 0);
    await page.locator('input[name="test"]').check();
    await page.waitForURL(/test=1/);
    await page.locator('tbody tr', { hasText: 'Testing the roofing answer' }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), found + 1);
    // Reloading keeps the view: the filters are in the URL.
    await page.reload();
    await page.locator('tbody tr', { hasText: 'Testing the roofing answer' }).waitFor();
    assert.equal(await page.locator('input[name="q"]').inputValue(), 'roofing');
    await page.locator('input[name="test"]').uncheck();
    await page.waitForURL((u) => !u.hash.includes('test=1'));
    await page.locator('input[name="q"]').fill('');
    await page.locator('input[name="q"]').press('Enter');
    await page.locator('tbody tr').nth(10).waitFor();
    await page.screenshot({ ...shots('dashboard-conversations.png') });
  });

  it('shows a conversation’s analysis: summary, data and each criterion with its reason', async () => {
    await page.goto(`${base}/dashboard#/conversations/${ids.jane}`);
    const card = page.locator('.card.analysis');
    await card.locator('.summary').waitFor();
    assert.match((await card.locator('.summary').textContent()) ?? '', /Jane Kowalska \(Acme Roofing\)/);
    assert.deepEqual(await card.locator('dt').allTextContents(), ['intent', 'team_size']);
    assert.match((await card.locator('.criteria li').first().textContent()) ?? '', /^pass collected the company.*They said Acme Roofing\./);
    await page.screenshot({ ...shots('dashboard-analysis.png'), fullPage: true });
  });

  it('lists leads and bookings, and downloads them as CSV', async () => {
    await page.goto(`${base}/dashboard#/leads`);
    await page.locator('table[data-list="leads"] tbody tr').first().waitFor();
    assert.deepEqual((await page.locator('table[data-list="leads"] th').allTextContents()).slice(0, 5), ['Saved', 'Agent', 'name', 'email', 'company']);
    const href = (await page.locator('a', { hasText: 'Download CSV' }).getAttribute('href'))!;
    assert.match(href, /^\/v1\/admin\/leads\?format=csv$/);
    const csv = (await page.evaluate(`fetch(${JSON.stringify(href)}).then((r) => r.text())`)) as string;
    const rows = csv.trimEnd().split('\r\n');
    assert.equal(rows[0], 'saved_at,agent,door,name,email,company,summary,conversation_id');
    assert.equal(rows.length - 1, await page.locator('table[data-list="leads"] tbody tr').count());
    await page.screenshot({ ...shots('dashboard-leads.png') });
    await page.locator('.tabs a', { hasText: 'Bookings' }).click();
    await page.locator('table[data-list="bookings"] tbody tr').first().waitFor();
    assert.match(await page.locator('a', { hasText: 'Download CSV' }).getAttribute('href') ?? '', /^\/v1\/admin\/bookings\?format=csv$/);
  });

  it('lists events out with each attempt, and sends a missed one again', async () => {
    const id = await app.parley.events.enqueue({ agent: 'ada', type: 'lead.saved', conversationId: ids.jane, data: { fields: { name: 'Jane Kowalska' } } });
    // The receiver refuses the first attempt; the next retry would be 15 s away.
    await until(async () => (await store.db.selectFrom('outbox_attempts').select('id').execute()).length >= 1);
    await page.goto(`${base}/dashboard#/events?type=lead.saved`);
    const row = page.locator(`tr[data-event="${id}"]`);
    await row.waitFor();
    assert.equal(await page.locator('.top nav a.active').textContent(), 'Events');
    assert.equal(await row.locator('.delivery').getAttribute('data-state'), 'pending');
    assert.match((await row.locator('.delivery summary').textContent()) ?? '', /webhook:PARLEY_EVENTS_URL.*1 attempt · last 503/);
    up = true;
    await row.locator('button', { hasText: 'Send again' }).click();
    await row.locator('text=queued 1').waitFor();
    await until(async () => received.length >= 2 && (await store.db.selectFrom('outbox_deliveries').select('state').execute()).every((d) => d.state === 'delivered'));
    await page.reload();
    await row.locator('.delivery[data-state="delivered"]').waitFor();
    await row.locator('.delivery summary').click();
    assert.deepEqual(await row.locator('.attempts li').allTextContents().then((l) => l.map((t) => t.split(' · ')[1])), ['503', '204']);
    assert.deepEqual(received, [id, id], 'the same webhook-id both times, so the receiver can tell it is one event');
    await page.screenshot({ ...shots('dashboard-events.png') });
  });

  it('lists campaigns with their counts, pauses one, and shows its contacts', async () => {
    const now = new Date().toISOString();
    const id = await new Campaigns(store).create({
      name: 'spring follow-ups',
      agent: 'ada',
      settings: { window: { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5] }, concurrency: 2, perMinute: 10, maxAttempts: 3, retryMinutes: [30, 120] },
      contacts: [{ row: 2, phone: '+12125550190', name: 'Ann Lee', timeZone: 'America/New_York', variables: { name: 'Ann Lee' } }],
      now,
    });
    await page.goto(`${base}/dashboard#/campaigns`);
    const row = page.locator(`tr[data-campaign="${id}"]`);
    await row.waitFor();
    assert.equal(await page.locator('.top nav a.active').textContent(), 'Campaigns');
    assert.match((await row.textContent()) ?? '', /spring follow-ups.*ada.*running.*1 waiting/);
    await row.locator('button', { hasText: 'Pause' }).click();
    await row.locator('button', { hasText: 'Resume' }).waitFor();
    assert.equal((await new Campaigns(store).get(id))!.state, 'paused');
    await row.locator('a', { hasText: 'spring follow-ups' }).click();
    await page.locator('table[data-list="contacts"] tbody tr').first().waitFor();
    assert.match((await page.locator('table[data-list="contacts"] tbody tr').first().textContent()) ?? '', /\+12125550190.*Ann Lee.*America\/New_York.*pending/);
  });
});

/** Waits for a condition the test cannot be told about (the deliverer's own loop), checking every 20 ms for up to 10 s. */
async function until(cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the deliverer');
    await new Promise((r) => setTimeout(r, 20));
  }
}
