import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MULAW_DECODE_TABLE, mulawDecode, mulawDecodeSample, mulawEncode, mulawEncodeSample } from '../../src/audio/mulaw.ts';
import { tone } from './signals.ts';

/** ITU-T G.191 reference ulaw_compress, transcribed as literally as possible. */
function g191Compress(x: number): number {
  let absno = x < 0 ? (~x >> 2) + 33 : (x >> 2) + 33;
  if (absno > 0x1fff) absno = 0x1fff;
  let i = absno >> 6;
  let segno = 1;
  while (i !== 0) {
    segno++;
    i >>= 1;
  }
  const high = 0x0008 - segno;
  const low = 0x000f - ((absno >> segno) & 0x000f);
  let out = (high << 4) | low;
  if (x >= 0) out |= 0x0080;
  return out;
}

describe('G.711 μ-law', () => {
  it('encodes every PCM16 value exactly like the G.191 reference', () => {
    for (let x = -32768; x <= 32767; x++) {
      if (mulawEncodeSample(x) !== g191Compress(x)) assert.fail(`${x}: ${mulawEncodeSample(x)} ≠ ${g191Compress(x)}`);
    }
  });

  it('has the standard code values', () => {
    assert.equal(mulawEncodeSample(0), 0xff);
    assert.equal(mulawEncodeSample(-1), 0x7f);
    assert.equal(mulawEncodeSample(32767), 0x80);
    assert.equal(mulawEncodeSample(-32768), 0x00);
    assert.equal(mulawEncodeSample(1000), 0xce);
    assert.equal(mulawEncodeSample(-1000), 0x4e);
    assert.equal(mulawDecodeSample(0x00), -32124);
    assert.equal(mulawDecodeSample(0x80), 32124);
    assert.equal(mulawDecodeSample(0xff), 0);
    assert.equal(mulawDecodeSample(0x7f), 0);
    assert.equal(mulawDecodeSample(0xce), 988);
    assert.equal(mulawDecodeSample(0x4e), -988);
  });

  it('decodes to the table of segment midpoints, symmetric and monotonic', () => {
    for (let c = 0; c < 128; c++) assert.equal(MULAW_DECODE_TABLE[c] + MULAW_DECODE_TABLE[c | 0x80], 0);
    for (let c = 0x80; c < 0xff; c++) assert.ok(MULAW_DECODE_TABLE[c] > MULAW_DECODE_TABLE[c + 1]);
  });

  it('round-trips every value within half a step: |error| ≤ (|x| + 132) / 32', () => {
    // Steps double per segment, so the error bound grows with the magnitude (plus μ-law's bias of 132).
    for (let x = -32124; x <= 32124; x++) {
      const y = mulawDecodeSample(mulawEncodeSample(x));
      if (Math.abs(y - x) > (Math.abs(x) + 132) / 32) assert.fail(`${x} → ${y}`);
    }
  });

  it('keeps a speech-level tone at ~38 dB signal-to-noise', () => {
    const pcm = tone(1000, 100, 8000, 0.3);
    const back = mulawDecode(mulawEncode(pcm));
    let signal = 0;
    let error = 0;
    for (let i = 0; i < pcm.length; i++) {
      signal += pcm[i] ** 2;
      error += (pcm[i] - back[i]) ** 2;
    }
    const snr = 10 * Math.log10(signal / error);
    assert.ok(snr > 35, `SNR ${snr.toFixed(1)} dB`);
    assert.equal(mulawEncode(pcm).length, pcm.length);
  });
});
