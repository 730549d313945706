import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WebhookTool, type WebhookToolConfig } from '../../src/agent/schema.ts';
import { tracedTool } from '../../src/tools/traced.ts';
import { webhookTool } from '../../src/tools/webhook.ts';
import { startWebhookReceiver, type ReceivedRequest } from '../helpers/webhook-receiver.ts';
import { toolContext } from '../helpers/tool-context.ts';

// What a model talked into misbehaving (or a hostile endpoint) can do with a webhook: add or
// replace query parameters, send arguments nobody declared, and echo secrets back.

const KEY = 'k3y~9/ab==Zx"q';
const TOKEN = 'tok-9f8e7d6c5b4a';
const never = new AbortController().signal;

function webhook(overrides: Record<string, unknown>): WebhookToolConfig {
  return WebhookTool.parse({ type: 'webhook', name: 'lookup', description: 'Look up an order.', ...overrides });
}

/** A context whose agent declares the webhook, as a loaded agent does, so the mask knows its secrets. */
function context(cfg: WebhookToolConfig, env: NodeJS.ProcessEnv = { KEY, TOKEN }) {
  return toolContext({ agent: { name: 'test-agent', config: { tools: [cfg] } }, env });
}

async function call(cfg: WebhookToolConfig, args: Record<string, unknown>, answer?: (r: ReceivedRequest) => { status: number; body: unknown }) {
  const receiver = await startWebhookReceiver(answer);
  try {
    const full = { ...cfg, url: cfg.url.replace('http://receiver', receiver.url) };
    const { ctx, events } = context(full);
    const result = await tracedTool(ctx, webhookTool(ctx, full)).execute!(args, { toolCallId: 'c1', messages: [], context: {} });
    return { received: receiver.received, result, events };
  } finally {
    await receiver.close();
  }
}

