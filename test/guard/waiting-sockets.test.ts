import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaitingSockets } from '../../src/guard/waiting-sockets.ts';

describe('WaitingSockets: sockets without `start`, a few per address', () => {
  it('admits up to the bound per address, refuses the next, and an address’s room comes back when one leaves', () => {
    const w = new WaitingSockets(2);
    const a1 = w.enter('198.51.100.1');
    const a2 = w.enter('198.51.100.1');
    assert.ok(a1 && a2);
    assert.equal(w.enter('198.51.100.1'), null, 'the third from the same address');
    assert.ok(w.enter('198.51.100.2'), 'another address has its own room');
    a1();
    assert.ok(w.enter('198.51.100.1'), 'room again after one left');
  });

  it('leaving twice frees one place, not two (a socket that started and then closed)', () => {
    const w = new WaitingSockets(1);
    const leave = w.enter('203.0.113.9')!;
    leave();
    leave();
    assert.ok(w.enter('203.0.113.9'));
    assert.equal(w.enter('203.0.113.9'), null);
    assert.equal(w.count('203.0.113.9'), 1);
  });
});
