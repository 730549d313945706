import { concat, dbfs, silence, splitFrames } from '../../src/audio/frame.ts';
import { FliteTts } from '../../src/speech/tts/flite.ts';

// Real speech for tests, made by flite (Debian `flite`), with the known place of the words in it.

/** Speech padded with silence, and where the voice really starts and stops in it. */
export interface Spoken {
  pcm: Int16Array;
  sampleRate: number;
  /** First and last 10 ms louder than −50 dBFS: where the voice is, in ms from the start. */
  speechStartMs: number;
  speechEndMs: number;
}

/** `text` spoken by flite at 16 kHz, with `beforeMs` and `afterMs` of digital silence around it. */
export async function spoken(text: string, o: { voice?: string; beforeMs?: number; afterMs?: number; signal?: AbortSignal } = {}): Promise<Spoken> {
  const tts = new FliteTts();
  const chunks: Int16Array[] = [];
  for await (const c of tts.speak(single(text), { voice: { speed: 1, voiceId: o.voice }, signal: o.signal ?? AbortSignal.timeout(30_000) })) chunks.push(c);
  const voice = concat(chunks);
  const before = o.beforeMs ?? 1000;
  let first = -1;
  let last = -1;
  splitFrames(voice, tts.sampleRate, 10).forEach((frame, i) => {
    if (dbfs(frame) > -50) {
      if (first < 0) first = i;
      last = i;
    }
  });
  if (first < 0) throw new Error(`flite said nothing audible for "${text}"`);
  return {
    pcm: concat([silence(before, tts.sampleRate), voice, silence(o.afterMs ?? 1000, tts.sampleRate)]),
    sampleRate: tts.sampleRate,
    speechStartMs: before + first * 10,
    speechEndMs: before + (last + 1) * 10,
  };
}

/** An AsyncIterable of one string. */
export async function* single(text: string): AsyncGenerator<string> {
  yield text;
}
