import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ingestKnowledge } from '../../src/knowledge/ingest.ts';
import { fetchSource } from '../../src/knowledge/url.ts';
import { isPrivateAddress } from '../../src/knowledge/url-policy.ts';
import type { Store } from '../../src/store/store.ts';
import { folderWith } from './fixtures.ts';
import { openTestStore } from '../helpers/store.ts';

describe('isPrivateAddress', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast and unspecified addresses, in IPv4 and IPv6 and IPv4 inside IPv6', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fc12:3456::9', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '[::ffff:a9fe:a9fe]', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a00:1', '2002:7f00:1::', 'not-an-address']) {
      assert.equal(isPrivateAddress(a), true, a);
    }
  });

  it('allows public addresses', () => {
    for (const a of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::']) {
      assert.equal(isPrivateAddress(a), false, a);
    }
  });
});

describe('URL sources reach only what the agent allows', () => {
  let server: Server;
  let base = '';
  let store: Store;
  /** Bytes the /huge page managed to write before the reader hung up. */
  let hugeWritten = 0;
  before(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/page') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Internal</h1><p>Admin secrets live here.</p>');
      const hops = /^\/hop\/(\d+)$/.exec(url);
      if (hops) return void res.writeHead(302, { location: Number(hops[1]) > 0 ? `/hop/${Number(hops[1]) - 1}` : '/page' }).end();
      const sized = /^\/bytes\/(\d+)(\?chunked)?$/.exec(url);
      if (sized) {
        const body = 'b'.repeat(Number(sized[1]));
        if (sized[2]) {
          // Two writes: chunked, no length declared.
          res.writeHead(200, { 'content-type': 'text/plain' }).write(body.slice(0, 1));
          return void res.end(body.slice(1));
        }
        return void res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length) }).end(body);
      }
      if (url === '/declared-huge') return void res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(300 * 1024 * 1024) }).end('x');
      if (url === '/huge') {
        // 300 MB, chunked (no length): the reader must stop early, not hold it all.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = (): void => {
          while (hugeWritten < 300 * 1024 * 1024 && !res.destroyed) {
            hugeWritten += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => res.destroy());
        return pump();
      }
      res.writeHead(404).end();
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

  it('refuses a loopback URL by default and reads it when allowed', async () => {
    await assert.rejects(fetchSource(`${base}/page`), (e: Error) => e.message.includes(`${base}/page`) && /private, loopback or link-local/.test(e.message) && /allowPrivateUrls/.test(e.message));
    assert.equal((await fetchSource(`${base}/page`, { policy: { allowPrivate: true } })).format, 'html');
  });

  it('refuses a host that resolves to any private address, checking every address it has', async () => {
    const lookup = async (host: string) => (host === 'mixed.test' ? [{ address: '93.184.215.14', family: 4 }, { address: '::ffff:10.0.0.7', family: 6 }] : [{ address: '169.254.169.254', family: 4 }]);
    let fetched = 0;
    const fake: typeof fetch = async () => (fetched++, new Response('<h1>x</h1>', { headers: { 'content-type': 'text/html' } }));
    await assert.rejects(fetchSource('https://mixed.test/a', { fetch: fake, policy: { lookup } }), /mixed\.test resolves to ::ffff:10\.0\.0\.7/);
    await assert.rejects(fetchSource('http://metadata.test/latest/meta-data', { fetch: fake, policy: { lookup } }), /169\.254\.169\.254/);
    await assert.rejects(fetchSource('http://[::ffff:127.0.0.1]:80/x', { fetch: fake }), /private, loopback/);
    assert.equal(fetched, 0, 'nothing was requested');
  });

  it('refuses at connect time a host that resolved public a moment before (DNS rebinding)', async () => {
    const port = new URL(base).port;
    // The check's lookup says "public"; the connection's own lookup of localhost says 127.0.0.1.
    const rebinding = { lookup: async () => [{ address: '93.184.215.14', family: 4 }] };
    await assert.rejects(fetchSource(`http://localhost:${port}/page`, { policy: rebinding }), /refused http:\/\/localhost:\d+\/page: localhost resolves to (127\.0\.0\.1|::1), which is a private/);
    assert.equal((await fetchSource(`http://localhost:${port}/page`, { policy: { allowPrivate: true } })).format, 'html');
  });

  it('a list allows only the host names it names: 127.0.0.1 listed reads, localhost (the same address) is refused at connect time', async () => {
    const port = new URL(base).port;
    const only = { allowPrivate: ['127.0.0.1'] };
    assert.equal((await fetchSource(`http://127.0.0.1:${port}/page`, { policy: only })).format, 'html');
    await assert.rejects(fetchSource(`http://localhost:${port}/page`, { policy: only }), /localhost resolves to (127\.0\.0\.1|::1).*\(list it to allow it: knowledge\.allowPrivateUrls: \[localhost\]\)/);
    // The pre-check says "public"; the connection's lookup still refuses the unlisted name.
    const rebinding = { ...only, lookup: async () => [{ address: '93.184.215.14', family: 4 }] };
    await assert.rejects(fetchSource(`http://localhost:${port}/page`, { policy: rebinding }), /localhost resolves to/);
    assert.equal((await fetchSource(`http://localhost:${port}/page`, { policy: { allowPrivate: ['LocalHost.'] } })).format, 'html', 'names compare without case or a trailing dot');
  });

  it('checks every redirect hop: a public page cannot send the reader to loopback or another scheme', async () => {
    const lookup = async () => [{ address: '93.184.215.14', family: 4 }];
    const requested: string[] = [];
    const site: typeof fetch = async (input) => {
      const url = String(input);
      requested.push(url);
      if (url === 'https://public.test/to-loopback') return new Response(null, { status: 302, headers: { location: `${base}/page` } });
      if (url === 'https://public.test/to-file') return new Response(null, { status: 301, headers: { location: 'file:///etc/passwd' } });
      return new Response('<h1>Public</h1>', { headers: { 'content-type': 'text/html' } });
    };
    await assert.rejects(fetchSource('https://public.test/to-loopback', { fetch: site, policy: { lookup } }), /refused http:\/\/127\.0\.0\.1:\d+\/page: 127\.0\.0\.1 is a private/);
    await assert.rejects(fetchSource('https://public.test/to-file', { fetch: site, policy: { lookup } }), /only http and https/);
    assert.deepEqual(requested, ['https://public.test/to-loopback', 'https://public.test/to-file'], 'the loopback page was never requested');
  });

  it('follows a few redirects and refuses a longer chain', async () => {
    const allowed = { policy: { allowPrivate: true } };
    assert.equal((await fetchSource(`${base}/hop/4`, allowed)).format, 'html');
    await assert.rejects(fetchSource(`${base}/hop/5`, allowed), /more than 5 redirects/);
    await assert.rejects(fetchSource(`${base}/hop/2`, { policy: { allowPrivate: true, maxRedirects: 1 } }), /more than 1 redirects/);
  });

  it('reads a page of exactly the limit and refuses one byte more, declared or streamed', async () => {
    const policy = { allowPrivate: true, maxBytes: 4096 };
    for (const chunked of ['', '?chunked']) {
      assert.equal((await fetchSource(`${base}/bytes/4096${chunked}`, { policy })).bytes.length, 4096);
      await assert.rejects(fetchSource(`${base}/bytes/4097${chunked}`, { policy }), /larger than 4,096 bytes/);
    }
  });

  it('refuses a page over the size limit, declared or streamed, without reading it all', async () => {
    const policy = { allowPrivate: true, maxBytes: 1024 * 1024 };
    await assert.rejects(fetchSource(`${base}/declared-huge`, { policy }), /refused .*\/declared-huge: larger than 1,048,576 bytes/);
    const before = process.memoryUsage().rss;
    await assert.rejects(fetchSource(`${base}/huge`, { policy }), /refused .*\/huge: larger than 1,048,576 bytes/);
    await assert.rejects(fetchSource(`${base}/huge`), /private, loopback/, 'the default limit applies with the default policy too');
    assert.ok(hugeWritten < 32 * 1024 * 1024, `the server wrote ${hugeWritten} bytes before the reader hung up`);
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stayed bounded');
  });

  it('ingests with the agent’s URL rules and reports a refused URL as a failed source', async () => {
    const dir = folderWith({});
    try {
      const refused = await ingestKnowledge(store, { agent: 'urls', dir: dir.dir, sources: [`${base}/page`] });
      assert.equal(refused.added, 0);
      assert.match(refused.failed[0]?.message ?? '', /private, loopback or link-local/);
      const allowed = await ingestKnowledge(store, { agent: 'urls', dir: dir.dir, sources: [`${base}/page`, `${base}/huge`], urls: { allowPrivate: true, maxBytes: 64 * 1024 } });
      assert.equal(allowed.added, 1);
      assert.deepEqual(allowed.failed.map((f) => f.source), [`${base}/huge`]);
    } finally {
      dir.dispose();
    }
  });
});
