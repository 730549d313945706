import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGLISH_LINES } from '../../src/session/fixed-lines.ts';
import type { CallResult } from '../simulation/call.ts';
import { simulateSeeds } from '../simulation/pool.ts';
import { quietWorld, type CallerAction } from '../simulation/world.ts';

const { cannotHear: CANNOT_HEAR, silenceGoodbye: GOODBYE, stillThere: REPROMPT, timeUp: TIME_UP, wrapUp: WRAP_UP } = ENGLISH_LINES;

// Voice-session behaviours that depend on time, run on the simulator's virtual clock (in a worker
// with a freeze watchdog), so seconds of silence cost milliseconds and nothing races the wall clock.

const GREETING = 'Hi, this is Ada from Acme. How can I help?';
const speak = (atMs: number, words: string, durationMs = 1200): CallerAction => ({ atMs, kind: 'speak', words, durationMs, recognised: 'final', sttLatencyMs: 200 });
const LONG_REPLY = 'Our process has three steps: an intro call, an audit and a plan. Most clients see results within a month.';

async function call(world: Parameters<typeof quietWorld>[0]): Promise<CallResult> {
  const r = await simulateSeeds([quietWorld(world)], { threads: 1, keepResults: true });
  assert.deepEqual(r.failures, []);
  return r.results[0]!;
}

describe('voice session timing (virtual clock)', () => {
  it('a silent caller hears one reprompt, then the goodbye, and the call ends by silence', async () => {
    const r = await call({ seed: -101, silenceReprompt: 5, silenceEnd: 12, maxDurationSec: 120 });
    assert.equal(r.endReason, 'silence');
    assert.deepEqual(r.agentTurns, [GREETING, REPROMPT, GOODBYE]);
  });

  it("the greeting's caption reaches the door once, whole, even when the caller talks over it", async () => {
    const quiet = await call({ seed: -102, maxDurationSec: 20 });
    assert.equal(quiet.captions.filter((c) => c.startsWith('Hi, this')).length, 1);
    assert.equal(quiet.captions[0], GREETING);
    const bargeIn = await call({ seed: -105, maxDurationSec: 20, caller: [speak(700, 'How much is the audit?')], replies: [{ text: 'The audit costs 2,400 euros.' }] });
    const greetingCaptions = bargeIn.captions.filter((c) => GREETING.startsWith(c) && c);
    assert.equal(greetingCaptions.length, 1, `captions: ${JSON.stringify(bargeIn.captions)}`);
    assert.ok(greetingCaptions[0]!.length < GREETING.length, 'the caption ends where the caller stopped hearing');
  });

  it('the wrap-up waits for the reply in flight, then the limit cuts in with the goodbye', async () => {
    // 60 s limit: the wrap-up is due at 54 s, while the reply to the question at 51 s is playing.
    const r = await call({ seed: -106, maxDurationSec: 60, silenceReprompt: 100, silenceEnd: 200, caller: [speak(51000, 'Tell me about your process.')], replies: [{ firstPartMs: 500, text: 'Our process has three steps.' }] });
    assert.equal(r.endReason, 'time limit');
    assert.deepEqual(r.agentTurns, [GREETING, 'Our process has three steps.', WRAP_UP, TIME_UP]);
    assert.deepEqual(r.captions, r.agentTurns, 'every line was heard to its end, each captioned once');
  });

  it('a recogniser that goes deaf is noticed and reopened; the call goes on', async () => {
    const caller = [speak(7000, 'Hello?'), speak(10000, 'Can you hear me?'), speak(14000, 'Hello?'), speak(30000, 'How much is the audit?')];
    const r = await call({ seed: -103, maxDurationSec: 60, silenceReprompt: 40, silenceEnd: 50, caller, ears: { kind: 'goes-deaf', atMs: 5000, again: false }, replies: [{ text: 'The audit costs 2,400 euros.' }] });
    assert.ok(r.errors.some((e) => /stt:sim:stt: the recogniser sent no words/.test(e)), r.errors.join('\n'));
    assert.ok(r.agentTurns.includes('The audit costs 2,400 euros.'), 'the reopened recogniser heard the next question');
  });

  it('a recogniser deaf again after reopening: the agent says it cannot hear and ends', async () => {
    const caller = [7000, 10000, 14000, 17000, 20000, 24000].map((t) => speak(t, 'Hello?'));
    const r = await call({ seed: -104, maxDurationSec: 60, silenceReprompt: 40, silenceEnd: 50, caller, ears: { kind: 'goes-deaf', atMs: 5000, again: true } });
    assert.equal(r.endReason, 'speech recognition failed');
    assert.equal(r.agentTurns.at(-1), CANNOT_HEAR);
  });

  it('a recogniser that closes its stream mid-call is reopened like one that errors', async () => {
    const r = await call({ seed: -107, maxDurationSec: 30, silenceReprompt: 40, silenceEnd: 50, caller: [speak(8000, 'How much is the audit?')], ears: { kind: 'closes', atMs: 4000, again: false }, replies: [{ text: 'The audit costs 2,400 euros.' }] });
    assert.ok(r.errors.some((e) => /closed its stream/.test(e)), r.errors.join('\n'));
    assert.ok(r.agentTurns.includes('The audit costs 2,400 euros.'));
  });

  it('a model that never answers: the agent apologises within responseTimeoutMs and the call goes on', async () => {
    const r = await call({ seed: -108, maxDurationSec: 40, responseTimeoutMs: 3000, caller: [speak(4000, 'How much is the audit?')], replies: [{ firstPartMs: Infinity, text: 'never' }] });
    assert.ok(r.agentTurns.some((t) => /having trouble answering/.test(t)), JSON.stringify(r.agentTurns));
    assert.ok(r.errors.some((e) => /no response within 3000 ms/.test(e)), r.errors.join('\n'));
  });

  it('barge-in: the reply stops, the record and the history keep only the words the caller heard', async () => {
    // The reply starts about 2.4 s in and takes about 6 s to say; the caller cuts in at 5 s.
    const r = await call({ seed: -109, maxDurationSec: 60, caller: [speak(500, 'Tell me about your process.'), speak(5000, 'How much is the audit?')], replies: [{ text: LONG_REPLY }, { text: 'The audit costs 2,400 euros.' }] });
    const cut = r.agentRecord[1]!;
    assert.equal(cut.text, LONG_REPLY);
    assert.equal(cut.interrupted, true);
    assert.ok(cut.heard.length > 0 && cut.heard.length < LONG_REPLY.length && LONG_REPLY.startsWith(cut.heard), `heard "${cut.heard}"`);
    assert.ok(r.captions.includes(cut.heard), 'the caption ends where the caller stopped hearing');
    assert.equal(r.agentRecord[2]!.text, 'The audit costs 2,400 euros.');
  });

  it('"mm-hmm" while the agent talks does not interrupt; a cough pauses it and it plays on', async () => {
    const caller: CallerAction[] = [speak(500, 'Tell me about your process.'), speak(4000, 'mm-hmm', 400), { atMs: 6000, kind: 'noise', durationMs: 300 }];
    const r = await call({ seed: -110, maxDurationSec: 60, caller, replies: [{ text: LONG_REPLY }] });
    const reply = r.agentRecord[1]!;
    assert.deepEqual([reply.interrupted, reply.heard], [false, LONG_REPLY]);
    assert.equal(r.captions[1], LONG_REPLY);
  });
});
