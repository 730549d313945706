import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadAhead } from '../../src/session/read-ahead.ts';

// A read started while the caller speaks serves their turn once, when fresh; anything else reads anew.

function counter(values: (() => Promise<number>)[] = []) {
  let reads = 0;
  const read = () => {
    reads++;
    return values.shift()?.() ?? Promise.resolve(reads);
  };
  return { read, reads: () => reads };
}

describe('ReadAhead', () => {
  it('a read started ahead serves the turn: the turn makes no read of its own', async () => {
    let now = 0;
    const c = counter();
    const ahead = new ReadAhead(c.read, { maxAgeMs: 10_000, now: () => now });
    ahead.start();
    now += 3_000;
    assert.equal(await ahead.take(), 1);
    assert.equal(c.reads(), 1);
  });

  it('speech starting many times in one turn reads once', async () => {
    const now = 0;
    const c = counter();
    const ahead = new ReadAhead(c.read, { maxAgeMs: 10_000, now: () => now });
    for (let i = 0; i < 5; i++) ahead.start();
    await ahead.take();
    assert.equal(c.reads(), 1);
  });

  it('each read ahead serves one turn: the next take reads again', async () => {
    const c = counter();
    const ahead = new ReadAhead(c.read, { maxAgeMs: 10_000, now: () => 0 });
    ahead.start();
    assert.equal(await ahead.take(), 1);
    assert.equal(await ahead.take(), 2);
  });

  it('a read older than its limit is not used: the turn reads again', async () => {
    let now = 0;
    const c = counter();
    const ahead = new ReadAhead(c.read, { maxAgeMs: 10_000, now: () => now });
    ahead.start();
    now += 10_001;
    assert.equal(await ahead.take(), 2);
    assert.equal(c.reads(), 2);
  });

  it('a stale read ahead is replaced when speech starts again', async () => {
    let now = 0;
    const c = counter();
    const ahead = new ReadAhead(c.read, { maxAgeMs: 10_000, now: () => now });
    ahead.start();
    now += 15_000;
    ahead.start();
    assert.equal(await ahead.take(), 2);
    assert.equal(c.reads(), 2);
  });

  it('a read ahead that failed is read again at the turn, and only that error reaches it', async () => {
    const c = counter([() => Promise.reject(new Error('store down')), () => Promise.reject(new Error('still down'))]);
    const ahead = new ReadAhead(c.read, { maxAgeMs: 10_000, now: () => 0 });
    ahead.start(); // fails with nobody awaiting it: no unhandled rejection
    await new Promise((r) => setImmediate(r));
    await assert.rejects(ahead.take(), /still down/);
    assert.equal(c.reads(), 2);
  });

  it('without a read ahead the turn reads for itself', async () => {
    const c = counter();
    const ahead = new ReadAhead(c.read, { maxAgeMs: 10_000, now: () => 0 });
    assert.equal(await ahead.take(), 1);
    assert.equal(c.reads(), 1);
  });
});
