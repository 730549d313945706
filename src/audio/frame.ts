// Audio in Parley is mono PCM16 (`Int16Array`) with an explicit sample rate. The loop works in
// 20 ms frames: small enough for barge-in to feel instant, large enough to keep per-frame
// overhead (events, socket messages) low. These helpers are the arithmetic everyone repeats.

/** A stretch of mono PCM16 audio and the rate it was sampled at. */
export interface AudioFrame {
  pcm: Int16Array;
  sampleRate: number;
}

/** The frame length the real-time loop uses. */
export const FRAME_MS = 20;

/** How many samples `ms` milliseconds hold at `sampleRate` (rounded to the nearest sample). */
export function samplesFor(ms: number, sampleRate: number): number {
  return Math.round((ms * sampleRate) / 1000);
}

/** Duration in milliseconds of `pcm` (or of a sample count) at `sampleRate`. */
export function durationMs(pcm: Int16Array | number, sampleRate: number): number {
  const n = typeof pcm === 'number' ? pcm : pcm.length;
  return (n * 1000) / sampleRate;
}

/** Joins chunks into one array. */
export function concat(chunks: readonly Int16Array[]): Int16Array {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Int16Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** `ms` milliseconds of digital silence. */
export function silence(ms: number, sampleRate: number): Int16Array {
  return new Int16Array(samplesFor(ms, sampleRate));
}

/** Cuts `pcm` into frames of `frameMs` (20 ms by default); the last one may be shorter, so no audio is lost. */
export function splitFrames(pcm: Int16Array, sampleRate: number, frameMs = FRAME_MS): Int16Array[] {
  const size = frameSize(sampleRate, frameMs);
  const frames: Int16Array[] = [];
  for (let i = 0; i < pcm.length; i += size) frames.push(pcm.subarray(i, i + size));
  return frames;
}

/** Re-cuts a stream of arbitrary chunks into exact frames, keeping the remainder between pushes. */
export class Framer {
  readonly frameSize: number;
  #rest = new Int16Array(0);

  constructor(sampleRate: number, frameMs = FRAME_MS) {
    this.frameSize = frameSize(sampleRate, frameMs);
  }

  /** Whole frames now complete (copies: callers may keep them). */
  push(pcm: Int16Array): Int16Array[] {
    const all = this.#rest.length ? concat([this.#rest, pcm]) : pcm;
    const frames: Int16Array[] = [];
    let i = 0;
    for (; i + this.frameSize <= all.length; i += this.frameSize) frames.push(all.slice(i, i + this.frameSize));
    this.#rest = all.slice(i);
    return frames;
  }

  /** The incomplete last frame, zero-padded to a whole frame (or null when nothing is left). */
  flush(): Int16Array | null {
    if (!this.#rest.length) return null;
    const frame = new Int16Array(this.frameSize);
    frame.set(this.#rest);
    this.#rest = new Int16Array(0);
    return frame;
  }
}

/** Root-mean-square level as a fraction of full scale (0 for silence, ~0.707 for a full-scale sine). */
export function rms(pcm: Int16Array): number {
  if (!pcm.length) return 0;
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += pcm[i] * pcm[i];
  return Math.sqrt(sum / pcm.length) / 32768;
}

/** Level in dB relative to full scale; -Infinity for digital silence. */
export function dbfs(pcm: Int16Array): number {
  const r = rms(pcm);
  return r > 0 ? 20 * Math.log10(r) : -Infinity;
}

/** PCM16 → floats in [-1, 1), the form DSP and models (Silero) work in. */
export function toFloat32(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 32768;
  return out;
}

/** Floats in [-1, 1] → PCM16, rounded and clipped. */
export function fromFloat32(samples: Float32Array | Float64Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = clip16(samples[i] * 32768);
  return out;
}

/** Rounds to the nearest PCM16 value, clipping instead of wrapping. */
export function clip16(x: number): number {
  const r = Math.round(x);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** Reinterprets little-endian PCM16 bytes as samples (copies when the bytes are not 2-aligned). */
export function pcmFromBytes(bytes: Uint8Array): Int16Array {
  const n = bytes.length >> 1;
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, n);
  return new Int16Array(bytes.slice(0, n * 2).buffer);
}

/** The little-endian bytes of `pcm` (a view, no copy). */
export function bytesFromPcm(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

function frameSize(sampleRate: number, frameMs: number): number {
  const size = samplesFor(frameMs, sampleRate);
  if (size < 1) throw new RangeError(`a ${frameMs} ms frame at ${sampleRate} Hz holds no samples`);
  return size;
}

/** Little-endian PCM16 from byte chunks that may split a sample (vendor audio streams). */
export class Pcm16Decoder {
  #carry: number | undefined;

  decode(bytes: Uint8Array): Int16Array {
    let all = bytes;
    if (this.#carry !== undefined) {
      all = new Uint8Array(bytes.length + 1);
      all[0] = this.#carry;
      all.set(bytes, 1);
    }
    const n = all.length >> 1;
    this.#carry = all.length % 2 ? all[all.length - 1] : undefined;
    const out = new Int16Array(n);
    const v = new DataView(all.buffer, all.byteOffset, n * 2);
    for (let i = 0; i < n; i++) out[i] = v.getInt16(i * 2, true);
    return out;
  }
}
