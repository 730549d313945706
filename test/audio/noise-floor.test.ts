import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NoiseFloor } from '../../src/audio/noise-floor.ts';

describe('the background level a noise gate follows', () => {
  it('starts at the first frame, but never above its cap', () => {
    assert.equal(new NoiseFloor(-35).update(-45, 20), -45);
    assert.equal(new NoiseFloor(-35).update(-20, 20), -35, 'a call that opens mid-sentence');
    assert.equal(new NoiseFloor(-35).update(-Infinity, 20), -100, 'digital silence');
  });

  it('drops at once to a quieter frame and rises slowly, faster in the first second', () => {
    const f = new NoiseFloor(-35);
    f.update(-60, 20);
    for (let ms = 20; ms < 1000; ms += 20) f.update(-20, 20); // loud for the rest of the first second: 30 dB/s
    assert.ok(Math.abs(f.db - (-60 + 0.98 * 30)) < 1e-9, `learning: ${f.db}`);
    f.update(-70, 20);
    assert.equal(f.db, -70, 'a pause brings it straight down');
    for (let ms = 0; ms < 1000; ms += 20) f.update(-20, 20); // then 5 dB/s
    assert.ok(Math.abs(f.db - -65) < 1e-9, `after learning: ${f.db}`);
  });

  it('never rises above the audio, and not at all while speech is in progress', () => {
    const f = new NoiseFloor(-35);
    f.update(-50, 20);
    for (let i = 0; i < 200; i++) f.update(-48, 20);
    assert.equal(f.db, -48);
    for (let i = 0; i < 200; i++) f.update(-20, 20, true);
    assert.equal(f.db, -48, 'held');
    f.update(-55, 20, true);
    assert.equal(f.db, -55, 'but still follows quieter audio down');
  });

  it('forgets everything on reset', () => {
    const f = new NoiseFloor(-35);
    f.update(-40, 20);
    f.reset();
    assert.equal(f.db, -100);
    assert.equal(f.update(-30, 20), -35);
  });
});
