import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeTinyGguf } from '../../src/testing/tiny-gguf.ts';
import { runParley, tempDir } from '../helpers/cli.ts';

// A newcomer with no keys and no Ollama: the demo fetches the built-in model and talks, or says in
// one line that there is no network and what to do. The "download" is a tiny GGUF served here.

describe('no keys: the built-in local model', () => {
  const model = join(tempDir(), 'tiny.gguf');
  writeTinyGguf(model);
  const sha = createHash('sha256').update(readFileSync(model)).digest('hex');
  let server: Server;
  let url = '';
  let requests = 0;
  before(async () => {
    server = createServer((req, res) => {
      requests++;
      res.writeHead(200, { 'content-length': statSync(model).size });
      createReadStream(model).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/qwen.gguf`;
  });
  after(() => server.close());

  const fresh = () => ({ PARLEY_DATABASE_URL: `file:${join(tempDir(), 'p.db')}`, PARLEY_MODELS_DIR: tempDir(), PARLEY_LOCAL_THREADS: '1', PARLEY_LOCAL_CONTEXT: '2048' });

  it('offline: one line saying there is no network, what to run where there is one, and which key would do instead', async () => {
    const r = await runParley(['chat', 'examples/sales-booking'], { env: fresh(), input: 'hi\n' });
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0]!, /^model: openai:gpt-4\.1-mini has no key \(OPENAI_API_KEY\) and no Ollama answers; using the built-in local model local:default/);
    assert.match(lines.at(-1)!, /^parley: could not download local:default \(Qwen2\.5-1\.5B-Instruct Q4_K_M, 1\.1 GB\) from 127\.0\.0\.1:65535: no network \(127\.0\.0\.1:65535: connection refused, ECONNREFUSED\); run `parley models pull local:default` where there is one, or set OPENAI_API_KEY$/);
  });

  it('a mirror serving another file than the pinned one is refused, and its bytes dropped', async () => {
    const env = { ...fresh(), PARLEY_LOCAL_MODEL_URL: url };
    const r = await runParley(['chat', 'examples/sales-booking'], { env, input: 'hello\n' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /parley: could not download local:default .*: the server's file is \d+ bytes, expected 1117320736$/m);
    assert.ok(!existsSync(join(env.PARLEY_MODELS_DIR, 'llm', 'qwen2.5-1.5b-instruct-q4_k_m.gguf.part')));
  });

  it('online: downloads it once with progress, checks it, then the conversation runs on it', async () => {
    const env = { ...fresh(), PARLEY_LOCAL_MODEL_URL: url, PARLEY_LOCAL_MODEL_SHA256: sha };
    const r = await runParley(['chat', 'examples/sales-booking'], { env, input: 'hello\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /local model: 100% 0\.3 MB of 0\.3 MB/);
    const before = requests;
    const again = await runParley(['chat', 'examples/sales-booking'], { env, input: 'hello\n' });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(requests, before, 'the second run downloads nothing');
    assert.doesNotMatch(again.stderr, /local model: /);
  });

  it('brain.llm: local:<file>.gguf runs a model file as written, and parley models pull local:default fetches the default', async () => {
    const env = { ...fresh(), PARLEY_LOCAL_MODEL_URL: url, PARLEY_LOCAL_MODEL_SHA256: sha, PARLEY_LLM: `local:${model}` };
    const r = await runParley(['chat', 'examples/sales-booking'], { env, input: 'hello\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /has no key/);
    const pull = await runParley(['models', 'pull', 'local:default'], { env });
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /local:default is ready in .*qwen2\.5-1\.5b-instruct-q4_k_m\.gguf/);
    const list = await runParley(['models', 'list'], { env });
    assert.match(list.stdout, /✓ local:default/);
  });
});
