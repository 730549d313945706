import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { runProblems } from '../../src/cli/agent-checks.ts';
import { ingestKnowledge, type KnowledgeSpec } from '../../src/knowledge/ingest.ts';
import { indexKnowledge } from '../../src/scenarios/knowledge.ts';
import type { Store } from '../../src/store/store.ts';
import { openTestStore } from '../helpers/store.ts';
import { folderWith } from './fixtures.ts';

// A page listed as { url, offline }: tests read the stand-in file under the page's URL and never
// fetch; elsewhere the stand-in is read only when the page cannot be fetched and no copy is indexed.

const URL_ = 'https://status.example.com/';
const chunksOf = async (store: Store, agent: string) =>
  (await store.db.selectFrom('knowledge_chunks').select(['source', 'text']).where('agent', '=', agent).orderBy('source').orderBy('seq').execute()).map((r) => `${r.source}: ${r.text}`);

/** A fetch that must not be called (counted), or one that answers a page. */
function fakeFetch(page?: string) {
  const calls: string[] = [];
  const f = (async (input: string | URL | Request) => {
    calls.push(String(input));
    if (page === undefined) throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    return new Response(page, { status: 200, headers: { 'content-type': 'text/plain' } });
  }) as typeof fetch;
  return { f, calls };
}

describe('a URL source with a stand-in file', () => {
  const folder = folderWith({
    'agent.yaml': `name: status-line\npersona: { prompt: p, firstMessage: Hi }\nknowledge:\n  sources:\n    - knowledge/\n    - { url: "${URL_}", offline: knowledge/status-copy.md, refreshMinutes: 5 }\n`,
    'knowledge/status-copy.md': '# Status\n\nAll systems operational (stand-in).',
    'knowledge/faq.md': '# FAQ\n\nInvoices go out monthly.',
  });
  after(() => folder.dispose());
  // status.example.com "resolves" to a public address, so the fake fetch is what answers.
  const urls = { lookup: async () => [{ address: '93.184.215.14', family: 4 }] };
  const spec = (over: Partial<KnowledgeSpec> = {}): KnowledgeSpec => ({ agent: 'a', dir: folder.dir, sources: ['knowledge/', { url: URL_, offline: 'knowledge/status-copy.md' }], urls, ...over });

  it('parley test indexes the stand-in under the URL, never fetching the page, and the stand-in only once', async () => {
    const agent = await loadAgent(folder.dir);
    const net = fakeFetch();
    const t = await indexKnowledge(agent, agent.config.knowledge.sources, undefined, net.f);
    try {
      assert.deepEqual(net.calls, [], 'no network in a test run');
      assert.deepEqual(t.report.failed, []);
      assert.deepEqual(await chunksOf(t.store, 'status-line'), ['https://status.example.com/: All systems operational (stand-in).', 'knowledge/faq.md: Invoices go out monthly.']);
    } finally {
      await t.store.close();
    }
  });

  it('elsewhere the page is fetched; unreachable with nothing indexed, the stand-in is, and the report says so', async () => {
    const store = await openTestStore();
    try {
      const down = fakeFetch();
      const first = await ingestKnowledge(store, spec(), { fetch: down.f });
      assert.equal(down.calls.length, 1);
      assert.equal(first.failed.length, 1);
      assert.match(first.failed[0]!.message, /could not fetch https:\/\/status\.example\.com\/: .*; indexed its stand-in knowledge\/status-copy\.md instead$/);
      assert.ok((await chunksOf(store, 'a')).includes('https://status.example.com/: All systems operational (stand-in).'));
      const up = fakeFetch('Degraded: phone lines are slow.');
      const second = await ingestKnowledge(store, spec(), { fetch: up.f });
      assert.deepEqual([second.updated, second.failed], [1, []]);
      assert.ok((await chunksOf(store, 'a')).includes('https://status.example.com/: Degraded: phone lines are slow.'));
      // Down again: the fetched copy stays; the stand-in does not replace it.
      const third = await ingestKnowledge(store, spec(), { fetch: fakeFetch().f });
      assert.equal(third.failed.length, 1);
      assert.doesNotMatch(third.failed[0]!.message, /stand-in/);
      assert.ok((await chunksOf(store, 'a')).includes('https://status.example.com/: Degraded: phone lines are slow.'));
    } finally {
      await store.close();
    }
  });

  it('a missing stand-in fails the source with its name; a plain URL in a test run is still fetched', async () => {
    const store = await openTestStore();
    try {
      const r = await ingestKnowledge(store, spec({ sources: [{ url: URL_, offline: 'knowledge/gone.md' }], offline: true }), { fetch: fakeFetch().f });
      assert.match(r.failed[0]!.message, /cannot read its stand-in knowledge\/gone\.md/);
      const plain = fakeFetch('Plain page.');
      const p = await ingestKnowledge(store, spec({ agent: 'b', sources: [URL_], offline: true }), { fetch: plain.f });
      assert.deepEqual([plain.calls.length, p.added], [1, 1]);
    } finally {
      await store.close();
    }
  });

  it('parley check: the stand-in must exist and be readable, and neither part takes ${NAME}', async () => {
    const bad = folderWith({ 'agent.yaml': 'x' });
    after(() => bad.dispose());
    writeFileSync(join(bad.dir, 'status.png'), 'x');
    const config = (await loadAgent(folder.dir)).config;
    const withSources = { ...config, knowledge: { ...config.knowledge, sources: [{ url: URL_, offline: 'nope.md' }, { url: URL_, offline: 'status.png' }, { url: '${STATUS_URL}' }] } };
    const problems = runProblems(withSources, bad.dir).filter((p) => p.path[0] === 'knowledge');
    assert.deepEqual(problems.map((p) => `${p.path.join('.')}: ${p.message.split(' (')[0]}`), [
      'knowledge.sources.0.offline: not found: nope.md',
      'knowledge.sources.1.offline: status.png: a stand-in for a page is a .md, .txt, .html or .pdf file',
      'knowledge.sources.2.url: knowledge sources take no ${NAME}',
    ]);
  });
});
