import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveDetector, TurnTaking, type Timers, type TurnSettings } from '../../src/session/voice/turn-taking.ts';
import type { EndOfTurnDetector } from '../../src/session/voice/end-of-turn.ts';

// Turn-taking with an end-of-turn detector (text) and with a recogniser that decides (flux), on a
// clock the test moves by hand.

function manualClock() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = { set: (fn, ms) => (pending.set(++seq, { at: now + ms, fn }), seq), clear: (h) => void pending.delete(h as number) };
  const to = (t: number) => {
    for (;;) {
      const next = [...pending.entries()].filter(([, x]) => x.at <= t).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      pending.delete(next[0]);
      now = next[1].at;
      next[1].fn();
    }
    now = t;
  };
  return { timers, to, now: () => now, pending: () => pending.size };
}

const BASE: TurnSettings = { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 3000, minInterruptionMs: 500, minInterruptionWords: 1, backchannels: ['yeah'], falseInterruptionTimeoutMs: 1500, quickEndpointingDelayMs: 150 };

function setup(settings: Partial<TurnSettings>, context: { language?: string; recogniserEndsTurns?: boolean; endOfTurn?: EndOfTurnDetector } = {}) {
  const clock = manualClock();
  const turns: string[] = [];
  const tt = new TurnTaking({ ...BASE, ...settings }, { turn: (text) => turns.push(`${text}@${clock.now()}`), pause() {}, resume() {}, interrupt() {} }, clock.timers, context);
  /** The caller says `text` from `from` to `to` ms; the final arrives `finalLag` ms after the VAD's speech end. */
  const say = (text: string, from: number, to: number, finalLag = 0) => {
    clock.to(from);
    tt.speechStart(from);
    clock.to(to);
    if (finalLag === 0) tt.transcript({ type: 'final', text, atMs: to });
    tt.speechEnd(to);
    if (finalLag > 0) {
      clock.to(to + finalLag);
      tt.transcript({ type: 'final', text, atMs: to + finalLag });
    }
  };
  return { tt, clock, turns, say };
}

describe('detector: text', () => {
  it('a complete question ends after the quick delay, not the ordinary one', () => {
    const { clock, turns, say } = setup({ detector: 'text' });
    say('How much is the audit?', 0, 1200);
    clock.to(1349);
    assert.deepEqual(turns, []);
    clock.to(1350);
    assert.deepEqual(turns, ['How much is the audit?@1350']);
  });

  it('a half-given email waits the longest; the rest of it ends the turn quickly, as one turn', () => {
    const { clock, turns, say } = setup({ detector: 'text' });
    say('my email is john dot', 0, 1500);
    clock.to(1500 + 2000); // a 2 s pause: today's 500 ms would have cut the caller off
    assert.deepEqual(turns, []);
    say('smith at gmail dot com', 3500, 5000);
    clock.to(5150);
    assert.deepEqual(turns, ['my email is john dot smith at gmail dot com@5150']);
  });

  it('a statement that may go on gets the ordinary delay', () => {
    const { clock, turns, say } = setup({ detector: 'text' });
    say('I run a small bakery', 0, 1000);
    clock.to(1499);
    assert.deepEqual(turns, []);
    clock.to(1500);
    assert.deepEqual(turns, ['I run a small bakery@1500']);
  });

  it('counts from when speech stopped: a late final adds nothing when the wait has passed', () => {
    const { clock, turns, say } = setup({ detector: 'text' });
    say('yes', 0, 400, 700); // pocketsphinx: the final 700 ms after the VAD's end
    assert.deepEqual(turns, ['yes@1100'], 'ends as the final arrives');
    const b = setup({ detector: 'text' });
    b.say('I run a small bakery', 0, 1000, 300);
    b.clock.to(1499);
    assert.deepEqual(b.turns, []);
    b.clock.to(1500);
    assert.deepEqual(b.turns, ['I run a small bakery@1500']);
  });

  it('a language the detector does not know falls back to the fixed delays', () => {
    const { clock, turns, say } = setup({ detector: 'text' }, { language: 'cs' });
    say('kolik stojí audit', 0, 1000);
    clock.to(1499);
    assert.deepEqual(turns, []);
    clock.to(1500);
    assert.deepEqual(turns, ['kolik stojí audit@1500']);
  });

  it('speech starting again cancels a pending quick end', () => {
    const { clock, turns, tt, say } = setup({ detector: 'text' });
    say('yes', 0, 400);
    clock.to(500);
    tt.speechStart(500);
    clock.to(2000);
    assert.deepEqual(turns, []);
  });

  it('takes another detector (an audio model) through the same seam', () => {
    const calls: string[] = [];
    const sure: EndOfTurnDetector = { id: 'test', probability: ({ text }) => (calls.push(text), 0.99) };
    const { clock, turns, say } = setup({ detector: 'text' }, { endOfTurn: sure });
    say('I run a small bakery', 0, 1000);
    clock.to(1150);
    assert.deepEqual(turns, ['I run a small bakery@1150']);
    assert.deepEqual(calls, ['I run a small bakery']);
  });

  it('fixed keeps today\'s behaviour: the min after the final, the max after a trailing word', () => {
    const { clock, turns, say } = setup({ detector: 'fixed' });
    say('How much is the audit?', 0, 1200);
    clock.to(1650);
    assert.deepEqual(turns, []);
    clock.to(1700);
    assert.deepEqual(turns, ['How much is the audit?@1700']);
  });
});

