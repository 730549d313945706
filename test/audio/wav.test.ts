import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeWav, deinterleave, encodeWav, interleave, parseWavHeader, WavFormatError, wavHeader } from '../../src/audio/wav.ts';
import { tone } from './signals.ts';

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const ascii = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4));

describe('WAV', () => {
  it('writes the canonical 44-byte PCM16 header', () => {
    const pcm = tone(440, 100, 16000);
    const wav = encodeWav(pcm, { sampleRate: 16000 });
    const v = view(wav);
    assert.equal(wav.length, 44 + pcm.length * 2);
    assert.equal(ascii(wav, 0), 'RIFF');
    assert.equal(v.getUint32(4, true), wav.length - 8);
    assert.equal(ascii(wav, 8), 'WAVE');
    assert.equal(ascii(wav, 12), 'fmt ');
    assert.equal(v.getUint32(16, true), 16);
    assert.equal(v.getUint16(20, true), 1, 'PCM');
    assert.equal(v.getUint16(22, true), 1, 'channels');
    assert.equal(v.getUint32(24, true), 16000, 'sample rate');
    assert.equal(v.getUint32(28, true), 32000, 'byte rate');
    assert.equal(v.getUint16(32, true), 2, 'block align');
    assert.equal(v.getUint16(34, true), 16, 'bits');
    assert.equal(ascii(wav, 36), 'data');
    assert.equal(v.getUint32(40, true), pcm.length * 2);
    assert.equal(v.getInt16(44 + 2 * 5, true), pcm[5], 'samples little-endian');
  });

  it('round-trips mono and stereo audio', () => {
    const mono = tone(440, 50, 8000);
    assert.deepEqual(decodeWav(encodeWav(mono, { sampleRate: 8000 })), { sampleRate: 8000, channels: 1, pcm: mono });
    const left = tone(300, 50, 48000);
    const right = tone(700, 50, 48000, 0.2);
    const stereo = decodeWav(encodeWav(interleave(left, right), { sampleRate: 48000, channels: 2 }));
    assert.equal(stereo.channels, 2);
    assert.equal(stereo.sampleRate, 48000);
    assert.equal(view(encodeWav(interleave(left, right), { sampleRate: 48000, channels: 2 })).getUint16(32, true), 4, 'block align');
    assert.deepEqual(deinterleave(stereo.pcm, 2), [left, right]);
  });

  it('skips chunks it does not know and reads WAVE_FORMAT_EXTENSIBLE', () => {
    const pcm = Int16Array.of(1, -2, 3);
    const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0])); // odd size, padded
    const fmt = new Uint8Array(8 + 40);
    fmt.set([...'fmt '].map((c) => c.charCodeAt(0)));
    const f = view(fmt);
    f.setUint32(4, 40, true);
    f.setUint16(8, 0xfffe, true);
    f.setUint16(10, 1, true);
    f.setUint32(12, 22050, true);
    f.setUint32(16, 44100, true);
    f.setUint16(20, 2, true);
    f.setUint16(22, 16, true);
    f.setUint16(32, 1, true); // sub-format GUID starts with PCM
    const data = encodeWav(pcm, { sampleRate: 22050 }).subarray(36);
    const body = [...'WAVE'].map((c) => c.charCodeAt(0));
    const bytes = new Uint8Array([...'RIFF'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0], body, [...list], [...fmt], [...data]));
    assert.deepEqual(decodeWav(bytes), { sampleRate: 22050, channels: 1, pcm });
  });

  it('parses a header from a stream prefix: null until the data chunk begins', () => {
    const wav = encodeWav(new Int16Array(10), { sampleRate: 16000 });
    assert.equal(parseWavHeader(wav.subarray(0, 20)), null);
    assert.equal(parseWavHeader(wav.subarray(0, 43)), null);
    assert.deepEqual(parseWavHeader(wav.subarray(0, 44)), { sampleRate: 16000, channels: 1, dataOffset: 44, dataBytes: 20 });
  });

  it('treats a 0 or 0xFFFFFFFF data size as "until the end" (streamed WAV)', () => {
    const pcm = Int16Array.of(5, 6, 7);
    const wav = encodeWav(pcm, { sampleRate: 16000 });
    view(wav).setUint32(40, 0xffffffff, true);
    assert.equal(parseWavHeader(wav)?.dataBytes, null);
    assert.deepEqual(decodeWav(wav).pcm, pcm);
  });

  it('reads a truncated file up to the last whole sample', () => {
    const wav = encodeWav(Int16Array.of(1, 2, 3, 4), { sampleRate: 16000 });
    assert.deepEqual([...decodeWav(wav.subarray(0, wav.length - 3)).pcm], [1, 2]);
  });

  it('rejects what is not PCM16 WAV', () => {
    assert.throws(() => decodeWav(new TextEncoder().encode('RIFF\0\0\0\0AVI LIST')), WavFormatError);
    const float = encodeWav(new Int16Array(4), { sampleRate: 16000 });
    view(float).setUint16(20, 3, true);
    assert.throws(() => decodeWav(float), /only PCM16/);
    assert.equal(wavHeader({ sampleRate: 8000, channels: 1, dataBytes: 0 }).length, 44);
  });
});
