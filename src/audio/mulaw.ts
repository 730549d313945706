// G.711 μ-law, the codec of the phone network (Twilio Media Streams send and expect it at 8 kHz).
// Bit-exact with the ITU-T G.191 reference (g711.c, ulaw_compress/ulaw_expand): 14-bit input,
// negatives taken in one's complement, bias 33, and a decode table of segment midpoints.
//
// Why not the `alawmulaw` package: it differs from the reference on 127 negative inputs (each
// one exactly on a decision boundary), and its ESM entry does not load in Node.

/** Decoded value of every μ-law byte (0x00 → −32124, 0x80 → 32124, 0x7F and 0xFF → 0). */
export const MULAW_DECODE_TABLE: Int16Array = buildDecodeTable();

/** Encodes one PCM16 sample as a μ-law byte. */
export function mulawEncodeSample(sample: number): number {
  // G.191 works on 14 bits; one's complement for negatives keeps the code symmetric around −0.5.
  let magnitude = (sample < 0 ? ~sample : sample) >> 2;
  magnitude += 33;
  if (magnitude > 0x1fff) magnitude = 0x1fff;
  let segment = 1;
  for (let i = magnitude >> 6; i !== 0; i >>= 1) segment++;
  const high = 8 - segment;
  const low = 0xf - ((magnitude >> segment) & 0xf);
  const code = (high << 4) | low;
  return sample >= 0 ? code | 0x80 : code;
}

/** Decodes one μ-law byte to a PCM16 sample. */
export function mulawDecodeSample(code: number): number {
  return MULAW_DECODE_TABLE[code & 0xff];
}

/** Encodes PCM16 samples to μ-law bytes (one byte per sample). */
export function mulawEncode(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = mulawEncodeSample(pcm[i]);
  return out;
}

/** Decodes μ-law bytes to PCM16 samples. */
export function mulawDecode(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = MULAW_DECODE_TABLE[bytes[i]];
  return out;
}

function buildDecodeTable(): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) {
    const sign = code < 0x80 ? -1 : 1;
    const inverted = ~code;
    const exponent = (inverted >> 4) & 0x7;
    const mantissa = inverted & 0xf;
    const step = 4 << (exponent + 1);
    table[code] = sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
  }
  return table;
}
