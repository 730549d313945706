// Speech benchmark: how much faster than real time the local engines run on this machine.
// flite speaks a few sentences; pocketsphinx recognises the same audio; the Silero VAD and the
// resampler process it too. Speed is given both ways: "× real time" = audio seconds per
// processing second (higher is better), and RTF = processing / audio (lower is better).
// A last pass feeds pocketsphinx at real-time pace to measure what a caller waits for: the time
// from the end of their words to the final transcript. Prints a table, then JSON on the last line.
// Run: npm run bench:speech   (options: --rounds N --paced N)
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { concat, dbfs, silence, splitFrames } from '../../src/audio/frame.ts';
import { Resampler, resample } from '../../src/audio/resample.ts';
import { createSileroVad } from '../../src/audio/vad.ts';
import { PocketsphinxStt } from '../../src/speech/stt/pocketsphinx.ts';
import { FliteTts } from '../../src/speech/tts/flite.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, paced: { type: 'string', default: '3' } } });
const ROUNDS = Number(values.rounds);
const PACED = Number(values.paced);
const SENTENCES = [
  'Thanks for calling, how can I help you today?',
  'I would like to book an intro call for tomorrow afternoon.',
  'An audit takes two weeks and ends with a call where we walk you through every finding.',
  'My name is John Smith and my email is john at example dot com.',
  'Is there an open slot on Friday at three?',
];
const RATE = 16000;
const signal = AbortSignal.timeout(10 * 60_000);

const tts = new FliteTts();
const stt = new PocketsphinxStt();

// flite: whole sentence, start to last chunk; and time to first audio.
const audio: Int16Array[] = [];
let ttsAudioS = 0;
let ttsWallS = 0;
const firstAudioMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, sentence] of SENTENCES.entries()) {
    const chunks: Int16Array[] = [];
    const t0 = performance.now();
    for await (const c of tts.speak(once(sentence), { voice: { speed: 1 }, signal })) {
      if (!chunks.length) firstAudioMs.push(performance.now() - t0);
      chunks.push(c);
    }
    ttsWallS += (performance.now() - t0) / 1000;
    const pcm = concat(chunks);
    ttsAudioS += pcm.length / RATE;
    if (round === 0) audio[i] = pcm;
  }
}

// pocketsphinx: start-up alone (empty stream), then every sentence with 1 s of silence after it.
let startupMs = 0;
for (let round = 0; round < ROUNDS; round++) {
  const t0 = performance.now();
  const s = stt.stream({ language: 'en', signal });
  s.end();
  for await (const _ of s);
  startupMs += (performance.now() - t0) / ROUNDS;
}
const session = concat(audio.flatMap((a) => [a, silence(1000, RATE)]));
const sessionS = session.length / RATE;
let sttWallS = 0;
let recognised: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const t0 = performance.now();
  const s = stt.stream({ language: 'en', signal });
  for (const f of splitFrames(session, RATE)) s.push(f);
  s.end();
  recognised = [];
  for await (const e of s) recognised.push(e.text);
  sttWallS += (performance.now() - t0) / 1000 - startupMs / 1000;
}

// Silero VAD and the resampler over the same audio.
const vadS = timeS(() => {
  const vad = createSileroVad();
  for (const f of splitFrames(session, RATE)) vad.push(f);
  vad.flush();
});
const mic48k = resample(session, RATE, 48000);
const resampleS = timeS(() => {
  const r = new Resampler(48000, RATE);
  for (const f of splitFrames(mic48k, 48000)) r.process(f);
  r.flush();
});

// What a caller waits for: audio pushed at real-time pace, from the end of the words to the final.
const finalLatencyMs: number[] = [];
for (let i = 0; i < PACED; i++) {
  const words = audio[i % audio.length];
  const s = stt.stream({ language: 'en', signal });
  const frames = splitFrames(concat([silence(300, RATE), words, silence(2000, RATE)]), RATE);
  // The words end at the last frame louder than −50 dBFS (flite adds a quiet tail after them).
  const wordsEndAt = frames.findLastIndex((f) => dbfs(f) > -50) + 1;
  let wordsEnded = 0;
  const got = (async () => {
    for await (const e of s) if (e.type === 'final') return performance.now();
    return NaN;
  })();
  // Warm-up: let the model load before the caller starts talking, as a session opens STT early.
  await new Promise((r) => setTimeout(r, Math.max(1000, startupMs * 1.5)));
  const start = performance.now();
  for (const [n, f] of frames.entries()) {
    await new Promise((r) => setTimeout(r, Math.max(0, start + n * 20 - performance.now())));
    s.push(f);
    if (n === wordsEndAt - 1) wordsEnded = performance.now();
  }
  finalLatencyMs.push((await got) - wordsEnded);
  s.end();
  for await (const _ of s);
}

const result = {
  bench: 'speech',
  machine: `${cpus()[0]?.model ?? 'unknown cpu'} ×${cpus().length}, Node ${process.versions.node}`,
  sentences: SENTENCES.length,
  rounds: ROUNDS,
  flite: { audioS: round(ttsAudioS), processingS: round(ttsWallS), xRealTime: round(ttsAudioS / ttsWallS), rtf: round(ttsWallS / ttsAudioS, 4), firstAudioMedianMs: round(median(firstAudioMs)) },
  pocketsphinx: { audioS: round(sessionS * ROUNDS), processingS: round(sttWallS), xRealTime: round((sessionS * ROUNDS) / sttWallS), rtf: round(sttWallS / (sessionS * ROUNDS), 4), startupMs: round(startupMs), finalAfterWordsMs: finalLatencyMs.map((ms) => round(ms)) },
  sileroVad: { audioS: round(sessionS), processingS: round(vadS, 4), xRealTime: round(sessionS / vadS) },
  resample48kTo16k: { audioS: round(sessionS), processingS: round(resampleS, 4), xRealTime: round(sessionS / resampleS) },
  recognised,
};

console.log(`speech benchmark — ${result.machine}`);
console.log(table([
  ['engine', '× real time', 'RTF', 'notes'],
  ['flite (rms, 16 kHz)', `${result.flite.xRealTime}×`, `${result.flite.rtf}`, `first audio ${result.flite.firstAudioMedianMs} ms (median, one sentence)`],
  ['pocketsphinx', `${result.pocketsphinx.xRealTime}×`, `${result.pocketsphinx.rtf}`, `start-up ${result.pocketsphinx.startupMs} ms (not counted); final ${result.pocketsphinx.finalAfterWordsMs.join(' / ')} ms after the words (real-time pace)`],
  ['Silero VAD', `${result.sileroVad.xRealTime}×`, `${round(1 / result.sileroVad.xRealTime, 5)}`, ''],
  ['resample 48→16 kHz', `${result.resample48kTo16k.xRealTime}×`, `${round(1 / result.resample48kTo16k.xRealTime, 5)}`, '20 ms frames'],
]));
for (const [i, text] of recognised.entries()) console.log(`  heard ${i + 1}: ${text}`);
console.log(JSON.stringify(result));

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

function timeS(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n');
}
