// Test signals: pure tones and deterministic noise, and ways to measure them.

/** A sine tone of `freq` Hz, `ms` long, at `amplitude` (fraction of full scale). */
export function tone(freq: number, ms: number, sampleRate: number, amplitude = 0.5): Int16Array {
  const n = Math.round((ms * sampleRate) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * freq * i) / sampleRate));
  return out;
}

/** Seeded white noise (uniform), so runs are repeatable. */
export function noise(ms: number, sampleRate: number, amplitude = 0.1, seed = 1): Int16Array {
  const n = Math.round((ms * sampleRate) / 1000);
  const out = new Int16Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.round(amplitude * 32767 * ((s / 2 ** 32) * 2 - 1));
  }
  return out;
}

/** Sign changes: a tone of f Hz over d seconds has about 2·f·d of them at any sample rate. */
export function zeroCrossings(pcm: Int16Array): number {
  let count = 0;
  for (let i = 1; i < pcm.length; i++) if (pcm[i - 1] < 0 !== pcm[i] < 0) count++;
  return count;
}
