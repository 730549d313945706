import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { DURATION_GRACE_MS, hardStopMs, OFFER_GRACE_MS, StartGate } from '../../src/server/start-gate.ts';
import { FakeSocket } from '../channels/contract.ts';

const START = JSON.stringify({ type: 'start', mode: 'text' });

/** A gate over a fake socket whose `admit` the test answers; `seen` is what got through, in order. */
function gate(o: { timeoutMs?: number } = {}) {
  const socket = new FakeSocket();
  let answer!: (ok: boolean) => void;
  let asked = 0;
  let timedOut = 0;
  const g = new StartGate(socket, {
    timeoutMs: o.timeoutMs ?? 60_000,
    admit: () => (asked++, new Promise<boolean>((r) => (answer = r))),
    onTimeout: () => timedOut++,
  });
  const seen: string[] = [];
  g.on('message', (data) => seen.push(String(data)));
  return { socket, g, seen, answer: (ok: boolean) => answer(ok), asked: () => asked, timedOut: () => timedOut };
}

describe('StartGate: the web door’s waiting room', () => {
  it('gives a browser that sent a WebRTC offer the grace to connect (once), then closes it all the same', () => {
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const t = gate({ timeoutMs: 5000 });
      clock.tick(2000);
      t.socket.receive('{"type":"offer","sdp":"v=0"}');
      t.socket.receive('{"type":"offer","sdp":"v=0"}'); // a second one buys nothing (the session refuses it)
      assert.equal(t.seen.length, 2, 'offers go through to the session');
      clock.tick(3000 + OFFER_GRACE_MS - 1);
      assert.equal(t.timedOut(), 0);
      clock.tick(1);
      assert.equal(t.timedOut(), 1);
    } finally {
      clock.uninstall();
    }
  });

  it('passes messages before `start` straight through (the session’s own rules answer them)', () => {
    const t = gate();
    t.socket.receive('{"type":"mute","muted":true}');
    t.socket.receive('not json');
    assert.deepEqual(t.seen, ['{"type":"mute","muted":true}', 'not json']);
    assert.equal(t.asked(), 0);
    assert.equal(t.g.state, 'waiting');
  });

  it('holds `start` and everything behind it until the seat is taken, then delivers them in order', async () => {
    const t = gate();
    t.socket.receive(START);
    t.socket.receive('{"type":"text","text":"one"}');
    t.socket.receive(START); // a second start: the session will refuse it, in its place
    assert.deepEqual(t.seen, []);
    assert.equal(t.asked(), 1, 'one seat asked for, however many starts');
    t.answer(true);
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(t.g.state, 'open');
    assert.deepEqual(t.seen, [START, '{"type":"text","text":"one"}', START]);
    t.socket.receive('{"type":"text","text":"two"}');
    assert.equal(t.seen.at(-1), '{"type":"text","text":"two"}');
  });

  it('refused: nothing held is delivered, nor anything after', async () => {
    const t = gate();
    t.socket.receive(START);
    t.socket.receive('{"type":"text","text":"one"}');
    t.answer(false);
    await Promise.resolve();
    await Promise.resolve();
    t.socket.receive('{"type":"text","text":"two"}');
    assert.equal(t.g.state, 'refused');
    assert.deepEqual(t.seen, []);
  });

  it('a flood while the seat is taken closes the socket instead of queueing without end', () => {
    const t = gate();
    t.socket.receive(START);
    for (let i = 0; i < 1000; i++) t.socket.receive('{"type":"mute","muted":false}');
    assert.deepEqual(t.socket.closes[0], { code: 1008, reason: 'too many messages while the session was starting' });
  });

  it('times out only while waiting for `start`', async () => {
    const waiting = gate({ timeoutMs: 1 });
    const started = gate({ timeoutMs: 1 });
    started.socket.receive(START);
    await new Promise<void>((r) => {
      const check = setInterval(() => waiting.timedOut() && (clearInterval(check), r()), 1);
    });
    assert.equal(waiting.timedOut(), 1);
    assert.equal(started.timedOut(), 0);
  });
});

describe('hardStopMs: when the door closes a session whatever it is doing', () => {
  it('is the limit plus the grace from the opening, never negative, and never beyond what a timer holds', () => {
    assert.equal(hardStopMs(60, 2000), 60_000 + DURATION_GRACE_MS - 2000);
    assert.equal(hardStopMs(1, 60_000), 0, 'already past');
    // 30 days: a plain setTimeout would overflow and fire at once, closing every session.
    assert.equal(hardStopMs(30 * 86_400, 0), 2 ** 31 - 1);
  });
});
