import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat, dbfs, splitFrames } from '../../src/audio/frame.ts';
import { createResampler, resample, Resampler } from '../../src/audio/resample.ts';
import { noise, tone, zeroCrossings } from './signals.ts';

/** The steady middle of a resampled signal (the ends ramp in and out with the filter). */
const middle = (pcm: Int16Array, rate: number) => pcm.subarray(rate / 20, pcm.length - rate / 20);

describe('resampling', () => {
  it('keeps a 1 kHz tone at 1 kHz going 48k → 16k → 8k', () => {
    const t48 = tone(1000, 1000, 48000);
    const t16 = resample(t48, 48000, 16000);
    const t8 = resample(t16, 16000, 8000);
    assert.equal(t16.length, 16000);
    assert.equal(t8.length, 8000);
    // One second of 1 kHz crosses zero ~2000 times, whatever the rate.
    for (const pcm of [t16, t8]) assert.ok(Math.abs(zeroCrossings(pcm) - 2000) <= 2, `${zeroCrossings(pcm)} crossings`);
    // …and keeps its level (passband gain ~0 dB).
    assert.ok(Math.abs(dbfs(middle(t8, 8000)) - dbfs(t48)) < 0.2);
  });

  it('attenuates a 6 kHz tone by at least 30 dB going 48k → 8k instead of folding it to 2 kHz', () => {
    const t6 = tone(6000, 1000, 48000);
    const out = middle(resample(t6, 48000, 8000), 8000);
    assert.ok(dbfs(out) - dbfs(t6) <= -30, `only ${(dbfs(out) - dbfs(t6)).toFixed(1)} dB down`);
  });

  it('passes speech-band frequencies and stops everything above the new Nyquist', () => {
    const gain = (f: number) => dbfs(middle(resample(tone(f, 500, 48000), 48000, 8000), 8000)) - dbfs(tone(f, 500, 48000));
    assert.ok(gain(300) > -0.2 && gain(3000) > -0.5, 'passband');
    assert.ok(gain(4500) < -60, 'stop band');
  });

  it('removes images when upsampling 8k → 48k', () => {
    const up = middle(resample(tone(1000, 500, 8000), 8000, 48000), 48000);
    // Without the low-pass, images of the tone would appear at 7, 9, 15… kHz: compare with a clean 48 kHz tone.
    const clean = middle(tone(1000, 500, 48000), 48000);
    let err = 0;
    for (let i = 0; i < clean.length; i++) err += (up[i] - clean[i]) ** 2;
    const errDb = 10 * Math.log10(err / clean.length / 32768 ** 2);
    assert.ok(errDb - dbfs(clean) < -50, `residual ${(errDb - dbfs(clean)).toFixed(1)} dB`);
  });

  it('streams 20 ms frames with the same output as one call on the whole signal (no clicks at joins)', () => {
    const signal = noise(1000, 48000, 0.3);
    const whole = resample(signal, 48000, 16000);
    const r = new Resampler(48000, 16000);
    const streamed = concat([...splitFrames(signal, 48000).map((f) => r.process(f)), r.flush()]);
    assert.deepEqual(streamed, whole);
  });

  it('converts between every pair of 8/16/24/48 kHz keeping length and frequency', () => {
    const rates = [8000, 16000, 24000, 48000];
    for (const from of rates) {
      for (const to of rates) {
        const out = resample(tone(1000, 500, from), from, to);
        assert.equal(out.length, to / 2, `${from}→${to} length`);
        assert.ok(Math.abs(zeroCrossings(out) - 1000) <= 2, `${from}→${to} frequency`);
      }
    }
  });

  it('keeps time alignment: an impulse comes out where it went in', () => {
    const impulse = new Int16Array(4800);
    impulse[2400] = 30000; // 50 ms
    const out = resample(impulse, 48000, 16000);
    const peak = out.indexOf(Math.max(...out));
    assert.equal(peak, 800);
  });

  it('gives a passthrough function for equal rates and a stateful one otherwise', () => {
    const same = createResampler(16000, 16000);
    const frame = tone(440, 20, 16000);
    assert.equal(same(frame), frame);
    const down = createResampler(16000, 8000);
    const total = splitFrames(tone(440, 1000, 16000), 16000).reduce((n, f) => n + down(f).length, 0);
    assert.ok(total > 7950 && total <= 8000, `${total} samples`);
  });

  it('rejects rates that are not positive integers', () => {
    assert.throws(() => new Resampler(0, 16000), RangeError);
    assert.throws(() => new Resampler(16000, 22050.5), RangeError);
  });
});
