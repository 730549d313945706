import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runParley, tempDir } from '../helpers/cli.ts';

// `parley models pull` against local servers: one serving a real (small) .tar.bz2 laid out like
// sherpa-onnx's release archives, one that accepts connections and hangs up, and a closed port.
// PARLEY_MODELS_BASE_URL points the command at them; PARLEY_MODELS_DIR keeps the test's files apart.

const NAME = 'vits-piper-en_US-amy-low';

describe('parley models pull', () => {
  let archive: Buffer;
  let files: Server;
  let hangup: ReturnType<typeof createTcpServer>;
  let filesUrl: string;
  let hangupUrl: string;
  const requested: string[] = [];

  before(async () => {
    const src = tempDir();
    mkdirSync(join(src, NAME));
    writeFileSync(join(src, NAME, 'en_US-amy-low.onnx'), randomBytes(300_000)); // incompressible, so the archive has a size
    writeFileSync(join(src, NAME, 'tokens.txt'), '_ 0\na 1\n');
    execFileSync('tar', ['-cjf', join(src, `${NAME}.tar.bz2`), '-C', src, NAME]);
    archive = readFileSync(join(src, `${NAME}.tar.bz2`));
    files = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === `/tts-models/${NAME}.tar.bz2`) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': archive.length });
        // In pieces, as a real download arrives.
        const half = archive.length >> 1;
        res.write(archive.subarray(0, half));
        setTimeout(() => res.end(archive.subarray(half)), 20);
      } else res.writeHead(404).end('Not Found');
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    hangup = createTcpServer((socket) => socket.destroy()); // a captive portal / firewall that drops the connection
    await new Promise<void>((r) => hangup.listen(0, '127.0.0.1', r));
    hangupUrl = `http://127.0.0.1:${(hangup.address() as AddressInfo).port}`;
  });
  after(async () => {
    files.closeAllConnections();
    await new Promise((r) => files.close(r));
    await new Promise((r) => hangup.close(r));
  });

  it('downloads with progress and unpacks the model into PARLEY_MODELS_DIR/<name>', async () => {
    const dir = tempDir();
    const r = await runParley(['models', 'pull', NAME], { env: { PARLEY_MODELS_DIR: dir, PARLEY_MODELS_BASE_URL: filesUrl } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(requested.at(-1), `/tts-models/${NAME}.tar.bz2`);
    assert.match(r.stderr, new RegExp(`${NAME}: [1-9]0% 0\\.\\d MB of 0\\.3 MB`), 'progress while downloading');
    assert.match(r.stderr, new RegExp(`${NAME}: 100% 0\\.3 MB of 0\\.3 MB`));
    assert.match(r.stdout, new RegExp(`${NAME} is ready in ${join(dir, NAME)}`));
    assert.match(r.stdout, new RegExp(`sherpa:${NAME}`));
    assert.deepEqual(readdirSync(join(dir, NAME)).sort(), ['en_US-amy-low.onnx', 'tokens.txt']);
    assert.deepEqual(readdirSync(dir), [NAME], 'no temporary files are left behind');

    const again = await runParley(['models', 'pull', NAME], { env: { PARLEY_MODELS_DIR: dir, PARLEY_MODELS_BASE_URL: filesUrl } });
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already in .* \(use --force to download it again\)/);
  });

  it('offline (connection dropped) fails clearly, with the URL to fetch by hand, and leaves nothing half-done', async () => {
    const dir = tempDir();
    const r = await runParley(['models', 'pull', NAME], { env: { PARLEY_MODELS_DIR: dir, PARLEY_MODELS_BASE_URL: hangupUrl } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`parley: cannot download ${NAME}: 127\\.0\\.0\\.1:\\d+ is not reachable \\(.+\\)\\. Pulling a model needs internet access once\\.`));
    assert.match(r.stderr, new RegExp(`Offline\\? Fetch ${hangupUrl}/tts-models/${NAME}\\.tar\\.bz2 .* unpack it into ${join(dir, NAME)}/`));
    assert.ok(!existsSync(join(dir, NAME)));
    assert.deepEqual(readdirSync(dir), []);
  });

  it('offline (nothing listening) fails the same way', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createTcpServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await runParley(['models', 'pull', NAME], { env: { PARLEY_MODELS_DIR: tempDir(), PARLEY_MODELS_BASE_URL: `http://127.0.0.1:${port}` } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not reachable \(connection refused, ECONNREFUSED\)\. Pulling a model needs internet access once/);
  });

  it('a missing file on the server and an unknown name are reported', async () => {
    const missing = await runParley(['models', 'pull', 'kokoro-en-v0_19'], { env: { PARLEY_MODELS_DIR: tempDir(), PARLEY_MODELS_BASE_URL: filesUrl } });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot download kokoro-en-v0_19: HTTP 404/);
    const unknown = await runParley(['models', 'pull', 'llama-70b'], { env: { PARLEY_MODELS_DIR: tempDir(), PARLEY_MODELS_BASE_URL: filesUrl } });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown model "llama-70b"\. Known models: silero_vad, .*kokoro-en-v0_19/);
  });

  it('list shows what is known and what is already downloaded', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'silero_vad'));
    const r = await runParley(['models', 'list'], { env: { PARLEY_MODELS_DIR: dir } });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^✓ silero_vad /m);
    assert.match(r.stdout, new RegExp(`^  ${NAME.replace(/\./g, '\\.')} `, 'm'));
    assert.match(r.stdout, new RegExp(`models folder: ${dir}`));
  });
});
