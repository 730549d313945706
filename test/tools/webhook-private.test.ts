import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { WebhookTool } from '../../src/agent/schema.ts';
import { webhookTool } from '../../src/tools/webhook.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import { toolContext } from '../helpers/tool-context.ts';

// tools[].allowPrivateUrls: a support line's account API is on the private network and must be
// reachable, and nothing else private. With a list, only the listed host names may connect to a
// private or loopback address — checked on the address connected to, redirects included.

const never = new AbortController().signal;
const ctx = () => toolContext({ agent: { name: 'support', collect: [] }, turnSeq: () => 1, env: {}, fetch: globalThis.fetch }).ctx;
const tool = (url: string, allowPrivateUrls?: unknown) =>
  WebhookTool.parse({ type: 'webhook', name: 'account', description: 'Look up the account.', method: 'GET', url, retries: 1, ...(allowPrivateUrls === undefined ? {} : { allowPrivateUrls }) });

describe('webhook tools: which private hosts they may reach', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers) await close();
  });
  const receiver = async () => {
    const rx = await startWebhookReceiver(() => ({ status: 200, body: { plan: 'pro' } }));
    closers.push(rx.close);
    return { ...rx, port: new URL(rx.url).port };
  };

  it('a listed loopback host is reached; another name for the same address is refused, named in the trace, and not retried', async () => {
    const rx = await receiver();
    const ok = await webhookTool(ctx(), tool(`http://127.0.0.1:${rx.port}/accounts`, ['127.0.0.1'])).run({}, never, 'c1');
    assert.equal(ok.error, undefined, JSON.stringify(ok));
    assert.deepEqual(ok.result, { plan: 'pro' });
    const refused = await webhookTool(ctx(), tool(`http://localhost:${rx.port}/accounts`, ['127.0.0.1'])).run({}, never, 'c2');
    assert.equal(rx.received.length, 1, 'nothing reached the receiver for localhost');
    assert.match(refused.error!, /refused http:\/\/localhost:\d+\/accounts: localhost resolves to (127\.0\.0\.1|::1), which is a private, loopback or link-local address \(list it to allow it: tools\.account\.allowPrivateUrls: \[localhost\]\)/);
    assert.deepEqual((refused.response as { attempts: number }).attempts, 1);
    assert.match(JSON.stringify(refused.result), /could not be reached \(refused/);
  });

  it('false refuses every private host, the address written out too; the default (true) reaches it as before', async () => {
    const rx = await receiver();
    const refused = await webhookTool(ctx(), tool(`http://127.0.0.1:${rx.port}/a`, false)).run({}, never, 'c3');
    assert.match(refused.error!, /127\.0\.0\.1 is a private, loopback or link-local address \(list it to allow it: tools\.account\.allowPrivateUrls: \[127\.0\.0\.1\]\)/);
    const open = await webhookTool(ctx(), tool(`http://127.0.0.1:${rx.port}/a`)).run({}, never, 'c4');
    assert.deepEqual(open.result, { plan: 'pro' });
    assert.equal(rx.received.length, 1);
  });

  it('a redirect from a listed host to an unlisted private one is refused at the redirect', async () => {
    const rx = await receiver();
    const redirector = createServer((_, res) => res.writeHead(302, { location: `http://localhost:${rx.port}/inside` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => redirector.close(() => resolve())));
    const port = (redirector.address() as AddressInfo).port;
    const r = await webhookTool(ctx(), tool(`http://127.0.0.1:${port}/start`, ['127.0.0.1'])).run({}, never, 'c5');
    assert.equal(rx.received.length, 0);
    assert.match(r.error!, /refused http:\/\/localhost:\d+\/inside: localhost resolves to/);
    const followed = await webhookTool(ctx(), tool(`http://127.0.0.1:${port}/start`, ['127.0.0.1', 'localhost'])).run({}, never, 'c6');
    assert.deepEqual(followed.result, { plan: 'pro' });
  });

  it('the schema takes true, false or a list of host names, and nothing else', () => {
    assert.equal(tool('https://x.example/a').allowPrivateUrls, true);
    assert.deepEqual(tool('https://x.example/a', ['accounts.internal', '10.0.0.7']).allowPrivateUrls, ['accounts.internal', '10.0.0.7']);
    assert.throws(() => tool('https://x.example/a', []));
    assert.throws(() => tool('https://x.example/a', ['http://accounts.internal/']));
  });
});
