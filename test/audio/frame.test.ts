import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat, dbfs, durationMs, Framer, fromFloat32, pcmFromBytes, bytesFromPcm, rms, samplesFor, silence, splitFrames, toFloat32 } from '../../src/audio/frame.ts';
import { tone } from './signals.ts';

describe('audio frames', () => {
  it('converts between samples and milliseconds', () => {
    assert.equal(samplesFor(20, 16000), 320);
    assert.equal(samplesFor(20, 8000), 160);
    assert.equal(durationMs(new Int16Array(480), 24000), 20);
    assert.equal(durationMs(48000, 48000), 1000);
  });

  it('joins chunks in order', () => {
    const joined = concat([Int16Array.of(1, 2), new Int16Array(0), Int16Array.of(3)]);
    assert.deepEqual([...joined], [1, 2, 3]);
  });

  it('makes silence of the asked length', () => {
    const s = silence(100, 8000);
    assert.equal(s.length, 800);
    assert.equal(dbfs(s), -Infinity);
  });

  it('cuts a signal into 20 ms frames without losing the remainder', () => {
    const frames = splitFrames(new Int16Array(16000 + 100), 16000);
    assert.equal(frames.length, 51);
    assert.ok(frames.slice(0, 50).every((f) => f.length === 320));
    assert.equal(frames[50].length, 100);
  });

  it('re-cuts a stream of odd chunks into exact frames', () => {
    const framer = new Framer(8000);
    const signal = Int16Array.from({ length: 1000 }, (_, i) => i);
    const frames = [...framer.push(signal.subarray(0, 70)), ...framer.push(signal.subarray(70, 555)), ...framer.push(signal.subarray(555))];
    assert.ok(frames.every((f) => f.length === 160));
    assert.equal(frames.length, 6);
    const last = framer.flush();
    assert.ok(last);
    assert.equal(last.length, 160);
    assert.deepEqual([...concat([...frames, last]).subarray(0, 1000)], [...signal]);
    assert.equal(framer.flush(), null);
  });

  it('measures level: a full-scale sine is −3 dBFS, half scale −9 dBFS', () => {
    assert.ok(Math.abs(dbfs(tone(1000, 100, 16000, 1)) + 3.01) < 0.05);
    assert.ok(Math.abs(dbfs(tone(1000, 100, 16000, 0.5)) + 9.03) < 0.05);
    assert.ok(Math.abs(rms(tone(440, 1000, 16000, 1)) - Math.SQRT1_2) < 0.001);
    assert.equal(rms(new Int16Array(0)), 0);
  });

  it('converts to floats and back without change, clipping out-of-range floats', () => {
    const pcm = Int16Array.of(-32768, -1, 0, 1, 32767);
    assert.deepEqual([...fromFloat32(toFloat32(pcm))], [...pcm]);
    assert.deepEqual([...fromFloat32(Float32Array.of(2, -2))], [32767, -32768]);
  });

  it('views bytes as samples, also from an odd byte offset', () => {
    const pcm = Int16Array.of(1, -2, 300);
    const bytes = new Uint8Array(7);
    bytes.set(bytesFromPcm(pcm), 1);
    assert.deepEqual([...pcmFromBytes(bytes.subarray(1))], [1, -2, 300]);
  });
});
