import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { generateText, type LanguageModel } from 'ai';
import { MissingSecretError } from '../../src/agent/secrets.ts';
import type { Agent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { agentModels } from '../../src/llm/agent-models.ts';
import { detectOllama, modelChoice, ModelConfigError, parseModelSpec, PROVIDERS, resolveModel } from '../../src/llm/model.ts';

/** A local chat-completions endpoint that records what reached it and answers "pong". */
async function startChatServer() {
  const received: { path: string; headers: IncomingHttpHeaders; body: { model?: string } }[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body || '{}') });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'pong' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function ask(model: LanguageModel): Promise<string> {
  const { text } = await generateText({ model, prompt: 'ping', maxRetries: 0 });
  return text;
}

function configError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ModelConfigError, `expected ModelConfigError, got ${e}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe('parseModelSpec', () => {
  it('splits provider and model at the first colon', () => {
    assert.deepEqual(parseModelSpec('openai:gpt-4.1-mini'), { provider: 'openai', model: 'gpt-4.1-mini' });
    assert.deepEqual(parseModelSpec('ollama:llama3.2:3b'), { provider: 'ollama', model: 'llama3.2:3b' });
  });

  it('says what shape a spec must have when there is no provider or model', () => {
    for (const spec of ['gpt-4.1-mini', ':gpt-4', 'openai:', '']) configError(() => parseModelSpec(spec), /must look like provider:model/, /PARLEY_LLM/, new RegExp(`"${spec}"`));
  });

  it('names the unknown provider and lists the known ones', () => {
    configError(() => parseModelSpec('mistral:large'), /unknown model provider "mistral"/, /openai, anthropic, google, groq, ollama/);
  });
});

describe('modelChoice', () => {
  const brain = { llm: 'openai:gpt-4.1-mini', baseURL: 'https://proxy.example/v1', apiKey: '${BRAIN_KEY}' };

  it('uses the agent file when no override is set', () => {
    assert.deepEqual(modelChoice(brain, {}), { spec: 'openai:gpt-4.1-mini', baseURL: 'https://proxy.example/v1', apiKey: '${BRAIN_KEY}' });
  });

  it('PARLEY_LLM replaces the whole choice, dropping the file’s server and key', () => {
    assert.deepEqual(modelChoice(brain, { PARLEY_LLM: 'ollama:llama3.2' }), { spec: 'ollama:llama3.2', baseURL: undefined, apiKey: undefined });
    assert.deepEqual(modelChoice(brain, { PARLEY_LLM: 'openai-compatible:qwen', PARLEY_LLM_BASE_URL: 'http://gpu:8000/v1', PARLEY_LLM_API_KEY: 'k' }), {
      spec: 'openai-compatible:qwen',
      baseURL: 'http://gpu:8000/v1',
      apiKey: 'k',
    });
  });

  it('PARLEY_LLM_BASE_URL and PARLEY_LLM_API_KEY override the file’s server and key on their own', () => {
    assert.deepEqual(modelChoice(brain, { PARLEY_LLM_BASE_URL: 'http://local:1/v1' }), { spec: 'openai:gpt-4.1-mini', baseURL: 'http://local:1/v1', apiKey: '${BRAIN_KEY}' });
    assert.deepEqual(modelChoice(brain, { PARLEY_LLM_API_KEY: 'sk-env' }), { spec: 'openai:gpt-4.1-mini', baseURL: 'https://proxy.example/v1', apiKey: 'sk-env' });
  });

  it('treats empty overrides as unset', () => {
    assert.deepEqual(modelChoice(brain, { PARLEY_LLM: '', PARLEY_LLM_BASE_URL: '', PARLEY_LLM_API_KEY: '' }), modelChoice(brain, {}));
  });
});

describe('resolveModel', () => {
  const servers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of servers) await close();
  });

  it('names the env var holding each provider’s key when it is missing', () => {
    const cases: [string, string][] = [
      ['openai:gpt-4.1-mini', 'OPENAI_API_KEY'],
      ['anthropic:claude-haiku-4-5', 'ANTHROPIC_API_KEY'],
      ['google:gemini-2.5-flash', 'GOOGLE_GENERATIVE_AI_API_KEY'],
      ['groq:llama-3.3-70b', 'GROQ_API_KEY'],
    ];
    for (const [spec, env] of cases) {
      configError(() => resolveModel({ spec }, {}), new RegExp(`no API key for ${spec}: set ${env} in the environment`), /PARLEY_LLM=ollama:llama3\.2/);
      configError(() => resolveModel({ spec }, { [env]: '' }), new RegExp(env));
    }
  });

  it('builds each keyed provider once its key is set', () => {
    const models: [string, Record<string, string>, string][] = [
      ['openai:gpt-4.1-mini', { OPENAI_API_KEY: 'k' }, 'gpt-4.1-mini'],
      ['anthropic:claude-haiku-4-5', { ANTHROPIC_API_KEY: 'k' }, 'claude-haiku-4-5'],
      ['google:gemini-2.5-flash', { GOOGLE_GENERATIVE_AI_API_KEY: 'k' }, 'gemini-2.5-flash'],
      ['groq:llama-3.3-70b', { GROQ_API_KEY: 'k' }, 'llama-3.3-70b'],
    ];
    for (const [spec, env, id] of models) {
      const model = resolveModel({ spec }, env) as { modelId: string; provider: string };
      assert.equal(model.modelId, id);
      assert.ok(model.provider.startsWith(spec.split(':')[0]), `${spec} built ${model.provider}`);
    }
  });

  it('tells an openai-compatible model with no server to set PARLEY_LLM_BASE_URL', () => {
    configError(() => resolveModel({ spec: 'openai-compatible:qwen' }, {}), /openai-compatible:qwen needs a server URL/, /PARLEY_LLM_BASE_URL/, /brain\.baseURL/);
  });

  it('fills a ${NAME} in brain.baseURL, and names the variable when it is unset (not "Invalid URL")', async () => {
    const server = await startChatServer();
    servers.push(server.close);
    const model = resolveModel({ spec: 'openai-compatible:qwen', baseURL: '${VLLM_BASE_URL}' }, { VLLM_BASE_URL: `${server.base}/v1` });
    assert.equal(await ask(model), 'pong');
    assert.throws(
      () => resolveModel({ spec: 'openai-compatible:qwen', baseURL: '${VLLM_BASE_URL}' }, {}),
      (e: unknown) => e instanceof MissingSecretError && e.variable === 'VLLM_BASE_URL' && /environment variable VLLM_BASE_URL is not set \(needed by the server URL \(baseURL\) of the model openai-compatible:qwen\)/.test(e.message),
    );
  });

  it('an agent whose brain.baseURL variable is unset does not load, and the error names the variable', async () => {
    const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Hi.' }, brain: { llm: 'openai-compatible:qwen', baseURL: '${VLLM_BASE_URL}' } });
    await assert.rejects(agentModels({ name: 'a', config } as Agent, {}), (e: unknown) => e instanceof MissingSecretError && e.variable === 'VLLM_BASE_URL');
  });

  it('resolves ollama with no key at its default local server', () => {
    const model = resolveModel({ spec: 'ollama:llama3.2' }, {}) as { modelId: string; provider: string };
    assert.equal(model.modelId, 'llama3.2');
    assert.equal(model.provider, 'ollama.chat');
    assert.equal(PROVIDERS.ollama.baseURL, 'http://127.0.0.1:11434/v1');
  });

  it('talks to the chosen server with no Authorization header for a keyless provider', async () => {
    const server = await startChatServer();
    servers.push(server.close);
    const model = resolveModel({ spec: 'ollama:llama3.2', baseURL: `${server.base}/v1` }, {});
    assert.equal(await ask(model), 'pong');
    assert.equal(server.received.length, 1);
    assert.equal(server.received[0].path, '/v1/chat/completions');
    assert.equal(server.received[0].body.model, 'llama3.2');
    assert.equal(server.received[0].headers.authorization, undefined);
  });

  it('sends the provider key from the given env (not process.env) to the chosen server', async () => {
    const server = await startChatServer();
    servers.push(server.close);
    const model = resolveModel({ spec: 'openai:gpt-4.1-mini', baseURL: `${server.base}/v1` }, { OPENAI_API_KEY: 'sk-from-env' });
    assert.equal(await ask(model), 'pong');
    assert.equal(server.received[0].path, '/v1/chat/completions');
    assert.equal(server.received[0].headers.authorization, 'Bearer sk-from-env');
    assert.equal(server.received[0].body.model, 'gpt-4.1-mini');
  });

  it('resolves an apiKey of ${NAME} from the env and prefers it over the provider’s variable', async () => {
    const server = await startChatServer();
    servers.push(server.close);
    const model = resolveModel({ spec: 'openai-compatible:qwen', baseURL: `${server.base}/v1`, apiKey: '${MY_KEY}' }, { MY_KEY: 'my-secret', PARLEY_LLM_API_KEY: 'other' });
    assert.equal(await ask(model), 'pong');
    assert.equal(server.received[0].headers.authorization, 'Bearer my-secret');
    assert.equal(server.received[0].body.model, 'qwen');
  });

  it('throws MissingSecretError naming the variable when apiKey refers to an unset one', () => {
    for (const spec of ['openai-compatible:qwen', 'openai:gpt-4.1-mini']) {
      assert.throws(
        () => resolveModel({ spec, baseURL: 'http://127.0.0.1:1/v1', apiKey: '${MY_KEY}' }, { OPENAI_API_KEY: 'k' }),
        (e: unknown) => {
          assert.ok(e instanceof MissingSecretError, `expected MissingSecretError, got ${e}`);
          assert.equal(e.variable, 'MY_KEY');
          assert.match(e.message, new RegExp(`MY_KEY is not set \\(needed by the model ${spec}\\)`));
          return true;
        },
      );
    }
  });

  it('vllm, llamacpp and ollama are openai-compatible with a default server (docs/agent-file.md › Self-hosted models)', async () => {
    assert.deepEqual(
      Object.fromEntries(['vllm', 'llamacpp', 'ollama', 'openai-compatible'].map((p) => [p, PROVIDERS[p]!.baseURL])),
      { vllm: 'http://127.0.0.1:8000/v1', llamacpp: 'http://127.0.0.1:8080/v1', ollama: 'http://127.0.0.1:11434/v1', 'openai-compatible': undefined },
    );
    const server = await startChatServer();
    servers.push(server.close);
    const spec = 'meta-llama/Llama-3.1-70B-Instruct';
    for (const provider of ['vllm', 'llamacpp', 'openai-compatible']) {
      assert.equal(await ask(resolveModel({ spec: `${provider}:${spec}`, baseURL: `${server.base}/v1/` }, {})), 'pong');
      assert.equal(await ask(resolveModel({ spec: `${provider}:${spec}`, baseURL: `${server.base}/v1`, apiKey: '${VLLM_API_KEY}' }, { VLLM_API_KEY: 'token-abc' })), 'pong');
    }
    // the same two requests from each: /v1 + /chat/completions, the served model's name, a key only when given
    const seen = server.received.map((r) => [r.path, r.body.model, r.headers.authorization]);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(seen.slice(i * 2, i * 2 + 2), [['/v1/chat/completions', spec, undefined], ['/v1/chat/completions', spec, 'Bearer token-abc']]);
    }
  });

  it('reports a malformed spec before anything else', () => {
    configError(() => resolveModel({ spec: 'gpt-4' }, {}), /must look like provider:model/);
  });
});

describe('detectOllama', () => {
  it('returns the first model a local Ollama lists', async () => {
    let path = '';
    const server = createServer((req, res) => {
      path = req.url ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ models: [{ name: 'llama3.2:latest' }, { name: 'qwen2.5:7b' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      assert.equal(await detectOllama(new AbortController().signal, `http://127.0.0.1:${port}`), 'llama3.2:latest');
      assert.equal(path, '/api/tags');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('returns undefined when Ollama has no models or answers with an error', async () => {
    let reply = { status: 200, body: '{"models":[]}' };
    const server = createServer((_req, res) => {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.equal(await detectOllama(new AbortController().signal, base), undefined);
      reply = { status: 500, body: '{"models":[{"name":"x"}]}' };
      assert.equal(await detectOllama(new AbortController().signal, base), undefined);
      reply = { status: 200, body: 'not json' };
      assert.equal(await detectOllama(new AbortController().signal, base), undefined);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('returns undefined when nothing listens', async () => {
    // Take a free port, then release it so the connection is refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal(await detectOllama(new AbortController().signal, `http://127.0.0.1:${port}`), undefined);
  });
});
