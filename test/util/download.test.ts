import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DownloadError, downloadFile } from '../../src/util/download.ts';
import { tempDir } from '../helpers/cli.ts';

// The downloader against a local HTTP server that honours (or ignores) Range, breaks off mid-file
// on request, and counts what it was asked for.

const BODY = randomBytes(300_000);
const SHA = createHash('sha256').update(BODY).digest('hex');

interface Served {
  url: string;
  ranges: (string | undefined)[];
  /** Close the connection after this many bytes of the next response. */
  breakAfter?: number;
  ignoreRange?: boolean;
}

let server: Server;
const s: Served = { url: '', ranges: [] };

before(async () => {
  server = createServer((req, res) => {
    const range = req.headers.range;
    s.ranges.push(range);
    let start = 0;
    const m = range && !s.ignoreRange ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) start = Number(m[1]);
    if (start >= BODY.length) {
      res.writeHead(416, { 'content-range': `bytes */${BODY.length}` }).end();
      return;
    }
    const body = BODY.subarray(start);
    res.writeHead(m ? 206 : 200, { 'content-length': body.length, ...(m ? { 'content-range': `bytes ${start}-${BODY.length - 1}/${BODY.length}` } : {}) });
    if (s.breakAfter !== undefined) {
      const cut = s.breakAfter;
      s.breakAfter = undefined;
      res.write(body.subarray(0, cut), () => res.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.gguf`;
});
after(() => server.close());

const plenty = async () => 10e12;
const get = (file: string, extra: Partial<Parameters<typeof downloadFile>[0]> = {}) => downloadFile({ url: s.url, file, signal: AbortSignal.timeout(10_000), freeBytes: plenty, ...extra });

describe('downloadFile', () => {
  it('fetches the whole file, reports progress with speed, and returns its SHA-256', async () => {
    const file = join(tempDir(), 'm.gguf');
    const seen: number[] = [];
    const r = await get(file, { sha256: SHA, bytes: BODY.length, onProgress: (p) => { seen.push(p.received); assert.equal(p.total, BODY.length); assert.ok(p.bytesPerSecond >= 0); } });
    assert.deepEqual(r, { sha256: SHA, bytes: BODY.length, resumed: false });
    assert.ok(readFileSync(file).equals(BODY));
    assert.equal(seen.at(-1), BODY.length);
    assert.ok(!existsSync(`${file}.part`));
  });

  it('resumes an interrupted download with a Range request and checks the whole file', async () => {
    const file = join(tempDir(), 'm.gguf');
    s.breakAfter = 100_000;
    await assert.rejects(get(file, { sha256: SHA }), (e) => e instanceof DownloadError && e.kind === 'interrupted' && /run it again to resume/.test(e.message));
    const kept = readFileSync(`${file}.part`).length;
    assert.ok(kept > 0 && kept < BODY.length, `kept ${kept} bytes`);
    s.ranges = [];
    const r = await get(file, { sha256: SHA });
    assert.deepEqual(s.ranges, [`bytes=${kept}-`]);
    assert.equal(r.resumed, true);
    assert.equal(r.sha256, SHA);
    assert.ok(readFileSync(file).equals(BODY));
  });

  it('starts over when the server ignores the Range', async () => {
    const file = join(tempDir(), 'm.gguf');
    writeFileSync(`${file}.part`, BODY.subarray(0, 1000));
    s.ignoreRange = true;
    try {
      const r = await get(file, { sha256: SHA });
      assert.equal(r.resumed, false);
      assert.ok(readFileSync(file).equals(BODY));
    } finally {
      s.ignoreRange = false;
    }
  });

  it('finishes a part that is already whole (416) without fetching it again', async () => {
    const file = join(tempDir(), 'm.gguf');
    writeFileSync(`${file}.part`, BODY);
    const r = await get(file, { sha256: SHA, bytes: BODY.length });
    assert.equal(r.sha256, SHA);
    assert.ok(existsSync(file));
  });

  it('a checksum mismatch fails and drops the bytes, so the next run starts clean', async () => {
    const file = join(tempDir(), 'm.gguf');
    await assert.rejects(get(file, { sha256: 'ab'.repeat(32) }), (e) => e instanceof DownloadError && e.kind === 'checksum' && /does not match the expected/.test(e.message));
    assert.ok(!existsSync(file));
    assert.ok(!existsSync(`${file}.part`));
    await assert.rejects(get(file, { bytes: 123 }), (e) => e instanceof DownloadError && e.kind === 'checksum' && e.message === `the server's file is ${BODY.length} bytes, expected 123`);
    assert.ok(!existsSync(`${file}.part`), 'nothing fetched for a file of the wrong size');
  });

  it('refuses before writing when the disk has no room for the rest', async () => {
    const file = join(tempDir(), 'm.gguf');
    await assert.rejects(get(file, { freeBytes: async () => 1000 }), (e) => e instanceof DownloadError && e.kind === 'disk' && /not enough disk space .*: 0\.3 MB needed, 0\.0 MB free/.test(e.message));
    assert.ok(!existsSync(`${file}.part`));
  });

  it('says offline when nothing answers', async () => {
    const file = join(tempDir(), 'm.gguf');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(downloadFile({ url: `http://127.0.0.1:${port}/m.gguf`, file, signal: AbortSignal.timeout(5000) }), (e) => e instanceof DownloadError && e.kind === 'offline' && e.message === `127.0.0.1:${port}: connection refused, ECONNREFUSED`);
  });

  it('says which HTTP status it got', async () => {
    const file = join(tempDir(), 'm.gguf');
    await assert.rejects(get(file, { url: s.url.replace('127.0.0.1', 'localhost') + '?x', fetch: async () => new Response('no', { status: 404, statusText: 'Not Found' }) }), (e) => e instanceof DownloadError && e.kind === 'http' && /HTTP 404 Not Found/.test(e.message));
  });
});
