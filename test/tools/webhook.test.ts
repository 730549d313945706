import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import type { Agent } from '../../src/agent/load.ts';
import { WebhookTool, type WebhookToolConfig } from '../../src/agent/schema.ts';
import { MissingSecretError } from '../../src/agent/secrets.ts';
import type { ConversationEvent } from '../../src/session/events.ts';
import type { ToolContext } from '../../src/tools/context.ts';
import { tracedTool } from '../../src/tools/traced.ts';
import { argumentProblems, webhookTool } from '../../src/tools/webhook.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import { toolContext } from '../helpers/tool-context.ts';

const TOKEN = 'tok-9f8e7d6c5b4a';

function context(env: NodeJS.ProcessEnv = { TOKEN }) {
  return toolContext({ agent: { name: 'test-agent', collect: [] }, turnSeq: () => 3, env });
}

const leadSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    email: { type: 'string' },
    seats: { type: 'integer' },
    plan: { type: 'string', enum: ['basic', 'pro'] },
  },
  required: ['name', 'email'],
  additionalProperties: false,
};

function webhook(overrides: Record<string, unknown>): WebhookToolConfig {
  return WebhookTool.parse({ type: 'webhook', name: 'crm', description: 'Send the lead to the CRM.', parameters: leadSchema, ...overrides });
}

const never = new AbortController().signal;

