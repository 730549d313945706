import { clip16 } from './frame.ts';

// Sample-rate conversion between the rates the doors and engines use (8 kHz phone, 16 kHz
// recognisers, 24/48 kHz browsers and cloud voices). A windowed-sinc polyphase filter: the
// rational ratio up/down = to/from is exact, each output sample is a dot product of nearby input
// samples with one of `up` precomputed filter phases, and the low-pass cut-off sits below the
// lower Nyquist so nothing above it folds back into the band (aliasing is what makes naive
// decimation sound metallic).
//
// Why not libsamplerate-js (the design's first choice)? It works offline in Node, but `create()`
// is async and instantiates a separate 2 MB WebAssembly module per converter (10–40 ms here),
// while the session builds resamplers synchronously per door and per voice. This file is
// synchronous, dependency-free and measures ~80 dB stop-band rejection.
//
// The resampler is a streaming object: it keeps the tail of the input between chunks, so
// 20 ms frames join without clicks and the output is exactly what one call on the whole signal
// would give. Output is time-aligned with input (the filter is centred, not delayed); the cost is
// that each chunk's last few milliseconds (half the filter) come out with the next chunk.

/** Stop-band attenuation the Kaiser window is designed for. */
const ATTENUATION_DB = 80;
const KAISER_BETA = 0.1102 * (ATTENUATION_DB - 8.7);
/** −6 dB point of the low-pass, as a fraction of the lower sample rate (0.5 would be Nyquist). */
const CUTOFF = 0.45;
/** Half the filter length in samples of the lower rate: gives a 0.4–0.5 transition band at 80 dB. */
const HALF_WIDTH = 26;
/** Largest coefficient table we build (odd rate pairs like 44100→16000 need 160 phases). */
const MAX_TABLE = 4_000_000;

/** Converts a stream of PCM16 chunks from one sample rate to another, keeping state between chunks. */
export class Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  #up: number;
  #down: number;
  #half: number;
  #taps: number;
  #table: Float32Array;
  // Input history as floats; #start is the stream index of #buf[0] (negative at first: zero history).
  #buf = new Float32Array(0);
  #len = 0;
  #start = 0;
  /** Input samples received since the stream began (or since the last flush). */
  #received = 0;
  /** Outputs produced so far; output n sits at input time n * down / up = #base + #phase / up. */
  #produced = 0;
  #base = 0;
  #phase = 0;

  constructor(fromRate: number, toRate: number) {
    for (const r of [fromRate, toRate]) {
      if (!Number.isInteger(r) || r <= 0) throw new RangeError(`sample rate must be a positive integer, got ${r}`);
    }
    this.fromRate = fromRate;
    this.toRate = toRate;
    const g = gcd(fromRate, toRate);
    this.#up = toRate / g;
    this.#down = fromRate / g;
    // Width is set in the lower rate's samples, so downsampling filters span more input.
    const lowerToInput = Math.min(1, toRate / fromRate);
    this.#half = Math.ceil(HALF_WIDTH / lowerToInput);
    this.#taps = 2 * this.#half;
    if (this.#up * this.#taps > MAX_TABLE) throw new RangeError(`resampling ${fromRate}→${toRate} Hz needs too large a filter table`);
    this.#table = buildTable(this.#up, this.#half, CUTOFF * lowerToInput);
    this.reset();
  }

  /** Resamples the next chunk; returns the output that is complete so far (may be empty). */
  process(pcm: Int16Array): Int16Array {
    if (this.#up === this.#down) return pcm.slice();
    this.#append(pcm);
    this.#received += pcm.length;
    return this.#drain(Infinity);
  }

  /** Ends the stream: returns the held-back tail (as if silence followed) and starts afresh. */
  flush(): Int16Array {
    if (this.#up === this.#down) return new Int16Array(0);
    // Every output whose time lies inside the input: n * down / up < received.
    const total = Math.ceil((this.#received * this.#up) / this.#down);
    this.#append(new Int16Array(this.#half + 1));
    const out = this.#drain(total);
    this.reset();
    return out;
  }

  /** Forgets all history (e.g. after a barge-in cleared the audio). */
  reset(): void {
    this.#buf = new Float32Array(1024 + this.#taps);
    this.#len = this.#half - 1; // zeros before the first sample, so output 0 is centred on input 0
    this.#start = -(this.#half - 1);
    this.#received = 0;
    this.#produced = 0;
    this.#base = 0;
    this.#phase = 0;
  }

  #append(pcm: Int16Array): void {
    // Drop history no longer needed by the next output before growing.
    const keepFrom = this.#base - this.#half + 1 - this.#start;
    if (keepFrom > 0) {
      this.#buf.copyWithin(0, keepFrom, this.#len);
      this.#len -= keepFrom;
      this.#start += keepFrom;
    }
    if (this.#len + pcm.length > this.#buf.length) {
      const grown = new Float32Array(Math.max(this.#buf.length * 2, this.#len + pcm.length));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    for (let i = 0; i < pcm.length; i++) this.#buf[this.#len + i] = pcm[i] / 32768;
    this.#len += pcm.length;
  }

  /** Produces outputs while their whole filter window is buffered, up to `limit` outputs in total. */
  #drain(limit: number): Int16Array {
    const available = this.#start + this.#len; // stream index one past the newest input
    const out = new Int16Array(Math.max(0, Math.ceil(((available - this.#base) * this.#up) / this.#down) + 1));
    let k = 0;
    const buf = this.#buf;
    const table = this.#table;
    const taps = this.#taps;
    while (this.#produced < limit && this.#base + this.#half < available) {
      const first = this.#base - this.#half + 1 - this.#start;
      const row = this.#phase * taps;
      let acc = 0;
      for (let j = 0; j < taps; j++) acc += buf[first + j] * table[row + j];
      out[k++] = clip16(acc * 32768);
      this.#produced++;
      this.#phase += this.#down;
      while (this.#phase >= this.#up) {
        this.#phase -= this.#up;
        this.#base++;
      }
    }
    return out.slice(0, k);
  }
}

/** Resamples a whole signal in one go (the stream's output plus its flushed tail). */
export function resample(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return pcm.slice();
  const r = new Resampler(fromRate, toRate);
  const head = r.process(pcm);
  const tail = r.flush();
  const out = new Int16Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/** A chunk-by-chunk converter function, the shape the session asks for (`ResamplerFactory`). */
export function createResampler(fromRate: number, toRate: number): (pcm: Int16Array) => Int16Array {
  if (fromRate === toRate) return (pcm) => pcm;
  const r = new Resampler(fromRate, toRate);
  return (pcm) => r.process(pcm);
}

/**
 * Coefficients for `up` phases × 2·half taps. Phase p serves outputs at fractional input time
 * base + p/up and tap j multiplies input sample base − half + 1 + j.
 */
function buildTable(up: number, half: number, cutoff: number): Float32Array {
  const taps = 2 * half;
  const table = new Float32Array(up * taps);
  const i0beta = besselI0(KAISER_BETA);
  for (let p = 0; p < up; p++) {
    const frac = p / up;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const t = j - half + 1 - frac; // distance from the output's time, in input samples
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = t / half;
      const window = Math.abs(w) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - w * w)) / i0beta;
      const h = 2 * cutoff * sinc * window;
      table[p * taps + j] = h;
      sum += h;
    }
    // Unit gain at DC for every phase, so a constant signal stays constant (no phase ripple).
    for (let j = 0; j < taps; j++) table[p * taps + j] /= sum;
  }
  return table;
}

/** Zeroth-order modified Bessel function of the first kind (Kaiser window), by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