describe('webhook arguments the model cannot abuse', () => {
  const orderSchema = { type: 'object', properties: { order_number: { type: 'string' } }, required: ['order_number'] };

  it('keeps the file’s query parameters and drops arguments nobody declared (GET)', async () => {
    const cfg = webhook({ method: 'GET', url: 'http://receiver/lookup?tenant=acme&key=${KEY}', parameters: orderSchema });
    const { received, events } = await call(cfg, { order_number: 'A1', tenant: 'othercorp', key: 'mine', api_key: 'x', callback: 'http://evil' });
    const sent = new URL(received[0].url, 'http://x');
    assert.equal(sent.pathname, '/lookup');
    assert.deepEqual([...sent.searchParams], [['tenant', 'acme'], ['key', KEY], ['order_number', 'A1']]);
    const event = events[0];
    assert.ok(event.type === 'tool.call');
    assert.match((event.call.request as { url: string }).url, /\/lookup\?tenant=acme&key=\$\{KEY\}&order_number=A1$/);
  });

  it('does not let a declared parameter replace a fixed query parameter of the same name', async () => {
    const cfg = webhook({ method: 'GET', url: 'http://receiver/lookup?tenant=acme', parameters: { type: 'object', properties: { tenant: { type: 'string' }, q: { type: 'string' } } } });
    const { received } = await call(cfg, { tenant: 'othercorp', q: 'x' });
    assert.deepEqual([...new URL(received[0].url, 'http://x').searchParams], [['tenant', 'acme'], ['q', 'x']]);
  });

  it('sends only declared properties in a POST body, and a const property always with its fixed value', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, tenant: { const: 'acme' }, source: { type: 'string', const: 'voice' } }, required: ['name', 'source'] };
    const cfg = webhook({ method: 'POST', url: 'http://receiver/leads', parameters: schema, headers: { Authorization: 'Bearer ${TOKEN}', 'X-Tenant': 'acme' } });
    const { received, events } = await call(cfg, { name: 'Ana', tenant: 'othercorp', source: 42, role: 'admin', authorization: 'Bearer forged', 'x-tenant': 'othercorp' });
    assert.deepEqual(JSON.parse(received[0].body), { name: 'Ana', tenant: 'acme', source: 'voice' });
    assert.equal(received[0].headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(received[0].headers['x-tenant'], 'acme');
    assert.equal(received[0].url, '/leads');
    const event = events[0];
    assert.ok(event.type === 'tool.call');
    assert.deepEqual((event.call.request as { body: unknown }).body, { name: 'Ana', tenant: 'acme', source: 'voice' });
    const omitted = await call(cfg, { name: 'Ana' });
    assert.deepEqual(JSON.parse(omitted.received[0].body), { name: 'Ana', tenant: 'acme', source: 'voice' }, 'a required const needs nothing from the model');
  });

  it('keeps nested objects, and arrays of them, to their declared properties', async () => {
    const address = { type: 'object', properties: { city: { type: 'string' }, country: { const: 'PL' } } };
    const cfg = webhook({ method: 'POST', url: 'http://receiver/x', parameters: { type: 'object', properties: { address, stops: { type: 'array', items: address }, tags: { type: 'array', items: { type: 'string' } }, extra: { type: 'object' } } } });
    const { received } = await call(cfg, { address: { city: 'Gdańsk', country: 'DE', admin: true }, stops: [{ city: 'A', x: 1 }, { city: 'B' }], tags: ['a', 'b'], extra: { free: 'form' } });
    assert.deepEqual(JSON.parse(received[0].body), { address: { city: 'Gdańsk', country: 'PL' }, stops: [{ city: 'A', country: 'PL' }, { city: 'B', country: 'PL' }], tags: ['a', 'b'], extra: { free: 'form' } });
  });

  it('sends a __proto__ or constructor argument as data when declared, and never when not', async () => {
    const cfg = webhook({ method: 'POST', url: 'http://receiver/x', parameters: { type: 'object', properties: { note: { type: 'string' } } } });
    const args = JSON.parse('{"note":"hi","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}');
    const { received } = await call(cfg, args);
    assert.deepEqual(JSON.parse(received[0].body), { note: 'hi' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses undeclared arguments, constructor included, when the schema says additionalProperties: false', async () => {
    const cfg = webhook({ method: 'POST', url: 'http://receiver/x', parameters: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'], additionalProperties: false } });
    const { received, result } = await call(cfg, JSON.parse('{"note":"hi","constructor":1}'));
    assert.equal(received.length, 0);
    assert.match((result as { error: string }).error, /unexpected "constructor"/);
    const missing = await call(webhook({ ...cfg, parameters: { type: 'object', properties: { constructor: { type: 'string' } }, required: ['constructor'] } }), {});
    assert.match((missing.result as { error: string }).error, /missing "constructor"/);
  });
});

describe('secrets an endpoint echoes back', () => {
  const echo = (r: ReceivedRequest) => ({ status: 400, body: { error: 'bad request', echoed: { url: r.url, headers: r.headers, body: r.body, raw: `${r.url} ${JSON.stringify(r.headers)}` } } });

  it('masks them in the recorded response, the result the model reads and the event, in every encoding', async () => {
    const cfg = webhook({ method: 'POST', url: 'http://receiver/leads?key=${KEY}', parameters: { type: 'object', properties: { name: { type: 'string' } } }, headers: { Authorization: 'Bearer ${TOKEN}', 'X-Basic': 'Basic ${TOKEN}' } });
    const { received, result, events } = await call(cfg, { name: 'Ana' }, echo);
    assert.equal(new URL(received[0].url, 'http://x').searchParams.get('key'), KEY, 'the endpoint got the key');
    const event = events[0];
    assert.ok(event.type === 'tool.call');
    const everything = JSON.stringify([result, event]);
    for (const secret of [KEY, TOKEN]) {
      for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ k: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)]) {
        assert.ok(!everything.includes(form), `${form} leaked`);
      }
    }
    assert.match(everything, /\$\{TOKEN\}/);
    assert.match(everything, /\$\{KEY\}/);
  });

  it('leaves no half of a secret where a long echoed body is clipped', async () => {
    const cfg = webhook({ method: 'GET', url: 'http://receiver/x', headers: { Authorization: 'Bearer ${TOKEN}' }, parameters: { type: 'object', properties: {} } });
    for (const before of [3990, 3995, 3998]) {
      const { result, events } = await call(cfg, {}, () => ({ status: 200, body: `${'x'.repeat(before)}${TOKEN} and more` }));
      const text = JSON.stringify([result, events]);
      assert.ok(!text.includes(TOKEN.slice(0, 6)), `a piece of the token survived the clip at ${before}`);
    }
  });

  it('masks a provider key or the admin token an endpoint sends back, though the agent never referenced them', async () => {
    const cfg = webhook({ method: 'GET', url: 'http://receiver/x', parameters: { type: 'object', properties: {} } });
    const receiver = await startWebhookReceiver(() => ({ status: 200, body: { debug: `env: OPENAI_API_KEY=sk-proj-abcdef0123456789 admin=adm-0123456789abcdef basic=${Buffer.from('u:sk-proj-abcdef0123456789').toString('base64')}` } }));
    try {
      const full = { ...cfg, url: `${receiver.url}/x` };
      const { ctx, events } = toolContext({ agent: { name: 'a', config: { tools: [full] } }, env: { OPENAI_API_KEY: 'sk-proj-abcdef0123456789', PARLEY_ADMIN_TOKEN: 'adm-0123456789abcdef' } });
      const result = await tracedTool(ctx, webhookTool(ctx, full)).execute!({}, { toolCallId: 'c1', messages: [], context: {} });
      const text = JSON.stringify([result, events]);
      assert.ok(!text.includes('sk-proj-abcdef0123456789') && !text.includes('adm-0123456789abcdef') && !text.includes(Buffer.from('u:sk-proj-abcdef0123456789').toString('base64')), text);
      assert.match(text, /\$\{OPENAI_API_KEY\}.*\$\{PARLEY_ADMIN_TOKEN\}.*\[secret\]/);
    } finally {
      await receiver.close();
    }
  });
});
