import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { Outbox } from '../../src/store/outbox.ts';
import { openStore } from '../../src/store/store.ts';
import { tempDir } from '../helpers/cli.ts';
import { SECRET, verifyStandardWebhook } from './helpers.ts';

// kill -9 in the middle of deliveries: the events are in the store, so a restarted process
// delivers every one — those cut mid-request again, with the same webhook-id for receivers to
// deduplicate on — once the dead process's leases run out. Nothing is lost.

const CHILD = join(import.meta.dirname, 'fixtures', 'deliver-child.ts');
const N = 20;

function child(env: Record<string, string>): { proc: ChildProcess; queued: Promise<string[]> } {
  const proc = spawn(process.execPath, [CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const queued = (async () => {
    for await (const line of createInterface({ input: proc.stdout! })) {
      const m = /^queued (.*)$/.exec(line);
      if (m) return JSON.parse(m[1]) as string[];
    }
    throw new Error('the child exited before queueing');
  })();
  return { proc, queued };
}

test('a deliverer killed with SIGKILL mid-delivery loses nothing: after a restart every event arrives, cut ones again with the same id', { timeout: 60_000 }, async () => {
  const db = join(tempDir('parley-events-crash-'), 'parley.db');
  let phase: 'hang' | 'answer' = 'hang';
  const cut = new Set<string>();
  const delivered = new Map<string, number>();
  let firstArrived!: () => void;
  const arrived = new Promise<void>((r) => (firstArrived = r));
  let allDelivered!: () => void;
  const done = new Promise<void>((r) => (allDelivered = r));
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const c of req) body += c;
    assert.ok(verifyStandardWebhook(req.headers, body, SECRET));
    const id = String(req.headers['webhook-id']);
    if (phase === 'hang') {
      cut.add(id); // never answered: the process dies while waiting for us
      return firstArrived();
    }
    delivered.set(id, (delivered.get(id) ?? 0) + 1);
    res.writeHead(200).end();
    if (delivered.size === N) allDelivered();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const to = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

  const first = child({ EVENTS_DB: db, EVENTS_TO: to, EVENTS_ENQUEUE: String(N), EVENTS_LEASE_MS: '1500' });
  const ids = await first.queued;
  assert.equal(ids.length, N);
  await arrived;
  first.proc.kill('SIGKILL');
  await once(first.proc, 'exit');
  server.closeAllConnections();

  const store = await openStore(`file:${db}`);
  const outbox = new Outbox(store);
  const before = await Promise.all(ids.map((id) => outbox.get(id)));
  assert.ok(before.every((e) => e), 'every event survived the kill');
  const states = before.flatMap((e) => e!.deliveries.map((d) => d.state));
  assert.ok(states.includes('delivering'), `some deliveries were in flight when it died: ${states.join(',')}`);
  assert.equal(states.filter((s) => s === 'delivered').length, 0);

  phase = 'answer';
  const second = child({ EVENTS_DB: db, EVENTS_TO: to, EVENTS_LEASE_MS: '1500' });
  await done;
  second.proc.kill('SIGTERM');
  await once(second.proc, 'exit');

  assert.deepEqual([...delivered.keys()].sort(), [...ids].sort(), 'every event arrived');
  assert.ok(cut.size >= 1);
  for (const id of cut) assert.ok(delivered.has(id), `${id}, cut by the kill, arrived again with the same id`);
  const after = await Promise.all(ids.map((id) => outbox.get(id)));
  assert.ok(after.every((e) => e!.deliveries.length === 1 && e!.deliveries[0].state === 'delivered'));
  await store.close();
  server.close();
});
