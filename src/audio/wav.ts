// RIFF WAV, PCM16 only: what recordings are stored as, what test fixtures and local engines
// (flite) produce, and what cloud voices can return. Little-endian throughout, like the format.

/** What a WAV file holds, besides its samples. */
export interface WavFormat {
  sampleRate: number;
  channels: number;
}

/** Decoded WAV audio: samples interleaved when there is more than one channel. */
export interface WavAudio extends WavFormat {
  pcm: Int16Array;
}

/** Where the samples start in a WAV byte stream, and how many bytes of them the header promises. */
export interface WavHeader extends WavFormat {
  dataOffset: number;
  /** Bytes of sample data; null when the header does not know (streamed WAV with a 0 or 0xFFFFFFFF size). */
  dataBytes: number | null;
}

/** The WAV file was not PCM16 or not a WAV file at all. */
export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

const HEADER_BYTES = 44;
const FORMAT_PCM = 1;
const FORMAT_EXTENSIBLE = 0xfffe;

/** The canonical 44-byte header for PCM16 audio of `dataBytes` bytes. */
export function wavHeader(o: WavFormat & { dataBytes: number }): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const v = new DataView(bytes.buffer);
  const blockAlign = o.channels * 2;
  ascii(bytes, 0, 'RIFF');
  v.setUint32(4, 36 + o.dataBytes, true);
  ascii(bytes, 8, 'WAVE');
  ascii(bytes, 12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, FORMAT_PCM, true);
  v.setUint16(22, o.channels, true);
  v.setUint32(24, o.sampleRate, true);
  v.setUint32(28, o.sampleRate * blockAlign, true);
  v.setUint16(32, blockAlign, true);
  v.setUint16(34, 16, true);
  ascii(bytes, 36, 'data');
  v.setUint32(40, o.dataBytes, true);
  return bytes;
}

/** A complete WAV file of `pcm` (interleaved when stereo). */
export function encodeWav(pcm: Int16Array, o: { sampleRate: number; channels?: number }): Uint8Array {
  const channels = o.channels ?? 1;
  if (pcm.length % channels) throw new RangeError(`${pcm.length} samples do not divide into ${channels} channels`);
  const header = wavHeader({ sampleRate: o.sampleRate, channels, dataBytes: pcm.byteLength });
  const out = new Uint8Array(HEADER_BYTES + pcm.byteLength);
  out.set(header);
  const v = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) v.setInt16(HEADER_BYTES + 2 * i, pcm[i], true);
  return out;
}

/**
 * Reads the header from the start of a WAV byte stream. Returns null while more bytes are needed
 * (so it works on a stream's first chunks); throws WavFormatError when it is not PCM16 WAV.
 */
export function parseWavHeader(bytes: Uint8Array): WavHeader | null {
  if (bytes.length < 12) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (text(bytes, 0, 4) !== 'RIFF' || text(bytes, 8, 4) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  let format: WavFormat | null = null;
  let at = 12;
  for (;;) {
    if (at + 8 > bytes.length) return null;
    const id = text(bytes, at, 4);
    const size = v.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk comes before the fmt chunk');
      return { ...format, dataOffset: body, dataBytes: size === 0 || size === 0xffffffff ? null : size };
    }
    if (body + size > bytes.length) return null;
    if (id === 'fmt ') format = readFormat(v, body, size);
    at = body + size + (size & 1); // chunks are word-aligned
  }
}

/** Decodes a whole WAV file (PCM16, any channel count). */
export function decodeWav(bytes: Uint8Array): WavAudio {
  const header = parseWavHeader(bytes);
  if (!header) throw new WavFormatError('truncated WAV header');
  const available = bytes.length - header.dataOffset;
  const dataBytes = Math.min(header.dataBytes ?? available, available);
  const frameBytes = 2 * header.channels;
  const n = Math.floor(dataBytes / frameBytes) * header.channels;
  const v = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, n * 2);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = v.getInt16(2 * i, true);
  return { sampleRate: header.sampleRate, channels: header.channels, pcm };
}

/** Interleaves two equally long mono signals into L/R stereo. */
export function interleave(left: Int16Array, right: Int16Array): Int16Array {
  if (left.length !== right.length) throw new RangeError('channels differ in length');
  const out = new Int16Array(left.length * 2);
  for (let i = 0; i < left.length; i++) {
    out[2 * i] = left[i];
    out[2 * i + 1] = right[i];
  }
  return out;
}

/** Splits interleaved samples into one array per channel. */
export function deinterleave(pcm: Int16Array, channels: number): Int16Array[] {
  const frames = Math.floor(pcm.length / channels);
  const out = Array.from({ length: channels }, () => new Int16Array(frames));
  for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) out[c][i] = pcm[i * channels + c];
  return out;
}

function readFormat(v: DataView, at: number, size: number): WavFormat {
  if (size < 16) throw new WavFormatError('fmt chunk too short');
  let tag = v.getUint16(at, true);
  const channels = v.getUint16(at + 2, true);
  const sampleRate = v.getUint32(at + 4, true);
  const bits = v.getUint16(at + 14, true);
  // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
  if (tag === FORMAT_EXTENSIBLE && size >= 26) tag = v.getUint16(at + 24, true);
  if (tag !== FORMAT_PCM || bits !== 16) throw new WavFormatError(`only PCM16 WAV is supported (format ${tag}, ${bits} bits)`);
  if (channels < 1 || sampleRate < 1) throw new WavFormatError('WAV has no channels or no sample rate');
  return { sampleRate, channels };
}

function ascii(bytes: Uint8Array, at: number, s: string): void {
  for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i);
}

function text(bytes: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + n));
}
