import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it, test } from 'node:test';
import { purgeOldConversations } from '../../src/store/retention.ts';
import { retryDelayMs } from '../../src/events/deliverer.ts';
import { destinationsOf } from '../../src/events/destinations.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { enqueueEvent, Outbox } from '../../src/store/outbox.ts';
import type { Store } from '../../src/store/store.ts';
import type { Destination } from '../../src/store/outbox.ts';
import { openTestStore } from '../helpers/store.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import { SECRET, testDeliverer, verifyStandardWebhook, webhookTo } from './helpers.ts';

const T0 = Date.parse('2026-12-01T09:00:00Z');

describe('webhooks from the outbox', () => {
  let store: Store;
  before(async () => (store = await openTestStore()));
  after(() => store.close());

  test('a delivery is signed as Standard Webhooks say: a receiver verifies it with its own HMAC', async () => {
    const rx = await startWebhookReceiver();
    const clock = { now: T0 };
    const id = await enqueueEvent(store, { agent: 'ada', type: 'lead.saved', data: { fields: { name: 'Jane Doe', email: 'jane@example.com' } }, conversationId: 'c-1', at: new Date(T0) });
    const r = await testDeliverer(store, [webhookTo(rx.url)], { clock }).round();
    assert.deepEqual(r, { attempted: 1, delivered: 1 });
    const got = rx.received.find((x) => x.headers['webhook-id'] === id);
    assert.ok(got, 'the receiver got the event');
    assert.equal(got.headers['webhook-timestamp'], String(Math.floor(T0 / 1000)));
    assert.match(String(got.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
    assert.ok(verifyStandardWebhook(got.headers, got.body, SECRET), 'the signature verifies');
    assert.ok(!verifyStandardWebhook(got.headers, got.body.replace('Jane', 'Joan'), SECRET), 'a changed body does not');
    assert.ok(!verifyStandardWebhook(got.headers, got.body, 'whsec_' + Buffer.from('another secret of ours').toString('base64')), 'nor another secret');
    const body = JSON.parse(got.body);
    assert.deepEqual(body, { type: 'lead.saved', timestamp: new Date(T0).toISOString(), agent: 'ada', conversationId: 'c-1', data: { fields: { name: 'Jane Doe', email: 'jane@example.com' } } });
    const view = await new Outbox(store).get(id);
    assert.equal(view?.deliveries[0].state, 'delivered');
    assert.equal(view?.deliveries[0].attempts[0].status, 200);
    await rx.close();
  });

  test('a receiver that fails twice gets the same event again after 15 s, then 60 s, and every attempt is logged', async () => {
    const rx = await startWebhookReceiver((_, n) => (n <= 2 ? { status: 503, body: { error: 'down for maintenance' } } : { status: 204, body: '' }));
    const clock = { now: T0 + 3_600_000 };
    const start = clock.now;
    const id = await enqueueEvent(store, { agent: 'ada', type: 'booking.created', data: { booking: { id: 'b-1' } }, at: new Date(start) });
    const d = testDeliverer(store, [webhookTo(rx.url)], { clock });
    assert.equal((await d.round()).attempted, 1);
    clock.now = start + retryDelayMs(1) - 1;
    assert.equal((await d.round()).attempted, 0, 'not before its back-off');
    clock.now = start + retryDelayMs(1);
    assert.deepEqual(await d.round(), { attempted: 1, delivered: 0 });
    const second = clock.now;
    clock.now = second + retryDelayMs(2) - 1;
    assert.equal((await d.round()).attempted, 0);
    clock.now = second + retryDelayMs(2);
    assert.deepEqual(await d.round(), { attempted: 1, delivered: 1 });
    assert.equal(retryDelayMs(1), 15_000);
    assert.equal(retryDelayMs(2), 60_000);
    assert.deepEqual(rx.received.map((r) => r.headers['webhook-id']), [id, id, id], 'one id for every attempt, so receivers dedupe');
    const view = (await new Outbox(store).get(id))!;
    const log = view.deliveries[0].attempts;
    assert.deepEqual(log.map((a) => a.status), [503, 503, 204]);
    assert.match(log[0].error!, /HTTP 503: .*down for maintenance/);
    assert.equal(log[2].error, null);
    assert.ok(log.every((a) => a.durationMs >= 0));
    assert.deepEqual(log.map((a) => a.at), [start, start + 15_000, start + 75_000].map((t) => new Date(t).toISOString()));
    assert.equal(view.deliveries[0].state, 'delivered');
    await rx.close();
  });

  test('a receiver that never succeeds is retried for a day, then given up; "send again" makes one more attempt', async () => {
    let ok = false;
    const rx = await startWebhookReceiver(() => (ok ? { status: 200, body: {} } : { status: 500, body: {} }));
    const clock = { now: T0 + 2 * 86_400_000 };
    const start = clock.now;
    const id = await enqueueEvent(store, { agent: 'ada', type: 'conversation.ended', data: { id: 'c-2' }, at: new Date(start) });
    const d = testDeliverer(store, [webhookTo(rx.url)], { clock });
    const outbox = new Outbox(store);
    for (let i = 0; i < 100; i++) {
      await d.round();
      const view = (await outbox.get(id))!.deliveries[0];
      if (view.state !== 'pending') break;
      clock.now = Date.parse(view.nextAttemptAt!);
    }
    const view = (await outbox.get(id))!.deliveries[0];
    assert.equal(view.state, 'failed');
    assert.ok(clock.now - start <= 86_400_000, 'no attempt after a day');
    assert.ok(view.attempts.length >= 8 && view.attempts.length <= 15, `${view.attempts.length} attempts in a day`);
    assert.equal(rx.received.length, view.attempts.length);
    ok = true;
    assert.equal(await outbox.redeliver(id, new Date(clock.now).toISOString()), 1);
    assert.deepEqual(await d.round(), { attempted: 1, delivered: 1 });
    assert.equal((await outbox.get(id))!.deliveries[0].state, 'delivered');
    await rx.close();
  });
});

describe('hostile receivers', () => {
  let store: Store;
  before(async () => (store = await openTestStore()));
  after(() => store.close());

  async function server(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server; close(): Promise<void> }> {
    const s = createServer(handler);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`, server: s, close: () => new Promise((r) => (s.closeAllConnections(), s.close(() => r()))) };
  }

  async function attemptOnce(url: string, o: { timeoutMs?: number; allowPrivate?: boolean } = {}) {
    const clock = { now: T0 };
    const id = await enqueueEvent(store, { agent: 'ada', type: 'lead.saved', data: {}, at: new Date(T0) });
    await testDeliverer(store, [webhookTo(url, o.allowPrivate ?? true)], { clock, timeoutMs: o.timeoutMs }).round();
    return (await new Outbox(store).get(id))!.deliveries[0];
  }

  test('a receiver that never answers is cut at the timeout and retried later', async () => {
    const hang = await server(() => {});
    const t0 = performance.now();
    const d = await attemptOnce(hang.url, { timeoutMs: 300 });
    assert.ok(performance.now() - t0 < 3000);
    assert.equal(d.state, 'pending');
    assert.equal(d.attempts[0].status, null);
    assert.equal(d.attempts[0].error, 'no answer within 300 ms');
    await hang.close();
  });

  test('a 3xx is not followed, least of all into the private network', async () => {
    const inside = await startWebhookReceiver();
    const redirector = await server((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${inside.url}/admin` }).end();
    });
    const d = await attemptOnce(redirector.url);
    assert.equal(inside.received.length, 0, 'the redirect target got nothing');
    assert.equal(d.attempts[0].status, 307);
    assert.match(d.attempts[0].error!, /redirect to http:\/\/127\.0\.0\.1:\d+\/admin not followed/);
    assert.equal(d.state, 'pending');
    await inside.close();
    await redirector.close();
  });

  test('a giant answer is not read: the attempt ends after the first bytes', async () => {
    let sent = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((r) => (closed = r));
    const firehose = await server((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (sent < 500 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', closed);
      pump();
    });
    const d = await attemptOnce(firehose.url, { timeoutMs: 10_000 });
    assert.equal(d.state, 'delivered');
    assert.equal(d.attempts[0].status, 200);
    await connectionClosed;
    assert.ok(sent < 50 * 1024 * 1024, `only ${sent} bytes were pushed before the connection closed`);
    await firehose.close();
  });

  test('a private address is refused unless the file allows it, and nothing is sent', async () => {
    const inside = await startWebhookReceiver();
    const d = await attemptOnce(`${inside.url}/hook`, { allowPrivate: false });
    assert.equal(inside.received.length, 0);
    assert.equal(d.attempts[0].status, null);
    assert.match(d.attempts[0].error!, /private, loopback or link-local/);
    await inside.close();
  });

  test('events.allowPrivateUrls as a list: a listed host is delivered to, another name for the same loopback address is refused', async () => {
    const inside = await startWebhookReceiver();
    after(() => inside.close());
    const port = new URL(inside.url).port;
    const clock = { now: T0 };
    const listed = (url: string): Destination => ({ key: `webhook:${url}`, target: { kind: 'webhook', url, secret: '${TEST_EVENTS_SECRET}', allowPrivate: ['127.0.0.1'] } });
    const id = await enqueueEvent(store, { agent: 'ada', type: 'lead.saved', data: {}, at: new Date(T0) });
    await testDeliverer(store, [listed(`http://127.0.0.1:${port}/hook`), listed(`http://localhost:${port}/hook`)], { clock }).round();
    const [ok, refused] = (await new Outbox(store).get(id))!.deliveries.sort((a, b) => a.destination.localeCompare(b.destination));
    assert.equal(ok.state, 'delivered', JSON.stringify(ok));
    assert.equal(refused.attempts[0].status, null);
    assert.match(refused.attempts[0].error!, /localhost.*private, loopback or link-local address \(list it to allow it: events\.allowPrivateUrls: \[localhost\]\)/);
    assert.equal(inside.received.length, 1);
  });

  test('a webhook written without a secret goes out unsigned: webhook-id and webhook-timestamp, no webhook-signature', async () => {
    const rx = await startWebhookReceiver();
    after(() => rx.close());
    const clock = { now: T0 };
    const config = AgentFile.parse({ persona: { prompt: 'You help.', firstMessage: 'Hi.' }, events: { webhooks: [{ url: rx.url, events: ['lead.saved'] }], allowPrivateUrls: true } });
    const id = await enqueueEvent(store, { agent: 'ada', type: 'lead.saved', data: { fields: { name: 'Jane Doe' } }, at: new Date(T0) });
    const destinations = (e: Parameters<typeof destinationsOf>[0]) => destinationsOf(e, { config, env: {}, mail: false });
    // No TEST_EVENTS_SECRET either: nothing is missing, so nothing fails.
    const r = await testDeliverer(store, [], { clock, env: {}, destinations }).round();
    assert.deepEqual(r, { attempted: 1, delivered: 1 });
    const got = rx.received.find((x) => x.headers['webhook-id'] === id);
    assert.ok(got, 'the receiver got the event');
    assert.equal(got.headers['webhook-timestamp'], String(Math.floor(T0 / 1000)));
    assert.equal(got.headers['webhook-signature'], undefined);
    assert.equal(JSON.parse(got.body).data.fields.name, 'Jane Doe');
  });

  test('a missing secret is a failed attempt naming the variable, never a send without a signature', async () => {
    const rx = await startWebhookReceiver();
    const clock = { now: T0 };
    const id = await enqueueEvent(store, { agent: 'ada', type: 'lead.saved', data: {}, at: new Date(T0) });
    await testDeliverer(store, [webhookTo(rx.url)], { clock, env: {} }).round();
    const d = (await new Outbox(store).get(id))!.deliveries[0];
    assert.equal(rx.received.length, 0);
    assert.match(d.attempts[0].error!, /TEST_EVENTS_SECRET is not set/);
    await rx.close();
  });
});

