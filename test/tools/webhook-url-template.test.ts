import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { AgentLoadError, formatProblem } from '../../src/agent/problems.ts';
import { WebhookTool, type WebhookToolConfig } from '../../src/agent/schema.ts';
import { webhookTool } from '../../src/tools/webhook.ts';
import { tempDir } from '../helpers/cli.ts';
import { toolContext } from '../helpers/tool-context.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

const never = new AbortController().signal;
const accountSchema = { type: 'object', properties: { email: { type: 'string' }, detail: { type: 'string' } }, required: ['email'] };

function tool(overrides: Record<string, unknown>): WebhookToolConfig {
  return WebhookTool.parse({ type: 'webhook', name: 'account', description: 'Look up an account.', method: 'GET', parameters: accountSchema, ...overrides });
}

function context(env: NodeJS.ProcessEnv = {}) {
  return toolContext({ agent: { name: 'test-agent', collect: [] }, turnSeq: () => 1, env }).ctx;
}

async function loadProblems(yamlTool: string[]): Promise<string[]> {
  const dir = tempDir();
  writeFileSync(join(dir, 'agent.yaml'), ['persona: { prompt: p, firstMessage: hi }', 'tools:', ...yamlTool, ''].join('\n'));
  try {
    await loadAgent(dir);
  } catch (e) {
    assert.ok(e instanceof AgentLoadError, `expected AgentLoadError, got ${e}`);
    return e.problems.map((p) => formatProblem({ ...p, file: 'agent.yaml' }));
  }
  return assert.fail('the agent loaded but should not have');
}

