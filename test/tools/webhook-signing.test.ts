import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { AgentLoadError, formatProblem } from '../../src/agent/problems.ts';
import { WebhookTool, type WebhookToolConfig } from '../../src/agent/schema.ts';
import type { ConversationEvent } from '../../src/session/events.ts';
import { tracedTool } from '../../src/tools/traced.ts';
import { webhookTool } from '../../src/tools/webhook.ts';
import { tempDir } from '../helpers/cli.ts';
import { toolContext } from '../helpers/tool-context.ts';
import { startWebhookReceiver, type ReceivedRequest } from '../helpers/webhook-receiver.ts';

const never = new AbortController().signal;
const KEY_BYTES = Buffer.from('0123456789abcdef0123456789abcdef');
const WHSEC = `whsec_${KEY_BYTES.toString('base64')}`;
const RAW = 'make-com-shared-secret-7731';

function tool(overrides: Record<string, unknown>): WebhookToolConfig {
  const parameters = { type: 'object', properties: { email: { type: 'string' } } };
  return WebhookTool.parse({ type: 'webhook', name: 'crm', description: 'Send the lead.', parameters, signingSecret: '${WEBHOOK_SIGNING_SECRET}', ...overrides });
}

function context(secret: string | undefined) {
  return toolContext({ agent: { name: 'test-agent', collect: [] }, turnSeq: () => 1, env: secret === undefined ? {} : { WEBHOOK_SIGNING_SECRET: secret }, now: () => new Date('2026-12-06T09:00:00.000Z') });
}

