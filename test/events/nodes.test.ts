import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Outbox, enqueueEvent } from '../../src/store/outbox.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tempDir } from '../helpers/cli.ts';
import { openPostgresSchema, postgresUp, TEST_POSTGRES_URL } from '../helpers/store.ts';
import { testDeliverer, webhookTo } from './helpers.ts';

// Two deliverers (two nodes) on one store deliver each event once: claims are leases taken in one
// statement (FOR UPDATE SKIP LOCKED on PostgreSQL), so neither sends what the other holds.

const PG = TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = 60;

async function twoNodesDeliverOnce(a: Store, b: Store): Promise<void> {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    const id = String(req.headers['webhook-id']);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    setTimeout(() => res.writeHead(200).end(), 5); // a receiver that takes a moment, so rounds overlap
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const to = webhookTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  const ids: string[] = [];
  for (let i = 0; i < N; i++) ids.push(await enqueueEvent(a, { agent: 'ada', type: 'booking.created', data: { n: i } }));
  const clock = { now: Date.now() + 1000 };
  const one = testDeliverer(a, [to], { clock, batch: 7, owner: 'node-a' });
  const two = testDeliverer(b, [to], { clock, batch: 7, owner: 'node-b' });
  const sent = { a: 0, b: 0 };
  for (let i = 0; i < 50 && seen.size < N; i++) {
    const [ra, rb] = await Promise.all([one.round(), two.round()]);
    sent.a += ra.attempted;
    sent.b += rb.attempted;
  }
  server.close();
  assert.deepEqual([...seen.keys()].sort(), [...ids].sort(), 'every event arrived');
  assert.deepEqual([...new Set(seen.values())], [1], 'each exactly once');
  assert.equal(sent.a + sent.b, N);
  assert.ok(sent.a > 0 && sent.b > 0, `both nodes delivered (${sent.a} and ${sent.b})`);
  const outbox = new Outbox(a);
  for (const id of ids) assert.deepEqual((await outbox.get(id))!.deliveries.map((d) => [d.state, d.attempts.length]), [['delivered', 1]]);
}

describe('two deliverers on one store', () => {
  // SQLite is one node's store; two deliverers in one process still must not share a delivery.
  // (Two handles in one process would block each other: node:sqlite waits synchronously.)
  test('SQLite: two deliverers on one store', async () => {
    const store = await openStore(`file:${join(tempDir('parley-events-nodes-'), 'p.db')}`);
    await twoNodesDeliverOnce(store, store);
    await store.close();
  });

  test('PostgreSQL: two pools on one schema', async (t) => {
    if (!(await postgresUp(PG))) return t.skip(`no PostgreSQL at ${PG}`);
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const a = await openPostgresSchema(PG, schema);
    const b = await openPostgresSchema(PG, schema, { drop: false });
    await twoNodesDeliverOnce(a, b);
    await b.close();
    await a.close();
  });
});
