// What the VAD stage alone costs per caller, for each way of running it, on the same audio in the
// same run: CPU time (not wall time, so a machine shared with other work still compares options
// fairly), the Silero detectors it needed (each ~10 MB of RSS), and the speech it found.
//   node --expose-gc bench/voice-concurrency/vad-cost.ts [streams=100] [seconds=12]
//   env: NOISE_DB=-45,-66  NOISE=steady,fluctuating  OPTIONS=silero,fixed,adaptive,ends
// Each stream is a caller at NOISE_DB background (white noise; `fluctuating` changes its level by up
// to ±6 dB every 100–400 ms, like clatter in a café) who speaks flite sentences over it about a
// third of the time. Streams are pushed frame by frame, interleaved (every stream's frame k, then
// k + 1), as fast as they go.
import { clip16, splitFrames } from '../../src/audio/frame.ts';
import { GatedVoiceActivity, VoiceActivityPool } from '../../src/audio/gated-vad.ts';
import { createSileroVad, DEFAULT_VOICE_ACTIVITY, type VoiceActivity } from '../../src/audio/vad.ts';
import { spoken } from '../../test/speech/spoken.ts';

const N = Number(process.argv[2] ?? 100);
const SECONDS = Number(process.argv[3] ?? 12);
const NOISE_DBS = (process.env.NOISE_DB ?? '-45,-66').split(',').map(Number);
const NOISES = (process.env.NOISE ?? 'steady,fluctuating').split(',') as ('steady' | 'fluctuating')[];
// silero: one detector per caller on every frame; fixed: the fixed gate in front of a pool;
// adaptive: the gate that follows the caller's background; ends: adaptive, and the gate also leaves
// quiet inside speech out of Silero and ends the segment itself (shipped).
const OPTIONS = (process.env.OPTIONS ?? 'silero,fixed,adaptive,ends').split(',') as ('silero' | 'fixed' | 'adaptive' | 'ends')[];
const FRAME = 320;
const settings = { ...DEFAULT_VOICE_ACTIVITY, minSilenceMs: 300 };

let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

const sentences = await Promise.all(
  ['What is the weather like in Paris today?', 'Can I book a call for tomorrow afternoon?', 'My email is john at example dot com.', 'How much does the audit cost?'].map(async (t, i) =>
    splitFrames((await spoken(t, { voice: ['rms', 'slt', 'awb', 'rms'][i], beforeMs: 0, afterMs: 0 })).pcm, 16000),
  ),
);

/** One caller's audio: background with sentences over it, about a third of the time speech. */
function caller(noiseDb: number, kind: 'steady' | 'fluctuating'): Int16Array[] {
  const frames: Int16Array[] = [];
  const total = (SECONDS * 1000) / 20;
  let levelDb = noiseDb;
  let nextChange = 0;
  let speech: Int16Array[] = [];
  let gap = Math.floor(rand() * 150); // first words after 0–3 s
  while (frames.length < total) {
    if (kind === 'fluctuating' && frames.length >= nextChange) {
      levelDb = noiseDb + (rand() * 12 - 6);
      nextChange = frames.length + 5 + Math.floor(rand() * 15);
    }
    const amp = 32768 * 10 ** (levelDb / 20) * Math.sqrt(3);
    const words = gap-- <= 0 && speech.length ? speech.shift() : undefined;
    if (gap < 0 && !speech.length && !words) {
      speech = [...sentences[Math.floor(rand() * sentences.length)]!];
      gap = 60 + Math.floor(rand() * 140); // 1.2–4 s of background after it
    }
    frames.push(Int16Array.from({ length: FRAME }, (_, j) => clip16((words?.[j] ?? 0) + (rand() * 2 - 1) * amp)));
  }
  return frames;
}

type Row = { option: string; noise: string; cpu_us_per_stream_s: number; core_pct_per_stream: number; streams_per_core_vad_only: number; detectors: number; lent_avg: number; lent_max: number; segments: number; rss_mb_delta: number };
const rows: Row[] = [];
const gc = (globalThis as { gc?: () => void }).gc;
createSileroVad(settings).close(); // load the addon before any measurement

for (const noiseDb of NOISE_DBS) {
  for (const kind of NOISES) {
    const audio = Array.from({ length: N }, () => caller(noiseDb, kind));
    for (const option of OPTIONS) {
      gc?.();
      const rss0 = process.memoryUsage().rss;
      // Making a detector (~100 ms, loading the model) is a start-up cost a server pays ahead
      // (PARLEY_VAD_WARM); it is taken out of the CPU time, and the detectors made are counted.
      let makeUs = 0;
      const pool = new VoiceActivityPool(() => {
        const c = process.cpuUsage();
        const v = createSileroVad(settings);
        const d = process.cpuUsage(c);
        makeUs += d.user + d.system;
        return v;
      }, { maxIdle: N, minSilenceMs: settings.minSilenceMs });
      const gate = { fixed: { floorMarginDb: null, endBelowGate: false }, adaptive: { endBelowGate: false }, ends: {}, silero: {} }[option];
      const vads: VoiceActivity[] = audio.map(() => (option === 'silero' ? createSileroVad(settings) : new GatedVoiceActivity(pool, gate)));
      let segments = 0;
      let lentSum = 0;
      let lentMax = 0;
      const frames = audio[0]!.length;
      const cpu0 = process.cpuUsage();
      for (let k = 0; k < frames; k++) {
        for (let i = 0; i < N; i++) for (const e of vads[i]!.push(audio[i]![k]!)) if (e.type === 'speech-start') segments++;
        lentSum += pool.lent;
        lentMax = Math.max(lentMax, pool.lent);
      }
      const cpu = process.cpuUsage(cpu0);
      const rss = process.memoryUsage().rss - rss0;
      for (const v of vads) v.close();
      const usPerStreamS = (cpu.user + cpu.system - makeUs) / N / SECONDS;
      rows.push({
        option,
        noise: `${noiseDb} dBFS ${kind}`,
        cpu_us_per_stream_s: Math.round(usPerStreamS),
        core_pct_per_stream: +(usPerStreamS / 1e4).toFixed(3),
        streams_per_core_vad_only: Math.round(1e6 / usPerStreamS),
        detectors: option === 'silero' ? N : pool.created,
        lent_avg: option === 'silero' ? N : +(lentSum / frames).toFixed(1),
        lent_max: option === 'silero' ? N : lentMax,
        segments,
        rss_mb_delta: +(rss / 1e6).toFixed(1),
      });
      pool.close();
      console.error(JSON.stringify(rows.at(-1)));
    }
  }
}

console.log(`${N} streams × ${SECONDS} s, interleaved; CPU time of the VAD stage only`);
console.log('| option | background | CPU per stream | streams per core (VAD alone) | Silero detectors needed (lent on average) | speech segments found |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.option} | ${r.noise} | ${r.core_pct_per_stream} % of a core | ${r.streams_per_core_vad_only} | ${r.lent_max} (${r.lent_avg}) | ${r.segments} |`);
console.log(JSON.stringify({ N, SECONDS, rows }));
