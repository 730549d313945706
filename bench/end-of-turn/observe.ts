import { setTimeout as sleep } from 'node:timers/promises';
import { splitFrames } from '../../src/audio/frame.ts';
import { GatedVoiceActivity, VoiceActivityPool } from '../../src/audio/gated-vad.ts';
import { createSileroVad, DEFAULT_VOICE_ACTIVITY, type VoiceActivity } from '../../src/audio/vad.ts';
import { createPocketsphinxStt } from '../../src/speech/stt/pocketsphinx.ts';
import type { Utterance } from './synth.ts';

// What the live session would see of one utterance, on the audio clock: the VAD's decisions (at
// the moment it returns them, as the session takes them) and pocketsphinx's final lines (at the
// audio time pushed when each line arrived). Pocketsphinx is fed in real time, 20 ms a frame, so
// its own delays (its 500 ms end-of-utterance silence, its search) land as they would on a call.

const RATE = 16000;
const FRAME_MS = 20;

/** The timeline of one utterance: `vad` from Silero alone, `gatedVad` from the noise gate in front of it (what the server runs). */
export interface Observed {
  vad: { type: 'speech-start' | 'speech-end'; atMs: number }[];
  gatedVad?: { type: 'speech-start' | 'speech-end'; atMs: number }[];
  sphinx: { text: string; atMs: number }[];
}

const pool = new VoiceActivityPool(() => createSileroVad(DEFAULT_VOICE_ACTIVITY), { minSilenceMs: DEFAULT_VOICE_ACTIVITY.minSilenceMs });

/** VAD events, decided frame by frame (no pacing needed: the VAD has no wall-clock part). */
export function voiceActivity(u: Utterance, kind: 'silero' | 'gated' = 'silero'): Observed['vad'] {
  const vad: VoiceActivity = kind === 'gated' ? new GatedVoiceActivity(pool) : createSileroVad(DEFAULT_VOICE_ACTIVITY);
  const out: Observed['vad'] = [];
  let pushed = 0;
  for (const f of splitFrames(u.pcm, RATE, FRAME_MS)) {
    pushed += f.length;
    for (const e of vad.push(f)) out.push({ type: e.type, atMs: (pushed * 1000) / RATE });
  }
  for (const e of vad.flush()) out.push({ type: e.type, atMs: (pushed * 1000) / RATE });
  vad.close();
  return out;
}

/** Pocketsphinx's finals for the utterance, fed at real-time pace. */
export async function pocketsphinxFinals(u: Utterance): Promise<Observed['sphinx']> {
  const stt = createPocketsphinxStt();
  const ac = new AbortController();
  const stream = stt.stream({ language: 'en', signal: ac.signal });
  const finals: Observed['sphinx'] = [];
  let pushedMs = 0;
  const reading = (async () => {
    for await (const e of stream) if (e.type === 'final') finals.push({ text: e.text, atMs: pushedMs });
  })();
  const t0 = performance.now();
  for (const f of splitFrames(u.pcm, RATE, FRAME_MS)) {
    const due = t0 + pushedMs - performance.now();
    if (due > 0) await sleep(due);
    stream.push(f);
    pushedMs += (f.length * 1000) / RATE;
  }
  stream.end();
  await reading;
  ac.abort();
  return finals;
}