describe('retention', () => {
  it('privacy.retentionDays deletes old events out with their deliveries and attempts', async () => {
    const store = await openTestStore();
    const rx = await startWebhookReceiver();
    const clock = { now: T0 };
    const old = await enqueueEvent(store, { agent: 'ada', type: 'conversation.ended', data: { transcript: 'private words' }, at: new Date(T0) });
    const fresh = await enqueueEvent(store, { agent: 'ada', type: 'lead.saved', data: {}, at: new Date(T0 + 5 * 86_400_000) });
    const other = await enqueueEvent(store, { agent: 'bob', type: 'lead.saved', data: {}, at: new Date(T0) });
    await testDeliverer(store, [webhookTo(rx.url)], { clock }).round();
    await purgeOldConversations(store, 'ada', 3, { now: T0 + 6 * 86_400_000 });
    const outbox = new Outbox(store);
    assert.equal(await outbox.get(old), undefined);
    assert.ok(await outbox.get(fresh));
    assert.ok(await outbox.get(other), 'another agent\'s events are its own business');
    assert.equal((await store.db.selectFrom('outbox_attempts').select('id').execute()).length, 2, 'the old event\'s attempt went with it');
    await rx.close();
    await store.close();
  });
});

describe('a receiver that answers, then hangs', () => {
  it('a 200 whose body never ends counts as delivered once the timeout cuts it', async () => {
    const store = await openTestStore();
    const s = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('ok, working on it');
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const clock = { now: T0 };
    const id = await enqueueEvent(store, { agent: 'ada', type: 'lead.saved', data: {}, at: new Date(T0) });
    await testDeliverer(store, [webhookTo(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`)], { clock, timeoutMs: 300 }).round();
    const d = (await new Outbox(store).get(id))!.deliveries[0];
    assert.equal(d.state, 'delivered');
    assert.equal(d.attempts[0].status, 200);
    s.closeAllConnections();
    s.close();
    await store.close();
  });
});
