import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat, silence, splitFrames } from '../../src/audio/frame.ts';
import { resample, Resampler } from '../../src/audio/resample.ts';
import { createSileroVad, type VoiceActivityEvent } from '../../src/audio/vad.ts';
import { PocketsphinxStt } from '../../src/speech/stt/pocketsphinx.ts';
import { spoken } from './spoken.ts';

// A real round trip through the local engines: flite speaks, the audio arrives the way a
// browser microphone sends it (48 kHz, 20 ms frames), is resampled frame by frame to 16 kHz
// and goes to the Silero VAD and pocketsphinx together, as in a voice session.

/** The listening half of a session: 48 kHz frames in; VAD events and recognised text out. */
async function listen(mic48k: Int16Array): Promise<{ vad: VoiceActivityEvent[]; finals: string[] }> {
  const to16k = new Resampler(48000, 16000);
  const vad = createSileroVad();
  const stt = new PocketsphinxStt().stream({ language: 'en', signal: AbortSignal.timeout(30_000) });
  const events: VoiceActivityEvent[] = [];
  for (const frame of [...splitFrames(mic48k, 48000).map((f) => to16k.process(f)), to16k.flush()]) {
    events.push(...vad.push(frame));
    stt.push(frame);
  }
  events.push(...vad.flush());
  stt.end();
  const finals: string[] = [];
  for await (const e of stt) if (e.type === 'final') finals.push(e.text);
  return { vad: events, finals };
}

describe('round trip: flite → 48 kHz mic → resampler → Silero VAD + pocketsphinx', { timeout: 60_000 }, () => {
  it('hears "book an intro call for tomorrow" as one stretch of speech with those words', async () => {
    const s = await spoken('Book an intro call for tomorrow.', { beforeMs: 800, afterMs: 1200 });
    const { vad, finals } = await listen(resample(s.pcm, 16000, 48000));
    assert.deepEqual(vad.map((e) => e.type), ['speech-start', 'speech-end']);
    assert.ok(Math.abs(vad[0].atMs - s.speechStartMs) <= 150 && Math.abs(vad[1].atMs - s.speechEndMs) <= 150, JSON.stringify({ vad, s: [s.speechStartMs, s.speechEndMs] }));
    const text = finals.join(' ');
    for (const word of ['book', 'intro', 'call', 'tomorrow']) assert.match(text, new RegExp(`\\b${word}\\b`), text);
  });

  it('hears two turns separated by a pause as two segments and two finals, in order', async () => {
    const first = await spoken('I would like to book a meeting next week.', { beforeMs: 500, afterMs: 0 });
    const second = await spoken('My email is john at example dot com.', { beforeMs: 0, afterMs: 1000 });
    const { vad, finals } = await listen(resample(concat([first.pcm, silence(1200, 16000), second.pcm]), 16000, 48000));
    assert.deepEqual(vad.map((e) => e.type), ['speech-start', 'speech-end', 'speech-start', 'speech-end']);
    assert.equal(finals.length, 2, finals.join(' | '));
    assert.match(finals[0], /\bmeeting next week\b/);
    assert.match(finals[1], /\bemail\b.*\bexample dot com\b/);
  });
});
