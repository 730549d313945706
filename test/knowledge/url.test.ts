import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ingestKnowledge } from '../../src/knowledge/ingest.ts';
import { readDocument } from '../../src/knowledge/read.ts';
import { searchKnowledge } from '../../src/knowledge/search.ts';
import { fetchSource, formatOfResponse } from '../../src/knowledge/url.ts';
import type { Store } from '../../src/store/store.ts';
import { folderWith, onePagePdf } from './fixtures.ts';
import { openTestStore } from '../helpers/store.ts';

// A small site: each path answers with a content type and a body.
const pages: Record<string, { type: string; body: string | Uint8Array }> = {
  '/faq': { type: 'text/html; charset=utf-8', body: '<html><body><nav>Menu</nav><h1>FAQ</h1><h2>Parking</h2><p>Free parking behind the building.</p></body></html>' },
  '/latin1': { type: 'text/html; charset=iso-8859-1', body: new Uint8Array([...Buffer.from('<h1>Caf'), 0xe9, ...Buffer.from('</h1><p>Open daily.</p>')]) },
  '/notes': { type: 'text/plain', body: 'Invoices are sent on the first working day.' },
  '/readme.md': { type: 'text/plain; charset=utf-8', body: '# Warranty\n\nTwelve months on all parts.' },
  '/brochure': { type: 'application/pdf', body: onePagePdf(['Gift vouchers never expire.']) },
  '/download': { type: 'application/octet-stream', body: onePagePdf(['Sniffed by signature.']) },
  '/image': { type: 'image/png', body: new Uint8Array([0x89, 0x50]) },
};

/** The test site listens on loopback, which URL sources may reach only when the agent allows it. */
const local = { policy: { allowPrivate: true } };

describe('URL sources', () => {
  let server: Server;
  let base = '';
  let store: Store;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000).unref();
      const page = pages[req.url ?? ''];
      if (!page) {
        res.writeHead(404, 'Not Found').end('nope');
        return;
      }
      res.writeHead(200, { 'content-type': page.type }).end(page.body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    store = await openTestStore();
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    await store.close();
  });

  it('lets the content type decide how a page is read', async () => {
    assert.equal((await fetchSource(`${base}/faq`, local)).format, 'html');
    assert.equal((await fetchSource(`${base}/notes`, local)).format, 'text');
    assert.equal((await fetchSource(`${base}/readme.md`, local)).format, 'markdown');
    assert.equal((await fetchSource(`${base}/brochure`, local)).format, 'pdf');
    assert.equal((await fetchSource(`${base}/download`, local)).format, 'pdf');
    assert.equal(formatOfResponse('', 'https://x.test/a.htm', new Uint8Array()), 'html');
    assert.equal(formatOfResponse('application/json', 'https://x.test/a.html', new Uint8Array()), undefined);
  });

  it('decodes the declared charset', async () => {
    const blocks = await readDocument(await fetchSource(`${base}/latin1`, local));
    assert.deepEqual(blocks[0], { kind: 'heading', level: 1, text: 'Café' });
  });

  it('names the URL in every failure', async () => {
    await assert.rejects(fetchSource(`${base}/missing`, local), (e: Error) => e.message.includes(`${base}/missing`) && /HTTP 404/.test(e.message));
    await assert.rejects(fetchSource(`${base}/image`, local), (e: Error) => e.message.includes(`${base}/image`) && /unsupported content type image\/png/.test(e.message));
    await assert.rejects(fetchSource(`${base}/slow`, { ...local, timeoutMs: 100 }), (e: Error) => e.message.includes(`${base}/slow`) && /did not answer within/.test(e.message));
    const closed = await closedPort();
    await assert.rejects(fetchSource(`http://127.0.0.1:${closed}/x`, local), (e: Error) => e.message.startsWith(`could not fetch http://127.0.0.1:${closed}/x`) && /ECONNREFUSED/.test(e.message));
  });

  it('passes an abort through rather than reporting it as a failure', async () => {
    const ac = new AbortController();
    const pending = fetchSource(`${base}/slow`, { ...local, signal: ac.signal });
    ac.abort();
    await assert.rejects(pending, { name: 'AbortError' });
  });

  it('ingests URLs next to files, stores them under their URL and reports the ones that fail', async () => {
    const dir = folderWith({ 'local.md': '# Local\n\nA local file about returns.' });
    try {
      const sources = ['local.md', `${base}/faq`, `${base}/brochure`, `${base}/missing`];
      const report = await ingestKnowledge(store, { agent: 'web', dir: dir.dir, sources, urls: local.policy });
      assert.equal(report.added, 3);
      assert.deepEqual(report.failed.map((f) => f.source), [`${base}/missing`]);
      assert.match(report.failed[0].message, /HTTP 404/);

      const [parking] = await searchKnowledge(store, 'web', 'Is there parking?');
      assert.equal(parking.source, `${base}/faq`);
      assert.equal(parking.heading, 'FAQ › Parking');
      assert.ok(!parking.text.includes('Menu'));
      assert.equal((await searchKnowledge(store, 'web', 'gift vouchers'))[0]?.source, `${base}/brochure`);

      const again = await ingestKnowledge(store, { agent: 'web', dir: dir.dir, sources, urls: local.policy });
      assert.deepEqual([again.added, again.unchanged, again.failed.length], [0, 3, 1], 'same bytes from a URL count as unchanged');
    } finally {
      dir.dispose();
    }
  });

  it('uses the fetch it is given', async () => {
    const fake: typeof fetch = async () => new Response('<h1>Fake</h1><p>Served by a fake fetch.</p>', { headers: { 'content-type': 'text/html' } });
    const dir = folderWith({});
    try {
      const report = await ingestKnowledge(store, { agent: 'fake', dir: dir.dir, sources: ['https://example.invalid/page'], urls: { lookup: async () => [{ address: '93.184.215.14', family: 4 }] } }, { fetch: fake });
      assert.equal(report.added, 1);
      assert.equal((await searchKnowledge(store, 'fake', 'served fake fetch'))[0]?.heading, 'Fake');
    } finally {
      dir.dispose();
    }
  });
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as AddressInfo;
  await new Promise((ok) => s.close(ok));
  return port;
}