// Written from the Standard Webhooks spec, not with Parley's signer.
function verify(r: ReceivedRequest, key: Buffer): boolean {
  const id = String(r.headers['webhook-id']);
  const ts = String(r.headers['webhook-timestamp']);
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${r.body}`).digest();
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((s) => s.startsWith('v1,') && Buffer.from(s.slice(3), 'base64').length === expected.length && timingSafeEqual(Buffer.from(s.slice(3), 'base64'), expected));
}

async function loadProblems(lines: string[]): Promise<string[]> {
  const dir = tempDir();
  writeFileSync(join(dir, 'agent.yaml'), ['persona: { prompt: p, firstMessage: hi }', 'tools:', ...lines, ''].join('\n'));
  try {
    await loadAgent(dir);
  } catch (e) {
    assert.ok(e instanceof AgentLoadError, `expected AgentLoadError, got ${e}`);
    return e.problems.map((p) => formatProblem({ ...p, file: 'agent.yaml' }));
  }
  return assert.fail('the agent loaded but should not have');
}

describe('signed webhook tool requests', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('signs a POST with a whsec_ secret as Standard Webhooks do', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const { ctx } = context(WHSEC);
    await webhookTool(ctx, tool({ url: `${receiver.url}/leads` })).run({ email: 'a@b.c' }, never, 'call-1');
    const r = receiver.received[0];
    assert.equal(r.headers['webhook-timestamp'], String(Date.parse('2026-12-06T09:00:00.000Z') / 1000));
    assert.equal(r.headers['webhook-id'], r.headers['idempotency-key']);
    assert.match(String(r.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
    assert.ok(verify(r, KEY_BYTES), 'signature verifies with the decoded whsec_ key');
    assert.ok(!verify({ ...r, body: r.body.replace('a@b.c', 'x@b.c') }, KEY_BYTES), 'a changed body does not verify');
    assert.ok(!verify(r, Buffer.from(WHSEC)), 'the whsec_ text itself is not the key');
  });

  it('signs with a raw secret as its UTF-8 bytes, and a GET over the empty body', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const { ctx } = context(RAW);
    await webhookTool(ctx, tool({ method: 'GET', url: `${receiver.url}/accounts/{email}` })).run({ email: 'a@b.c' }, never, 'call-2');
    const r = receiver.received[0];
    assert.equal(r.body, '');
    assert.equal(r.url, '/accounts/a%40b.c');
    assert.ok(verify(r, Buffer.from(RAW, 'utf8')));
  });

  it('keeps the webhook-id across retries, and each attempt verifies', async () => {
    const receiver = await startWebhookReceiver((_, n) => (n === 1 ? { status: 503, body: { error: 'busy' } } : { status: 200, body: { ok: true } }));
    closers.push(receiver.close);
    const { ctx } = context(WHSEC);
    const outcome = await webhookTool(ctx, tool({ url: `${receiver.url}/leads`, retries: 1 })).run({ email: 'a@b.c' }, never, 'call-3');
    assert.equal((outcome.response as { attempts: number }).attempts, 2);
    const [first, second] = receiver.received;
    assert.equal(first.headers['webhook-id'], second.headers['webhook-id']);
    assert.ok(verify(first, KEY_BYTES) && verify(second, KEY_BYTES));
  });

  it('never puts the secret or the signature in the trace', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    const { ctx, events } = context(RAW);
    const traced = tracedTool(ctx, webhookTool(ctx, tool({ url: `${receiver.url}/leads` })));
    await traced.execute!({ email: 'a@b.c' }, { toolCallId: 'call-4', messages: [], context: {} });
    const recorded = JSON.stringify(events as ConversationEvent[]);
    assert.ok(recorded.includes('webhook-signature'), 'the record says the request was signed');
    assert.ok(recorded.includes('${WEBHOOK_SIGNING_SECRET}'));
    assert.ok(!recorded.includes(RAW), 'the secret is not recorded');
    assert.ok(!recorded.includes(String(receiver.received[0].headers['webhook-signature']).slice(3)), 'the signature value is not recorded');
  });

  it('fails the call before sending when the secret is unset or malformed, naming only the variable', async () => {
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    await assert.rejects(webhookTool(context(undefined).ctx, tool({ url: `${receiver.url}/leads` })).run({}, never, 'c'), /WEBHOOK_SIGNING_SECRET is not set/);
    const bad = 'whsec_short';
    await assert.rejects(webhookTool(context(bad).ctx, tool({ url: `${receiver.url}/leads` })).run({}, never, 'c'), (e: Error) => /\$\{WEBHOOK_SIGNING_SECRET\}.*whsec_<base64/.test(e.message) && !e.message.includes(bad));
    assert.equal(receiver.received.length, 0);
  });

  it('the receiver snippet in docs/tools.md verifies real requests and refuses forged ones', async () => {
    const doc = readFileSync(new URL('../../docs/tools.md', import.meta.url), 'utf8');
    const snippet = /```js\n(import \{ createHmac[\s\S]*?export function verified[\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(snippet, 'docs/tools.md has the verification snippet');
    const file = join(tempDir(), 'verify.mjs');
    writeFileSync(file, snippet);
    const { verified } = (await import(pathToFileURL(file).href)) as { verified: (h: unknown, body: string, secret: string) => boolean };
    const receiver = await startWebhookReceiver();
    closers.push(receiver.close);
    for (const secret of [WHSEC, RAW]) {
      const ctx = toolContext({ agent: { name: 'test-agent', collect: [] }, turnSeq: () => 1, env: { WEBHOOK_SIGNING_SECRET: secret }, now: () => new Date() }).ctx;
      await webhookTool(ctx, tool({ url: `${receiver.url}/leads` })).run({ email: 'a@b.c' }, never, `call-${secret.length}`);
      const r = receiver.received.at(-1)!;
      assert.equal(verified(r.headers, r.body, secret), true);
      assert.equal(verified(r.headers, r.body.replace('a@b.c', 'z@b.c'), secret), false);
      assert.equal(verified(r.headers, r.body, secret === WHSEC ? `whsec_${Buffer.alloc(32, 7).toString('base64')}` : `${RAW}x`), false);
      assert.equal(verified({ ...r.headers, 'webhook-timestamp': String(Number(r.headers['webhook-timestamp']) - 3600) }, r.body, secret), false);
    }
    // A request signed years ago (a replay) is refused as stale.
    const ctx = toolContext({ agent: { name: 'test-agent', collect: [] }, turnSeq: () => 1, env: { WEBHOOK_SIGNING_SECRET: WHSEC }, now: () => new Date('2020-01-01T00:00:00Z') }).ctx;
    await webhookTool(ctx, tool({ url: `${receiver.url}/leads` })).run({ email: 'a@b.c' }, never, 'call-old');
    assert.equal(verified(receiver.received.at(-1)!.headers, receiver.received.at(-1)!.body, WHSEC), false);
  });

  it('refuses a literal secret at load, pinned to its line', async () => {
    const problems = await loadProblems(['  - type: webhook', '    name: crm', '    description: d', '    url: https://crm.example/x', '    signingSecret: whsec_abc']);
    assert.deepEqual(problems, ['agent.yaml:7:20 tools.0.signingSecret: put the signing secret in the environment and write ${ENV_NAME} here']);
  });
});