describe('webhook URL templates', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('fills {email} in the path, encoded, and keeps it out of the query', async () => {
    const receiver = await startWebhookReceiver(() => ({ status: 200, body: { plan: 'pro' } }));
    closers.push(receiver.close);
    const spec = webhookTool(context(), tool({ url: `${receiver.url}/v1/accounts/{email}` }));
    const outcome = await spec.run({ email: 'jan+1@example.com', detail: 'full' }, never, 'c1');
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0].url, '/v1/accounts/jan%2B1%40example.com?detail=full');
    assert.equal((outcome.request as { url: string }).url, `${receiver.url}/v1/accounts/jan%2B1%40example.com?detail=full`);
    assert.deepEqual(outcome.result, { plan: 'pro' });
  });

  it('removes the path value from a POST body too', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const spec = webhookTool(context(), tool({ method: 'POST', url: `${receiver.url}/v1/accounts/{email}/notes` }));
    await spec.run({ email: 'a@b.c', detail: 'called back' }, never, 'c1');
    assert.equal(receiver.received[0].url, '/v1/accounts/a%40b.c/notes');
    assert.deepEqual(JSON.parse(receiver.received[0].body), { detail: 'called back' });
  });

  for (const hostile of ['../admin', 'a/b?x=1#', '../../etc/passwd', '%2e%2e', 'x@evil.example', '?admin=1', '#frag', 'a\\b', '\u0000x']) {
    it(`keeps the hostile value ${JSON.stringify(hostile)} inside one path segment`, async () => {
      const receiver = await startWebhookReceiver();
      closers.push(receiver.close);
      const spec = webhookTool(context(), tool({ url: `${receiver.url}/v1/accounts/{email}?fixed=1` }));
      await spec.run({ email: hostile }, never, 'c1');
      assert.equal(receiver.received.length, 1);
      const got = new URL(receiver.received[0].url, receiver.url);
      assert.equal(got.host, new URL(receiver.url).host);
      const segments = got.pathname.split('/');
      assert.deepEqual(segments.slice(0, 4), ['', 'v1', 'accounts', segments[3]]);
      assert.equal(segments.length, 4, `path ${got.pathname} has an extra segment`);
      assert.equal(decodeURIComponent(segments[3]), hostile);
      assert.deepEqual([...got.searchParams], [['fixed', '1']]);
      assert.equal(got.hash, '');
    });
  }

  for (const bad of ['..', '.', '', ' .. ']) {
    it(`refuses ${JSON.stringify(bad)} as a path value without sending anything`, async () => {
      const receiver = await startWebhookReceiver();
      closers.push(receiver.close);
      const spec = webhookTool(context(), tool({ url: `${receiver.url}/v1/accounts/{email}` }));
      const outcome = await spec.run({ email: bad }, never, 'c1');
      assert.equal(receiver.received.length, 0);
      assert.match(String(outcome.error), /"email" cannot be empty, "\." or "\.\."/);
    });
  }

  it('refuses a missing or object path value, naming it', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const spec = webhookTool(context(), tool({ url: `${receiver.url}/v1/accounts/{email}`, parameters: { type: 'object', properties: { email: {} } } }));
    assert.match(String((await spec.run({}, never, 'c1')).error), /missing "email" \(it is part of the URL\)/);
    assert.match(String((await spec.run({ email: { a: 1 } }, never, 'c2')).error), /"email" must be a string or number/);
    assert.equal(receiver.received.length, 0);
  });

  it('fills a number and a const property', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const parameters = { type: 'object', properties: { id: { type: 'integer' }, version: { const: 'v2' } } };
    const spec = webhookTool(context(), tool({ url: `${receiver.url}/{version}/orders/{id}`, parameters }));
    await spec.run({ id: 42, version: 'v9' }, never, 'c1');
    assert.equal(receiver.received[0].url, '/v2/orders/42');
  });

  it('masks a secret base URL in the record while the path is filled', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const spec = webhookTool(context({ LEDGER_URL: `${receiver.url}/ledger-secret-base` }), tool({ url: '${LEDGER_URL}/accounts/{email}' }));
    const outcome = await spec.run({ email: 'a@b.c' }, never, 'c1');
    assert.equal(receiver.received[0].url, '/ledger-secret-base/accounts/a%40b.c');
    assert.equal((outcome.request as { url: string }).url, '${LEDGER_URL}/accounts/a%40b.c');
  });

  it('a value cannot smuggle in a ${SECRET} reference', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const spec = webhookTool(context({ TOKEN: 'tok-secret-value' }), tool({ url: `${receiver.url}/v1/accounts/{email}` }));
    await spec.run({ email: '${TOKEN}' }, never, 'c1');
    assert.equal(receiver.received[0].url, '/v1/accounts/%24%7BTOKEN%7D');
  });

  it('refuses at load a placeholder that is not a parameter, pinned to the url line', async () => {
    const problems = await loadProblems(['  - type: webhook', '    name: account', '    description: d', '    method: GET', '    url: https://api.ledgerly.internal/v1/accounts/{emial}', '    parameters:', '      type: object', '      properties:', '        email: { type: string }']);
    assert.deepEqual(problems, ['agent.yaml:7:10 tools.0.url: {emial} in the URL is not a property of parameters; add "emial" to parameters.properties']);
  });

  for (const url of ['https://{tenant}.example.com/v1/x', 'https://api.example.com{path}', 'https://user:{email}@api.example.com/', '${BASE}{email}', '${BASE}${MORE}/{email}']) {
    it(`refuses a placeholder in the host part: ${url}`, () => {
      const r = WebhookTool.safeParse({ type: 'webhook', name: 'a', description: 'd', url, parameters: { type: 'object', properties: { tenant: {}, path: {}, email: {} } } });
      assert.equal(r.success, false);
      assert.match(r.error!.issues.map((i) => i.message).join('\n'), /is in the host part of the URL/);
    });
  }

  it('accepts a placeholder after a secret base URL and in the query', () => {
    const parameters = { type: 'object', properties: { email: {}, id: {} } };
    assert.ok(WebhookTool.safeParse({ type: 'webhook', name: 'a', description: 'd', url: '${BASE}/x/{email}', parameters }).success);
    assert.ok(WebhookTool.safeParse({ type: 'webhook', name: 'a', description: 'd', url: 'https://h.example/x?id={id}', parameters }).success);
  });
});
