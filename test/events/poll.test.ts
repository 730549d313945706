import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Deliverer } from '../../src/events/deliverer.ts';
import { openTestStore } from '../helpers/store.ts';

test('a running deliverer polls at its interval, not in a tight loop, when options are passed as undefined', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const store = await openTestStore();
  let rounds = 0;
  const d = new Deliverer({ store, destinations: () => [], send: async () => ({ ok: true, status: 200, error: null }), pollMs: undefined, leaseMs: undefined });
  const round = d.round.bind(d);
  d.round = async (signal) => (rounds++, round(signal));
  d.start();
  for (let i = 0; i < 20 && rounds < 1; i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(rounds, 1, 'one round at start, the next only after the poll interval');
  t.mock.timers.tick(1999);
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(rounds, 1);
  t.mock.timers.tick(1);
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(rounds, 2, 'the second round at 2 s');
  await d.stop();
  await store.close();
});
