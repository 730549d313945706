import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AgentFile } from '../../src/agent/schema.ts';
import { serverUrlWarnings } from '../../src/cli/agent-checks.ts';
import { runParley, tempDir } from '../helpers/cli.ts';

// support LOG entry 3: nothing said whether brain.baseURL must end in /v1; without it every
// request of a vLLM, llama.cpp or Ollama model goes to …/chat/completions and gets a 404.

const config = (brain: Record<string, string>) => AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'hi' }, brain });

describe('parley check: a self-hosted server URL without /v1', () => {
  it('warns for vllm, llamacpp and ollama, with the URL that would be asked', () => {
    for (const provider of ['vllm', 'llamacpp', 'ollama']) {
      const [w, ...rest] = serverUrlWarnings(config({ llm: `${provider}:m`, baseURL: 'http://gpu-box:8000/' }), {});
      assert.deepEqual(rest, []);
      assert.match(w!, new RegExp(`^brain\\.baseURL: http://gpu-box:8000/ does not end in /v1, so ${provider}:m would be asked at http://gpu-box:8000/chat/completions; ${provider} answers at /v1/chat/completions: add /v1`));
    }
  });

  it('reads ${NAME} and PARLEY_LLM_BASE_URL, and is quiet when it cannot tell or the URL is right', () => {
    assert.match(serverUrlWarnings(config({ llm: 'vllm:m', baseURL: '${VLLM_URL}' }), { VLLM_URL: 'http://h:8000' })[0]!, /http:\/\/h:8000 does not end in \/v1/);
    assert.match(serverUrlWarnings(config({ llm: 'vllm:m' }), { PARLEY_LLM_BASE_URL: 'http://h:8000/api' })[0]!, /^PARLEY_LLM_BASE_URL: http:\/\/h:8000\/api does not end/);
    assert.deepEqual(serverUrlWarnings(config({ llm: 'vllm:m', baseURL: '${VLLM_URL}' }), {}), [], 'an unset variable is reported elsewhere');
    for (const baseURL of ['http://h:8000/v1', 'http://h:8000/v1/', 'https://proxy.example/vllm/v1']) assert.deepEqual(serverUrlWarnings(config({ llm: 'vllm:m', baseURL }), {}), [], baseURL);
    assert.deepEqual(serverUrlWarnings(config({ llm: 'vllm:m' }), {}), [], 'the default server has /v1');
    assert.deepEqual(serverUrlWarnings(config({ llm: 'openai-compatible:m', baseURL: 'http://litellm:4000' }), {}), [], 'other OpenAI-compatible servers may serve at the root');
  });

  it('prints the warning from parley check, which still passes', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'knowledge'));
    writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: p, firstMessage: hi }\nbrain: { llm: "vllm:meta-llama/Llama-3.1-70B-Instruct", baseURL: "http://127.0.0.1:8000" }\n');
    const r = await runParley(['check', dir, '--offline'], { env: {} });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /warning: brain\.baseURL: http:\/\/127\.0\.0\.1:8000 does not end in \/v1/);
  });
});
