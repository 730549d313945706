import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { ingestKnowledge, type KnowledgeSpec } from '../../src/knowledge/ingest.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentRegistry } from '../../src/server/agents.ts';
import { KnowledgeRefresher } from '../../src/server/knowledge-refresh.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../helpers/store.ts';

// knowledge.sources: [{ url, refreshMinutes }] — the server re-reads a changing page on that
// interval: a changed page replaces its chunks, a failed refresh keeps the last copy and is
// logged, refreshes take turns, and a page already waiting is not queued twice.

describe('refreshing a URL source', () => {
  let server: Server;
  let base = '';
  /** What each path answers now: a body, or an HTTP status to fail with. */
  const pages = new Map<string, string | number>();
  /** Requests being answered at this moment, and the most ever at once. */
  let inFlight = 0;
  let most = 0;
  /** Holds the answers while set, to have refreshes overlap if they could. */
  let gate: Promise<void> | undefined;
  before(async () => {
    server = createServer(async (req, res) => {
      most = Math.max(most, ++inFlight);
      await gate;
      const page = pages.get(req.url ?? '');
      inFlight--;
      if (typeof page === 'string') res.writeHead(200, { 'content-type': 'text/plain' }).end(page);
      else res.writeHead(page ?? 404).end('down');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((ok) => server.close(() => ok())));

  /** A store with the pages ingested once, a refresher scheduled for them, and its log. */
  async function setUp(paths: string[], minutes = 5) {
    const store: Store = await openTestStore();
    // The test site is on loopback: allowPrivateUrls, as the agent would have to say.
    const spec: KnowledgeSpec = { agent: 'status', dir: '.', sources: paths.map((p) => ({ url: `${base}${p}`, refreshMinutes: minutes })), urls: { allowPrivate: true } };
    const first = await ingestKnowledge(store, spec);
    assert.deepEqual(first.failed, []);
    const log: string[] = [];
    const refresher = new KnowledgeRefresher({ store, log: (l) => log.push(l) });
    refresher.schedule('dir', spec);
    const text = async (p: string) => (await store.db.selectFrom('knowledge_chunks').select('text').where('source', '=', `${base}${p}`).execute()).map((r) => r.text);
    return { store, refresher, log, text, close: async () => (refresher.close(), await store.close()) };
  }

  it('picks up a changed page, and says nothing when it did not change', async () => {
    pages.set('/status', 'All systems operational.');
    const t = await setUp(['/status']);
    try {
      assert.deepEqual(await t.text('/status'), ['All systems operational.']);
      assert.equal(await t.refresher.refresh('dir', `${base}/status`), 'unchanged');
      pages.set('/status', 'Degraded: card payments are failing since 09:40.');
      assert.equal(await t.refresher.refresh('dir', `${base}/status`), 'updated');
      assert.deepEqual(await t.text('/status'), ['Degraded: card payments are failing since 09:40.']);
      assert.deepEqual(t.log, [`status: knowledge: refreshed ${base}/status (changed)`]);
    } finally {
      await t.close();
    }
  });

  it('a failed refresh keeps the last copy and is logged; the next good one replaces it', async () => {
    pages.set('/flaky', 'Phones are up.');
    const t = await setUp(['/flaky']);
    try {
      pages.set('/flaky', 503);
      assert.equal(await t.refresher.refresh('dir', `${base}/flaky`), 'failed');
      assert.deepEqual(await t.text('/flaky'), ['Phones are up.']);
      assert.match(t.log[0]!, new RegExp(`^status: knowledge: could not refresh ${base}/flaky: could not fetch .*HTTP 503.*; keeping the last copy$`));
      pages.set('/flaky', 'Phones are down.');
      assert.equal(await t.refresher.refresh('dir', `${base}/flaky`), 'updated');
      assert.deepEqual(await t.text('/flaky'), ['Phones are down.']);
    } finally {
      await t.close();
    }
  });

  it('a changed page whose chunks cannot be embedded is still refreshed, and the log says so', async () => {
    pages.set('/embedded', 'First.');
    const t = await setUp(['/embedded']);
    try {
      const failing = { label: 'fake:1', embed: async () => Promise.reject(new Error('embedding model down')) };
      const spec: KnowledgeSpec = { agent: 'status', dir: '.', sources: [{ url: `${base}/embedded`, refreshMinutes: 5 }], urls: { allowPrivate: true } };
      t.refresher.schedule('dir', spec, failing);
      pages.set('/embedded', 'Second.');
      assert.equal(await t.refresher.refresh('dir', `${base}/embedded`), 'updated');
      assert.deepEqual(await t.text('/embedded'), ['Second.']);
      assert.deepEqual(t.log, [`status: knowledge: refreshed ${base}/embedded (changed), but could not embed its chunks (embedding model down); searching them by words`]);
    } finally {
      await t.close();
    }
  });

  it('one refresh at a time, and a page already waiting is not queued twice', async () => {
    pages.set('/a', 'A1');
    pages.set('/b', 'B1');
    const t = await setUp(['/a', '/b']);
    try {
      let open!: () => void;
      gate = new Promise((ok) => (open = ok));
      most = 0;
      pages.set('/a', 'A2');
      pages.set('/b', 'B2');
      const all = [t.refresher.refresh('dir', `${base}/a`), t.refresher.refresh('dir', `${base}/b`), t.refresher.refresh('dir', `${base}/a`)];
      assert.equal(await all[2], 'skipped', 'the same page, asked again while it waits');
      open();
      assert.deepEqual(await Promise.all(all.slice(0, 2)), ['updated', 'updated']);
      assert.equal(most, 1, 'the two pages were fetched one after the other');
      assert.deepEqual([await t.text('/a'), await t.text('/b')], [['A2'], ['B2']]);
    } finally {
      gate = undefined;
      await t.close();
    }
  });

  it('a server schedules the pages of the agents it loads, and stops when it closes', async () => {
    pages.set('/served', 'Served page.');
    const dir = mkdtempSync(join(tmpdir(), 'parley-refresh-agent-'));
    writeFileSync(join(dir, 'agent.yaml'), `name: served\npersona: { prompt: p, firstMessage: Hi }\nknowledge: { sources: [{ url: "${base}/served", refreshMinutes: 30 }], allowPrivateUrls: true, strict: false }\n`);
    const store = await openTestStore();
    const log: string[] = [];
    const registry = await AgentRegistry.open(dir, { store, env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: 'http://127.0.0.1:9' }, log: (l) => log.push(l) });
    try {
      assert.deepEqual(registry.names(), ['served'], log.join('\n'));
      pages.set('/served', 'Served page, changed.');
      assert.equal(await registry.refresher.refresh(registry.list()[0]!.dir, `${base}/served`), 'updated');
      assert.ok(log.includes(`served: knowledge: refreshed ${base}/served (changed)`));
      registry.close();
      assert.equal(await registry.refresher.refresh(registry.list()[0]!.dir, `${base}/served`), 'skipped');
    } finally {
      registry.close();
      await store.close();
    }
  });

  it('runs on its interval; a reload replaces the schedule, and close stops it', async () => {
    pages.set('/timed', 'Before.');
    const clock = FakeTimers.install({ toFake: ['setInterval', 'clearInterval'] });
    const t = await setUp(['/timed'], 15);
    try {
      let refreshed!: () => void;
      const logged = new Promise<void>((ok) => (refreshed = ok));
      t.log.push = (...lines: string[]) => (refreshed(), Array.prototype.push.apply(t.log, lines));
      pages.set('/timed', 'After.');
      await clock.tickAsync(14 * 60_000);
      assert.deepEqual(await t.text('/timed'), ['Before.'], 'not before its interval');
      await clock.tickAsync(60_000);
      await logged;
      assert.deepEqual(await t.text('/timed'), ['After.']);
      assert.equal(clock.countTimers(), 1);
      t.refresher.schedule('dir', undefined); // the agent was removed
      assert.equal(clock.countTimers(), 0);
      t.refresher.schedule('dir', { agent: 'status', dir: '.', sources: [`${base}/timed`] }); // reloaded without refreshMinutes
      assert.equal(clock.countTimers(), 0);
      t.refresher.schedule('dir', { agent: 'status', dir: '.', sources: [{ url: `${base}/timed`, refreshMinutes: 1 }], urls: { allowPrivate: true } });
      assert.equal(clock.countTimers(), 1);
      t.refresher.close();
      assert.equal(clock.countTimers(), 0);
      assert.equal(await t.refresher.refresh('dir', `${base}/timed`), 'skipped', 'a closed refresher fetches nothing');
    } finally {
      clock.uninstall();
      await t.close();
    }
  });
});
