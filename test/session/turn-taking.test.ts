import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnTaking, type Timers, type TurnSettings } from '../../src/session/voice/turn-taking.ts';

/** A clock the test moves by hand: timers fire only when advance() passes them. */
function manualClock() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set: (fn, ms) => (pending.set(++seq, { at: now + ms, fn }), seq),
    clear: (h) => void pending.delete(h as number),
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const next = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      pending.delete(next[0]);
      now = next[1].at;
      next[1].fn();
    }
    now = until;
  };
  return { timers, advance, now: () => now };
}

const SETTINGS: TurnSettings = { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 3000, minInterruptionMs: 500, minInterruptionWords: 1, backchannels: ['mm-hmm', 'uh-huh', 'yeah', 'okay', 'right'], falseInterruptionTimeoutMs: 1500 };

function setup() {
  const clock = manualClock();
  const log: string[] = [];
  const tt = new TurnTaking(SETTINGS, {
    turn: (text) => log.push(`turn:${text}@${clock.now()}`),
    pause: () => log.push(`pause@${clock.now()}`),
    resume: () => log.push(`resume@${clock.now()}`),
    interrupt: () => log.push(`interrupt@${clock.now()}`),
  }, clock.timers);
  return { tt, log, clock };
}

describe('endpointing', () => {
  it('ends a finished-sounding turn after the minimum delay', () => {
    const { tt, log, clock } = setup();
    tt.speechStart(0);
    clock.advance(1200);
    tt.transcript({ type: 'final', text: 'What does the audit cost?', atMs: 1200 });
    clock.advance(100);
    tt.speechEnd(1300);
    clock.advance(499);
    assert.deepEqual(log, []);
    clock.advance(1);
    assert.deepEqual(log, ['turn:What does the audit cost?@1800']);
  });

  it('waits the maximum delay when the words trail off, and a new start cancels it', () => {
    const { tt, log, clock } = setup();
    tt.speechStart(0);
    tt.transcript({ type: 'final', text: 'I want to book a call and', atMs: 900 });
    clock.advance(1000);
    tt.speechEnd(1000);
    clock.advance(2000);
    assert.deepEqual(log, []);
    tt.speechStart(3000);
    tt.transcript({ type: 'final', text: 'maybe tomorrow.', atMs: 3500 });
    clock.advance(600);
    tt.speechEnd(3600);
    clock.advance(500);
    assert.deepEqual(log, ['turn:I want to book a call and maybe tomorrow.@4100']);
  });
});

describe('interruptions while the agent speaks', () => {
  it('pauses after the minimum speech, and real words confirm the interruption', () => {
    const { tt, log, clock } = setup();
    tt.agentSpeaking(true);
    tt.speechStart(0);
    clock.advance(500);
    assert.deepEqual(log, ['pause@500']);
    tt.transcript({ type: 'partial', text: 'wait', atMs: 600 });
    assert.deepEqual(log, ['pause@500', 'interrupt@500']);
    tt.transcript({ type: 'final', text: 'wait, how much is it?', atMs: 900 });
    clock.advance(500);
    tt.speechEnd(1000);
    clock.advance(500);
    assert.equal(log.at(-1), 'turn:wait, how much is it?@1500');
  });

  it('a backchannel ("mm-hmm") neither pauses for long nor interrupts nor makes a turn', () => {
    const { tt, log, clock } = setup();
    tt.agentSpeaking(true);
    tt.speechStart(0);
    clock.advance(300);
    tt.transcript({ type: 'final', text: 'Mm-hmm.', atMs: 300 });
    tt.speechEnd(350);
    clock.advance(5000);
    assert.deepEqual(log, []);
  });

  it('noise with no words pauses, then resumes the agent', () => {
    const { tt, log, clock } = setup();
    tt.agentSpeaking(true);
    tt.speechStart(0);
    clock.advance(700);
    tt.speechEnd(700);
    clock.advance(1500);
    assert.deepEqual(log, ['pause@500', 'resume@2200']);
  });

  it('after the agent stops, "yeah" is an ordinary turn', () => {
    const { tt, log, clock } = setup();
    tt.agentSpeaking(false);
    tt.speechStart(0);
    clock.advance(400);
    tt.transcript({ type: 'final', text: 'Yeah.', atMs: 400 });
    clock.advance(50);
    tt.speechEnd(450);
    clock.advance(500);
    assert.deepEqual(log, ['turn:Yeah.@950']);
  });
});
