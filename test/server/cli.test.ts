import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runParley, tempDir } from '../helpers/cli.ts';
import { agentsFolder } from './helpers.ts';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeTinyGguf } from '../../src/testing/tiny-gguf.ts';

describe('parley dev / parley serve', () => {
  it('serve refuses to start without PARLEY_ADMIN_TOKEN', async () => {
    const r = await runParley(['serve', agentsFolder(), '--port', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PARLEY_ADMIN_TOKEN/);
  });

  it('serve refuses a PARLEY_TRUST_PROXY or HTTP timeout it cannot read, saying what it takes', async () => {
    const env = { PARLEY_ADMIN_TOKEN: 't', PARLEY_DATABASE_URL: `file:${join(tempDir('parley-cli-'), 'p.db')}` };
    const proxy = await runParley(['serve', agentsFolder(), '--port', '0'], { env: { ...env, PARLEY_TRUST_PROXY: 'yes' } });
    assert.equal(proxy.code, 2);
    assert.equal(proxy.stderr, 'parley serve: PARLEY_TRUST_PROXY takes the number of proxies in front of Parley (1 for one nginx or Caddy), or a comma-separated list of proxy addresses and CIDRs (e.g. 127.0.0.1,10.0.0.0/8; also loopback, linklocal, uniquelocal); `true` means 1; not an address or CIDR: "yes"\n');
    const timeout = await runParley(['serve', agentsFolder(), '--port', '0'], { env: { ...env, PARLEY_HTTP_HEADERS_TIMEOUT_SEC: '0' } });
    assert.equal(timeout.code, 2);
    assert.match(timeout.stderr, /^parley serve: PARLEY_HTTP_HEADERS_TIMEOUT_SEC must be a number of seconds above 0/);
  });

  it('dev serves /healthz for the agents in a folder, and stops on SIGTERM', { timeout: 20_000 }, async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/parley.js'), 'dev', agentsFolder(), '--port', '0'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: 'http://127.0.0.1:9/v1', PARLEY_DATABASE_URL: `file:${join(tempDir(), 'p.db')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const seen = (d: Buffer) => {
        out += d;
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.on('close', () => reject(new Error(`exited early: ${out}`)));
    });
    assert.match(out, /PARLEY_SESSION_SECRET is not set/);
    assert.match(out, /skipping .*broken/);
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true, agents: ['ada'] });
    const exited = new Promise<number | null>((r) => child.on('close', r));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('dev with no keys: prints the dashboard URL, / leads to it, and the example agent loads on the built-in local model', { timeout: 60_000 }, async () => {
    const model = join(tempDir(), 'tiny.gguf');
    writeTinyGguf(model);
    const sha = createHash('sha256').update(readFileSync(model)).digest('hex');
    const files = createServer((_, res) => {
      res.writeHead(200, { 'content-length': statSync(model).size });
      createReadStream(model).pipe(res);
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    const modelUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/m.gguf`;
    const child = spawn(process.execPath, [join(ROOT, 'bin/parley.js'), 'dev', join(ROOT, 'examples'), '--port', '0'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PARLEY_LOCAL_MODEL_URL: modelUrl, PARLEY_LOCAL_MODEL_SHA256: sha, PARLEY_MODELS_DIR: tempDir(), PARLEY_LOCAL_THREADS: '1', PARLEY_LOCAL_CONTEXT: '2048', PARLEY_DATABASE_URL: `file:${join(tempDir(), 'p.db')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const seen = (d: Buffer) => {
          out += d;
          const m = /^parley dev: dashboard at (http:\/\/127\.0\.0\.1:\d+)\/dashboard$/m.exec(out);
          if (m) resolve(m[1]!);
        };
        child.stdout.on('data', seen);
        child.stderr.on('data', seen);
        child.on('close', () => reject(new Error(`exited early: ${out}`)));
      });
      assert.match(out, /sales-booking: model: openai:gpt-4\.1-mini has no key \(OPENAI_API_KEY\) and no Ollama answers; using the built-in local model local:default/);
      assert.match(out, /agent sales-booking loaded from .* \(model local:default \(openai:gpt-4\.1-mini has no key\)/);
      assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true, agents: ['sales-booking'] });
      const root = await fetch(`${url}/`, { redirect: 'manual' });
      assert.equal(root.status, 302);
      assert.equal(root.headers.get('location'), '/dashboard');
    } finally {
      const exited = new Promise((r) => child.on('close', r));
      child.kill('SIGTERM');
      await exited;
      files.close();
    }
  });
});
