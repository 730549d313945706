import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat } from '../../src/audio/frame.ts';
import { StereoRecording } from '../../src/audio/stereo-recording.ts';
import { deinterleave } from '../../src/audio/wav.ts';
import { tone, zeroCrossings } from './signals.ts';

const RATE = 1000; // 1 sample per ms keeps the arithmetic readable
const run = (value: number, ms: number) => new Int16Array(ms).fill(value);
const channels = (pcm: Int16Array) => deinterleave(pcm, 2).map((c) => [...c]);

describe('stereo recording', () => {
  it('puts the caller left and the agent right, each at its session time', () => {
    const rec = new StereoRecording(RATE);
    rec.add('caller', run(1, 3), RATE, 0);
    rec.add('agent', run(2, 2), RATE, 5);
    const [left, right] = channels(rec.take());
    assert.deepEqual(left, [1, 1, 1, 0, 0, 0, 0]);
    assert.deepEqual(right, [0, 0, 0, 0, 0, 2, 2]);
  });

  it('appends chunks whose times jitter a little, so frames join without gaps or cuts', () => {
    const rec = new StereoRecording(RATE, { slackMs: 3 });
    rec.add('caller', run(1, 10), RATE, 0);
    rec.add('caller', run(2, 10), RATE, 12); // 2 ms late: still contiguous
    rec.add('caller', run(3, 10), RATE, 18); // 2 ms early: still contiguous
    const [left] = channels(rec.take());
    assert.deepEqual(left, [...run(1, 10), ...run(2, 10), ...run(3, 10)]);
  });

  it('leaves silence for a real gap and overwrites from an earlier start (audio cleared at a barge-in)', () => {
    const rec = new StereoRecording(RATE, { slackMs: 2 });
    rec.add('agent', run(5, 10), RATE, 0); // queued
    rec.add('agent', run(6, 3), RATE, 4); // what really played after the clear at 4 ms
    rec.add('agent', run(7, 2), RATE, 20);
    const [, right] = channels(rec.take());
    assert.deepEqual(right, [5, 5, 5, 5, 6, 6, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 7]);
  });

  it('hands out the recording in pieces; the pieces join to the whole', () => {
    const whole = new StereoRecording(RATE, { slackMs: 1 });
    const pieces = new StereoRecording(RATE, { slackMs: 1 });
    const taken: Int16Array[] = [];
    for (let t = 0; t < 100; t += 10) {
      for (const rec of [whole, pieces]) {
        rec.add('caller', run(t + 1, 10), RATE, t);
        if (t % 30 === 0) rec.add('agent', run(-t - 1, 15), RATE, t + 2);
      }
      taken.push(pieces.take(t + 5));
    }
    taken.push(pieces.take());
    assert.deepEqual(concat(taken), whole.take());
    assert.equal(whole.durationMs, 107); // the last agent chunk: 92 ms + 15 ms
  });

  it('resamples a side recorded at another rate, continuously across chunks', () => {
    const rec = new StereoRecording(16000);
    const agent24k = tone(500, 1000, 24000);
    for (let i = 0; i < agent24k.length; i += 480) rec.add('agent', agent24k.subarray(i, i + 480), 24000, i / 24);
    const [, right] = deinterleave(rec.finish(), 2);
    assert.equal(right.length, 16000);
    assert.ok(Math.abs(zeroCrossings(right) - 1000) <= 2);
  });
});