describe('detector: flux (the recogniser decides)', () => {
  it('auto picks flux for a recogniser that ends turns, text otherwise; flux without one falls back to text', () => {
    assert.equal(resolveDetector('auto', true), 'flux');
    assert.equal(resolveDetector('auto', false), 'text');
    assert.equal(resolveDetector('flux', false), 'text');
    assert.equal(resolveDetector('fixed', true), 'fixed');
    assert.equal(resolveDetector(undefined, true), 'fixed');
  });

  it('the turn ends on EndOfTurn, not on the VAD\'s silence', () => {
    const { tt, clock, turns } = setup({ detector: 'flux' }, { recogniserEndsTurns: true });
    tt.speechStart(0);
    tt.transcript({ type: 'partial', text: 'my email is', atMs: 500 });
    clock.to(1000);
    tt.speechEnd(1000);
    tt.transcript({ type: 'partial', text: 'my email is john dot', atMs: 1100 });
    clock.to(3000);
    assert.deepEqual(turns, [], 'no timer of ours ended it');
    tt.transcript({ type: 'final', text: 'my email is john dot smith at gmail dot com', atMs: 3200, endOfTurn: 'end' });
    assert.deepEqual(turns, ['my email is john dot smith at gmail dot com@3000']);
  });

  it('TurnResumed cancels an eager end; without it the eager end ends the turn after the quick delay', () => {
    const { tt, clock, turns } = setup({ detector: 'flux' }, { recogniserEndsTurns: true });
    tt.speechStart(0);
    clock.to(900);
    tt.speechEnd(900);
    clock.to(1000);
    tt.transcript({ type: 'partial', text: 'my number is four one five', atMs: 1000, endOfTurn: 'eager' });
    clock.to(1100);
    tt.transcript({ type: 'partial', text: 'my number is four one five', atMs: 1100, endOfTurn: 'resumed' });
    clock.to(2000);
    assert.deepEqual(turns, [], 'the resumed turn did not end');
    clock.to(3000);
    tt.transcript({ type: 'partial', text: 'my number is four one five five five five one two three four', atMs: 3000, endOfTurn: 'eager' });
    clock.to(3000 + 149);
    assert.deepEqual(turns, []);
    clock.to(3150);
    assert.deepEqual(turns, ['my number is four one five five five five one two three four@3150']);
    // Flux's EndOfTurn repeats the eager transcript: it is not a second turn.
    tt.transcript({ type: 'final', text: 'my number is four one five five five five one two three four', atMs: 3300, endOfTurn: 'end' });
    assert.equal(turns.length, 1);
  });

  it('words after an eager end that already ended the turn make a turn of their own, without the words answered', () => {
    const { tt, clock, turns } = setup({ detector: 'flux' }, { recogniserEndsTurns: true });
    tt.transcript({ type: 'partial', text: 'yes', atMs: 0, endOfTurn: 'eager' });
    clock.to(200);
    assert.deepEqual(turns, ['yes@150']);
    tt.transcript({ type: 'partial', text: 'yes', atMs: 300, endOfTurn: 'resumed' });
    tt.transcript({ type: 'final', text: 'yes and also a reminder please', atMs: 2000, endOfTurn: 'end' });
    assert.deepEqual(turns, ['yes@150', 'and also a reminder please@200']);
  });

  it('a recogniser that never says EndOfTurn: the turn ends on what was heard after the max plus a margin', () => {
    const { tt, clock, turns } = setup({ detector: 'flux' }, { recogniserEndsTurns: true });
    tt.speechStart(0);
    tt.transcript({ type: 'partial', text: 'how much is it', atMs: 600 });
    clock.to(1000);
    tt.speechEnd(1000);
    clock.to(1000 + 3000 + 1499);
    assert.deepEqual(turns, []);
    clock.to(1000 + 4500);
    assert.deepEqual(turns, ['how much is it@5500']);
  });

  it('words that arrive only after the VAD\'s speech end still get the safety net', () => {
    const { tt, clock, turns } = setup({ detector: 'flux' }, { recogniserEndsTurns: true });
    tt.speechStart(0);
    clock.to(800);
    tt.speechEnd(800);
    clock.to(1000);
    tt.transcript({ type: 'partial', text: 'is it free', atMs: 1000 });
    clock.to(1000 + 4499);
    assert.deepEqual(turns, []);
    clock.to(1000 + 4500);
    assert.deepEqual(turns, ['is it free@5500']);
  });
});
