import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replayCommand, simulateSeeds, type PoolReport } from './pool.ts';
import { quietWorld } from './world.ts';

// The voice session under deterministic simulation: seeded random callers, providers and limits
// drive the real VoiceSession and Conversation on virtual clocks (test/simulation/call.ts checks
// the invariants). `npm run bench:simulation` runs 100,000; this runs 2,000 on every test run.

const SEEDS = Number(process.env.PARLEY_SIM_SEEDS ?? 2000);

const explain = (r: PoolReport) => r.failures.map((f) => `seed ${f.seed}: ${f.violations.join('; ')}\n  replay: ${replayCommand(f.seed)}`).join('\n');

describe('the voice session under simulation', () => {
  it('the wrap-up coming due while the silence reprompt plays ends the call at its limit (it froze the server)', async () => {
    // listen.silenceReprompt 8 s, limits.maxDurationSec 10 s: the wrap-up is due at 9 s, while
    // "Are you still there?" is still playing. The old session spun on a settled promise here.
    const r = await simulateSeeds([quietWorld({ seed: -1, maxDurationSec: 10, silenceReprompt: 8, silenceEnd: 30 })], { threads: 1 });
    assert.equal(explain(r), '');
    assert.deepEqual(r.endReasons, { 'time limit': 1 });
  });

  it('the same with the reprompt, the wrap-up and the limit all landing on top of each other', async () => {
    const worlds = [7.5, 8, 8.5, 9, 9.5, 10].map((reprompt, i) => quietWorld({ seed: -10 - i, maxDurationSec: 10, silenceReprompt: reprompt, silenceEnd: 10 }));
    const r = await simulateSeeds(worlds, { threads: 2 });
    assert.equal(explain(r), '');
    assert.equal(r.calls, worlds.length);
  });

  it('notices a frozen event loop, names the seed and goes on with the next', async () => {
    const frozen = quietWorld({ seed: -2, voices: [{ msPerChar: 60, firstAudioMs: 0, behaviours: ['spins'] }] });
    const r = await simulateSeeds([frozen, quietWorld({ seed: -3, maxDurationSec: 5 })], { threads: 1, batch: 2, frozenAfterMs: 1500 });
    assert.equal(r.failures.length, 1);
    assert.equal(r.failures[0]!.seed, -2);
    assert.match(r.failures[0]!.violations[0]!, /frozen/);
    assert.equal(r.calls, 2, 'the call after the frozen one still ran');
  });

  it('the seeds the 100,000-call bench once failed replay clean', async () => {
    // 2049: a turn cancelled while its documents were searched kept the model answering after the
    // hang-up; 39479: the wrap-up recorded while a barge-in's cut-back was still pending took the cut.
    const r = await simulateSeeds([2049, 5772, 22306, 39479, 93721], { threads: 2 });
    assert.equal(explain(r), '');
  });

  it(`${SEEDS} seeded random calls keep every invariant`, async () => {
    const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);
    const r = await simulateSeeds(seeds, { threads: 2 });
    assert.equal(explain(r), '');
    assert.equal(r.calls, SEEDS);
    // The schedules reach every way a call can end, so the invariants were tried on each.
    for (const reason of ['time limit', 'caller hung up', 'silence', 'agent ended', 'speech failed', 'speech recognition failed']) assert.ok(r.endReasons[reason], `no simulated call ended by "${reason}": ${JSON.stringify(r.endReasons)}`);
  });
});

