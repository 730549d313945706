import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildServer } from '../../src/server/app.ts';
import { Analyses } from '../../src/store/analyses.ts';
import type { AnalysisRecord } from '../../src/store/record-types.ts';
import { Records } from '../../src/store/records.ts';
import { tempDir } from '../helpers/cli.ts';
import { connect, GREETING, listenOnLoopback, serverFixture } from './helpers.ts';

// The post-call analysis on a running server: a call closes without waiting for it, and what a
// crash left unanalysed is picked up when the server starts again.

const SHOP = 'https://shop.example.com';
const ANSWER = JSON.stringify({ summary: 'A short call.', data: {}, criteria: [] });

function agentDir(analysis = ['analysis:', '  summary: true', '']): string {
  const dir = tempDir('parley-analysis-');
  mkdirSync(join(dir, 'ada'));
  writeFileSync(join(dir, 'ada', 'agent.yaml'), ['name: ada', 'persona:', '  prompt: You are Ada.', `  firstMessage: ${GREETING}`, 'knowledge: { sources: [], strict: false }', 'channels: { web: { allowedOrigins: [shop.example.com] } }', 'limits: { conversationsPerIpPerHour: 1000 }', ...analysis].join('\n'));
  return dir;
}

describe('server: post-call analysis', () => {
  const fx = serverFixture();

  it('closes the call without waiting for the analysis, which lands afterwards', async () => {
    const completed: [string, AnalysisRecord][] = [];
    let landed!: () => void;
    const done = new Promise<void>((r) => (landed = r));
    const app = fx.track(await buildServer({ agentsDir: agentDir(), store: fx.store, mode: 'dev', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SESSION_SECRET: 's' }, analysis: { onAnalysisCompleted: (id, a) => (completed.push([id, a]), landed()) } }));
    const base = await listenOnLoopback(app);
    // The analysis model answers only when the test lets it.
    let answer!: () => void;
    const released = new Promise<void>((r) => (answer = r));
    fx.llm.push({ text: 'We open at nine.' }, async () => (await released, { text: ANSWER }));
    const res = await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } });
    const c = connect(((await res.json()) as { url: string }).url, SHOP);
    const id = String((await c.waitFor((e) => e.type === 'ready')).conversationId);
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
    c.json({ type: 'text', text: 'When do you open?' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'We open at nine.');
    c.json({ type: 'end' });
    await c.closed;
    await Promise.all([...app.parley.live].map((s) => s.done));
    // The session is over and recorded as ended while the analysis still waits for its model.
    const rec = await new Records(fx.store.db).get(id);
    assert.equal(rec?.endReason, 'caller left');
    assert.equal(await new Analyses(fx.store.db).get(id), null);
    assert.equal(completed.length, 0);
    answer();
    await done;
    assert.deepEqual(completed.map(([i, a]) => [i, a.status, a.summary]), [[id, 'done', 'A short call.']]);
    // …and goes out as analysis.completed through the events outbox.
    await app.parley.events.idle();
    const out = await fx.store.db.selectFrom('outbox_events').select(['type', 'data', 'conversation_id']).where('type', '=', 'analysis.completed').execute();
    assert.equal(out.length, 1);
    assert.equal(out[0].conversation_id, id);
    assert.equal(JSON.parse(out[0].data).analysis.summary, 'A short call.');
  });

  it('picks up at start what ended without an analysis (a crash came first), and marks it skipped without a model', async () => {
    const r = new Records(fx.store.db);
    const id = '30000000-0000-4000-8000-000000000001';
    const at = new Date(Date.now() - 3_600_000).toISOString();
    await r.startConversation({ id, agent: 'ada', agent_version: 'v', channel: 'phone', direction: 'inbound', caller: '+48600000000', started_at: at });
    await r.addTurn(id, { seq: 0, role: 'caller', text: 'Hello?', heardText: null, interrupted: false, grounding: null, startedAt: at, endedAt: at, latency: null });
    await r.endConversation(id, at, 'caller hung up');

    let seen!: (id: string) => void;
    const first = new Promise<string>((res) => (seen = res));
    fx.llm.push({ text: ANSWER });
    fx.track(await buildServer({ agentsDir: agentDir(), store: fx.store, mode: 'dev', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SESSION_SECRET: 's' }, analysis: { concurrency: 1, onAnalysisCompleted: (i) => seen(i) } }));
    assert.equal(await first, id, 'the oldest first');
    assert.equal((await new Analyses(fx.store.db).get(id))?.summary, 'A short call.');

    // The same agent with an analysis model whose key is not set: skipped, with the reason.
    const skipped = '30000000-0000-4000-8000-000000000002';
    await r.startConversation({ id: skipped, agent: 'ada', agent_version: 'v', channel: 'web', direction: 'inbound', caller: SHOP, started_at: at });
    await r.addTurn(skipped, { seq: 0, role: 'caller', text: 'Hi?', heardText: null, interrupted: false, grounding: null, startedAt: at, endedAt: at, latency: null });
    await r.endConversation(skipped, at, 'caller left');
    let skippedSeen!: (a: AnalysisRecord) => void;
    const second = new Promise<AnalysisRecord>((res) => (skippedSeen = res));
    fx.track(await buildServer({ agentsDir: agentDir(['analysis:', '  model: openai:gpt-4.1-nano', '']), store: fx.store, mode: 'dev', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: fx.llm.url, PARLEY_SESSION_SECRET: 's' }, analysis: { onAnalysisCompleted: (i, a) => i === skipped && skippedSeen(a) } }));
    const a = await second;
    assert.equal(a.status, 'skipped');
    assert.match(a.error!, /^no model: no API key for openai:gpt-4.1-nano: set OPENAI_API_KEY/);
  });
});
