import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { concat, dbfs, silence, splitFrames } from '../../src/audio/frame.ts';
import { decodeWav } from '../../src/audio/wav.ts';
import { seededRandom } from '../../src/testing/seeded-random.ts';
import type { CallerTurn } from './corpus.ts';

// Speaks the labelled callers: each `|`-separated piece synthesised on its own by a flite or
// espeak-ng voice at a chosen rate, joined with real (digital) silences of chosen lengths, with
// leading silence (the recogniser warms up meanwhile) and trailing silence (the caller is done).

const run = promisify(execFile);
const RATE = 16000;
export const LEAD_MS = 1500;
export const TRAIL_MS = 2500;

/** A voice: flite (voice, duration stretch) or espeak-ng (voice, words per minute). */
export type Voice = { engine: 'flite'; voice: string; stretch: number } | { engine: 'espeak-ng'; voice: string; wpm: number };

const VOICES: Voice[] = [
  { engine: 'flite', voice: 'rms', stretch: 1 },
  { engine: 'flite', voice: 'rms', stretch: 1.2 },
  { engine: 'flite', voice: 'slt', stretch: 0.9 },
  { engine: 'flite', voice: 'slt', stretch: 1.1 },
  { engine: 'flite', voice: 'awb', stretch: 1 },
  { engine: 'flite', voice: 'kal16', stretch: 1.15 },
  { engine: 'espeak-ng', voice: 'en-us', wpm: 150 },
  { engine: 'espeak-ng', voice: 'en-us', wpm: 185 },
  { engine: 'espeak-ng', voice: 'en-gb', wpm: 135 },
  { engine: 'espeak-ng', voice: 'en-us+f3', wpm: 165 },
];

/** One spoken caller turn, with where each piece of speech really is. */
export interface Utterance {
  id: string;
  turn: CallerTurn;
  voice: string;
  pcm: Int16Array;
  /** Each piece's words and its audible start and end, ms from the start of the audio. */
  pieces: { words: string; startMs: number; endMs: number }[];
  /** Where the caller really finished: the audible end of the last piece. */
  endMs: number;
}

/** The utterances: every text spoken by `renditions` voices, pauses drawn from a seeded mix. */
export function plan(corpus: CallerTurn[], renditions = 2, seed = 19): Array<{ id: string; turn: CallerTurn; voice: Voice; pausesMs: number[] }> {
  const rnd = seededRandom(seed);
  const out = [];
  for (const [i, turn] of corpus.entries()) {
    for (let r = 0; r < renditions; r++) {
      const voice = VOICES[(i * renditions + r * 3) % VOICES.length]!;
      const pausesMs = turn.text.split('|').slice(1).map(() => pauseMs(rnd()));
      out.push({ id: `${String(i).padStart(3, '0')}-${r}`, turn, voice, pausesMs });
    }
  }
  return out;
}

/** Pauses inside a turn: 40 % short (300–700 ms), 40 % medium (0.7–1.3 s), 20 % long (1.3–2.2 s). */
function pauseMs(u: number): number {
  if (u < 0.4) return Math.round(300 + (u / 0.4) * 400);
  if (u < 0.8) return Math.round(700 + ((u - 0.4) / 0.4) * 600);
  return Math.round(1300 + ((u - 0.8) / 0.2) * 900);
}

/** Synthesises one planned utterance. */
export async function speak(p: ReturnType<typeof plan>[number]): Promise<Utterance> {
  const dir = await mkdtemp(join(tmpdir(), 'eot-'));
  try {
    const parts: Int16Array[] = [silence(LEAD_MS, RATE)];
    const pieces: Utterance['pieces'] = [];
    let at = LEAD_MS;
    const texts = p.turn.text.split('|').map((s) => s.trim());
    for (const [i, words] of texts.entries()) {
      const voice = await synth(words, p.voice, join(dir, `${i}.wav`));
      const { first, last } = audible(voice);
      pieces.push({ words, startMs: at + first, endMs: at + last });
      parts.push(voice);
      at += (voice.length * 1000) / RATE;
      const pause = i < texts.length - 1 ? p.pausesMs[i]! : TRAIL_MS;
      parts.push(silence(pause, RATE));
      at += pause;
    }
    const label = p.voice.engine === 'flite' ? `flite ${p.voice.voice} x${p.voice.stretch}` : `espeak-ng ${p.voice.voice} ${p.voice.wpm} wpm`;
    return { id: p.id, turn: p.turn, voice: label, pcm: concat(parts), pieces, endMs: pieces.at(-1)!.endMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function synth(text: string, v: Voice, wav: string): Promise<Int16Array> {
  const raw = `${wav}.src.wav`;
  if (v.engine === 'flite') await run('flite', ['-voice', v.voice, '--setf', `duration_stretch=${v.stretch}`, '-t', text, '-o', raw]);
  else await run('espeak-ng', ['-v', v.voice, '-s', String(v.wpm), '-w', raw, text]);
  await run('sox', [raw, '-r', String(RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', wav]);
  const audio = decodeWav(new Uint8Array(await readFile(wav)));
  return audio.pcm;
}

/** First and last audible 10 ms (louder than −50 dBFS), in ms from the start of `pcm`. */
function audible(pcm: Int16Array): { first: number; last: number } {
  let first = -1;
  let last = -1;
  splitFrames(pcm, RATE, 10).forEach((f, i) => {
    if (dbfs(f) > -50) {
      if (first < 0) first = i;
      last = i;
    }
  });
  if (first < 0) throw new Error('synthesised nothing audible');
  return { first: first * 10, last: (last + 1) * 10 };
}