describe('webhook tool', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('POSTs the arguments as JSON with the resolved secret, and records the request with ${NAME} instead of the secret', async () => {
    const receiver = await startWebhookReceiver(() => ({ status: 200, body: { id: 'lead-42', ok: true } }));
    closers.push(receiver.close);
    const { ctx } = context();
    const spec = webhookTool(ctx, webhook({ url: `${receiver.url}/leads`, headers: { Authorization: 'Bearer ${TOKEN}', 'X-Source': 'parley' } }));
    assert.equal(spec.name, 'crm');

    const outcome = await spec.run({ name: 'Jan Kowalski', email: 'jan@example.com' }, never, 'call-1');

    assert.equal(receiver.received.length, 1);
    const got = receiver.received[0];
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/leads');
    assert.equal(got.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(got.headers['x-source'], 'parley');
    assert.match(String(got.headers['content-type']), /application\/json/);
    assert.equal(got.headers['idempotency-key'], 'conv-1:call-1');
    assert.deepEqual(JSON.parse(got.body), { name: 'Jan Kowalski', email: 'jan@example.com' });

    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.result, { id: 'lead-42', ok: true });
    const request = outcome.request as { method: string; url: string; headers: Record<string, string>; body: unknown };
    assert.equal(request.method, 'POST');
    assert.equal(request.url, `${receiver.url}/leads`);
    assert.equal(request.headers.Authorization, 'Bearer ${TOKEN}');
    assert.equal(request.headers['X-Source'], 'parley');
    assert.deepEqual(request.body, { name: 'Jan Kowalski', email: 'jan@example.com' });
    const response = outcome.response as { status: number; body: unknown; attempts: number };
    assert.equal(response.status, 200);
    assert.equal(response.attempts, 1);
    assert.deepEqual(response.body, { id: 'lead-42', ok: true });
    assert.ok(!JSON.stringify(outcome).includes(TOKEN), 'the secret value leaked into the record');
  });

  it('puts GET arguments into the query string and sends no body', async () => {
    const receiver = await startWebhookReceiver(() => ({ status: 200, body: { status: 'shipped' } }));
    closers.push(receiver.close);
    const { ctx } = context();
    const spec = webhookTool(ctx, webhook({ method: 'GET', url: `${receiver.url}/orders?source=voice`, parameters: { type: 'object', properties: { order: { type: 'string' }, qty: { type: 'number' } } } }));

    const outcome = await spec.run({ order: 'A-17 b', qty: 2 }, never, 'call-2');

    assert.equal(receiver.received.length, 1);
    const got = receiver.received[0];
    assert.equal(got.method, 'GET');
    assert.equal(got.body, '');
    assert.equal(got.headers['content-type'], undefined);
    const query = new URL(got.url, 'http://x').searchParams;
    assert.equal(query.get('source'), 'voice');
    assert.equal(query.get('order'), 'A-17 b');
    assert.equal(query.get('qty'), '2');
    assert.deepEqual(outcome.result, { status: 'shipped' });
    assert.equal((outcome.request as { body: unknown }).body, undefined);
  });

  it('records a secret in the URL query as ${NAME} while the server gets the value', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const { ctx } = context({ KEY: 'k3y9abc' });
    const spec = webhookTool(ctx, webhook({ method: 'GET', url: receiver.url + '/lookup?key=${KEY}', parameters: { type: 'object', properties: { q: { type: 'string' } } } }));

    const outcome = await spec.run({ q: 'x' }, never, 'call-3');

    assert.equal(new URL(receiver.received[0].url, 'http://x').searchParams.get('key'), 'k3y9abc');
    assert.equal((outcome.request as { url: string }).url, receiver.url + '/lookup?key=${KEY}&q=x');
    assert.ok(!JSON.stringify(outcome).includes('k3y9abc'), 'the key leaked into the record');
  });

  it('keeps a URL secret out of the record however the URL encodes it', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    // Adding arguments re-encodes the whole query, so "~", "+", "/", "=" and spaces change form.
    for (const key of ['k3y 9/ab==', 'ab+c/d==', 'abc~def.ghi', 'AbC-_.!*()']) {
      for (const args of [{ q: 'x y' }, {}]) {
        const { ctx } = context({ KEY: key });
        const spec = webhookTool(ctx, webhook({ method: 'GET', url: receiver.url + '/lookup?key=${KEY}&v=1', parameters: { type: 'object', properties: { q: { type: 'string' } } } }));
        const outcome = await spec.run(args, never, 'call-3b');
        const url = (outcome.request as { url: string }).url;
        const sent = new URL(receiver.received.at(-1)!.url, 'http://x');
        assert.equal(sent.searchParams.get('v'), '1');
        assert.ok(sent.searchParams.get('key'), `the server got no key for ${JSON.stringify(key)}`);
        assert.equal(new URL(url).searchParams.get('key'), '${KEY}', `recorded ${url} for key ${JSON.stringify(key)}`);
        const record = JSON.stringify(outcome);
        for (const form of [key, encodeURIComponent(key), new URLSearchParams({ k: key }).toString().slice(2), new URLSearchParams({ k: sent.searchParams.get('key')! }).toString().slice(2)]) {
          assert.ok(!record.includes(form), `the key ${JSON.stringify(key)} leaked as ${form} in ${url}`);
        }
      }
    }
  });

  it('records a URL that is itself a secret as ${NAME}', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const hook = `${receiver.url}/hooks/abc123secret`;
    const { ctx } = context({ CRM_WEBHOOK_URL: hook });
    const spec = webhookTool(ctx, webhook({ url: '${CRM_WEBHOOK_URL}' }));

    const outcome = await spec.run({ name: 'Ana', email: 'ana@example.com' }, never, 'call-3c');

    assert.equal(receiver.received[0].url, '/hooks/abc123secret');
    assert.equal((outcome.request as { url: string }).url, '${CRM_WEBHOOK_URL}');
    assert.ok(!JSON.stringify(outcome).includes('abc123secret'));
  });

  it('retries a 500 once with the same idempotency key and records two attempts', async () => {
    const receiver = await startWebhookReceiver((_r, n) => (n === 1 ? { status: 500, body: { error: 'boom' } } : { status: 200, body: { ok: true } }));
    closers.push(receiver.close);
    const { ctx } = context();
    const spec = webhookTool(ctx, webhook({ url: `${receiver.url}/leads`, retries: 1 }));

    const outcome = await spec.run({ name: 'Ana', email: 'ana@example.com' }, never, 'call-4');

    assert.equal(receiver.received.length, 2);
    const [first, second] = receiver.received.map((r) => r.headers['idempotency-key']);
    assert.equal(first, 'conv-1:call-4');
    assert.equal(second, first);
    assert.equal(receiver.received[1].body, receiver.received[0].body);
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.result, { ok: true });
    assert.equal((outcome.response as { attempts: number; status: number }).attempts, 2);
    assert.equal((outcome.response as { attempts: number; status: number }).status, 200);
  });

  it('gives up after the retries and tells the model the endpoint failed', async () => {
    const receiver = await startWebhookReceiver(() => ({ status: 500, body: { error: 'database down' } }));
    closers.push(receiver.close);
    const { ctx } = context();
    const spec = webhookTool(ctx, webhook({ url: `${receiver.url}/leads`, retries: 1 }));

    const outcome = await spec.run({ name: 'Ana', email: 'ana@example.com' }, never, 'call-5');

    assert.equal(receiver.received.length, 2);
    assert.equal(outcome.error, 'HTTP 500');
    assert.deepEqual(outcome.result, { error: 'the endpoint answered HTTP 500', body: { error: 'database down' } });
    const response = outcome.response as { status: number; attempts: number; body: unknown };
    assert.equal(response.status, 500);
    assert.equal(response.attempts, 2);
    assert.deepEqual(response.body, { error: 'database down' });
  });

  it('does not retry a 4xx other than 429', async () => {
    const receiver = await startWebhookReceiver(() => ({ status: 404, body: 'no such lead' }));
    closers.push(receiver.close);
    const { ctx } = context();
    const spec = webhookTool(ctx, webhook({ url: `${receiver.url}/leads`, retries: 2 }));

    const outcome = await spec.run({ name: 'Ana', email: 'ana@example.com' }, never, 'call-6');

    assert.equal(receiver.received.length, 1);
    assert.equal(outcome.error, 'HTTP 404');
    assert.equal((outcome.response as { attempts: number }).attempts, 1);
  });

  it('reports an endpoint that never answers as a timeout', async () => {
    const server: Server = createServer(() => {
      /* never answers */
    });
    let requests = 0;
    server.on('request', () => requests++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const { port } = server.address() as AddressInfo;
    const { ctx } = context();
    const spec = webhookTool(ctx, webhook({ url: `http://127.0.0.1:${port}/slow`, timeoutMs: 200, retries: 0 }));

    const started = Date.now();
    const outcome = await spec.run({ name: 'Ana', email: 'ana@example.com' }, never, 'call-7');

    assert.ok(Date.now() - started < 5000, 'the timeout did not stop the request');
    assert.equal(requests, 1);
    assert.match(outcome.error ?? '', /no answer within 200 ms/);
    assert.match(JSON.stringify(outcome.result), /could not be reached \(no answer within 200 ms\)/);
    assert.deepEqual(outcome.response, { error: 'no answer within 200 ms', attempts: 1 });
  });

  it('refuses invalid arguments before sending anything', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const { ctx } = context();
    const spec = webhookTool(ctx, webhook({ url: `${receiver.url}/leads` }));

    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'Ana' }, /missing "email"/],
      [{ name: 'Ana', email: 42 }, /"email" should be string, got number/],
      [{ name: 'Ana', email: 'a@b.co', seats: '3' }, /"seats" should be integer, got string/],
      [{ name: 'Ana', email: 'a@b.co', admin: true }, /unexpected "admin"/],
      [{ name: 'Ana', email: 'a@b.co', plan: 'gold' }, /"plan" must be one of basic, pro/],
    ];
    for (const [args, problem] of cases) {
      const outcome = await spec.run(args, never, 'call-8');
      assert.match(outcome.error ?? '', /^invalid arguments: /);
      assert.match(outcome.error ?? '', problem);
      assert.match((outcome.result as { error: string }).error, problem);
      assert.equal(outcome.request, undefined);
    }
    assert.equal(receiver.received.length, 0);
  });

  it('throws MissingSecretError naming the variable when a secret is not set', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const { ctx } = context({});
    const spec = webhookTool(ctx, webhook({ url: `${receiver.url}/leads`, headers: { Authorization: 'Bearer ${TOKEN}' } }));

    await assert.rejects(spec.run({ name: 'Ana', email: 'ana@example.com' }, never, 'call-9'), (e: unknown) => {
      assert.ok(e instanceof MissingSecretError);
      assert.equal(e.variable, 'TOKEN');
      assert.match(e.message, /TOKEN is not set \(needed by tools\.crm\.headers\.Authorization\)/);
      return true;
    });
    assert.equal(receiver.received.length, 0);
  });

  it('through tracedTool, records a missing secret as a failed call and tells the model to apologise', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const { ctx, events } = context({});
    const traced = tracedTool(ctx, webhookTool(ctx, webhook({ url: `${receiver.url}/leads`, headers: { Authorization: 'Bearer ${TOKEN}' } })));
    assert.ok(traced.execute);

    const input = { name: 'Ana', email: 'ana@example.com' };
    const result = (await traced.execute(input, { toolCallId: 'c1', messages: [], context: {} })) as { error: string };

    assert.match(result.error, /^crm failed: .*TOKEN.*Apologise briefly/);
    assert.equal(receiver.received.length, 0);
    assert.equal(events.length, 1);
    const event = events[0];
    assert.equal(event.type, 'tool.call');
    if (event.type !== 'tool.call') return;
    assert.equal(event.call.id, 'c1');
    assert.equal(event.call.name, 'crm');
    assert.equal(event.call.turnSeq, 3);
    assert.deepEqual(event.call.input, input);
    assert.match(event.call.error ?? '', /environment variable TOKEN is not set/);
    assert.deepEqual(event.call.result, result);
    assert.equal(event.call.request, undefined);
    assert.equal(event.call.durationMs, 0);
  });

  it('through tracedTool, records a successful call with its request and response', async () => {
    const receiver = await startWebhookReceiver(() => ({ status: 201, body: { id: 7 } }));
    closers.push(receiver.close);
    const { ctx, events } = context();
    const traced = tracedTool(ctx, webhookTool(ctx, webhook({ url: `${receiver.url}/leads`, headers: { Authorization: 'Bearer ${TOKEN}' } })));

    const result = await traced.execute!({ name: 'Ana', email: 'ana@example.com' }, { toolCallId: 'c2', messages: [], context: {} });

    assert.deepEqual(result, { id: 7 });
    const event = events[0];
    assert.equal(event?.type, 'tool.call');
    if (event?.type !== 'tool.call') return;
    assert.equal(event.call.error, null);
    assert.equal((event.call.request as { headers: Record<string, string> }).headers.Authorization, 'Bearer ${TOKEN}');
    assert.equal((event.call.response as { status: number }).status, 201);
    assert.ok(!JSON.stringify(event).includes(TOKEN));
  });
});

describe('argumentProblems', () => {
  it('accepts arguments that fit the schema', () => {
    assert.deepEqual(argumentProblems(leadSchema, { name: 'Ana', email: 'a@b.co', seats: 3, plan: 'pro' }), []);
  });

  it('refuses anything that is not an object', () => {
    for (const args of [null, undefined, 'x', 3, ['a']]) assert.deepEqual(argumentProblems(leadSchema, args), ['arguments must be an object']);
  });

  it('lists every problem at once', () => {
    assert.deepEqual(argumentProblems(leadSchema, { email: null, seats: [1], plan: 'gold', extra: 1 }), [
      'missing "name"',
      '"email" should be string, got null',
      '"seats" should be integer, got array',
      '"plan" must be one of basic, pro',
      'unexpected "extra"',
    ]);
  });

  it('allows unknown keys unless additionalProperties is false', () => {
    assert.deepEqual(argumentProblems({ type: 'object', properties: {} }, { anything: 1 }), []);
    assert.deepEqual(argumentProblems({ type: 'object', properties: {}, additionalProperties: false }, { anything: 1 }), ['unexpected "anything"']);
  });
});
