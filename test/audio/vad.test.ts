import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, silence, splitFrames } from '../../src/audio/frame.ts';
import { createEnergyVad } from '../../src/audio/energy-vad.ts';
import { createSileroVad, DEFAULT_VOICE_ACTIVITY, pulledSileroModel, sileroModelPath, voiceActivityFromTurn, type VoiceActivity, type VoiceActivityEvent } from '../../src/audio/vad.ts';
import { spoken } from '../speech/spoken.ts';
import { noise, tone } from './signals.ts';

/** Feeds `pcm` in 20 ms frames, then flushes; returns every event. */
function detect(vad: VoiceActivity, pcm: Int16Array): VoiceActivityEvent[] {
  const events = splitFrames(pcm, 16000).flatMap((f) => vad.push(f));
  return [...events, ...vad.flush()];
}

describe('Silero VAD (sherpa-onnx)', () => {
  it('finds its model where `parley models pull silero_vad` put it, else inside @ricky0123/vad-web', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-models-'));
    try {
      const env = { PARLEY_MODELS_DIR: dir };
      assert.match(sileroModelPath(env), /node_modules\/@ricky0123\/vad-web\/dist\/silero_vad_v5\.onnx$/);
      mkdirSync(join(dir, 'silero_vad'));
      copyFileSync(sileroModelPath(env), join(dir, 'silero_vad', 'silero_vad.onnx'));
      assert.equal(sileroModelPath(env), pulledSileroModel(env));
      assert.equal(pulledSileroModel(env), join(dir, 'silero_vad', 'silero_vad.onnx'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const phrases = [
    ['rms', 'Book an intro call for tomorrow.'],
    ['rms', 'My name is John Smith and I work at a bakery.'],
    ['slt', 'Can we talk on Friday afternoon at three?'],
    ['awb', 'What does an audit cost?'],
  ] as const;
  for (const [voice, text] of phrases) {
    it(`finds one segment within 150 ms of the words in "${text}" (flite ${voice})`, async () => {
      const s = await spoken(text, { voice, beforeMs: 1000, afterMs: 1500 });
      const events = detect(createSileroVad(), s.pcm);
      assert.deepEqual(events.map((e) => e.type), ['speech-start', 'speech-end']);
      const [start, end] = events;
      assert.ok(Math.abs(start.atMs - s.speechStartMs) <= 150, `start ${start.atMs} vs ${s.speechStartMs}`);
      assert.ok(Math.abs(end.atMs - s.speechEndMs) <= 150, `end ${end.atMs} vs ${s.speechEndMs}`);
    });
  }

  it('decides as the audio arrives: speech-start before the words end, speech-end within min silence + 300 ms after', async () => {
    const s = await spoken('Book an intro call for tomorrow.', { afterMs: 1500 });
    const vad = createSileroVad();
    const decided: Record<string, number> = {};
    let pushedMs = 0;
    for (const f of splitFrames(s.pcm, 16000)) {
      pushedMs += 20;
      for (const e of vad.push(f)) decided[e.type] ??= pushedMs;
      assert.equal(vad.speaking, 'speech-start' in decided && !('speech-end' in decided));
    }
    assert.ok(decided['speech-start'] < s.speechEndMs);
    assert.ok(decided['speech-end'] - s.speechEndMs <= DEFAULT_VOICE_ACTIVITY.minSilenceMs + 300, `decided ${decided['speech-end'] - s.speechEndMs} ms after the words`);
  });

  it('finds nothing in silence, steady noise or a tone', () => {
    for (const signal of [silence(3000, 16000), noise(3000, 16000, 0.1), tone(1000, 3000, 16000, 0.3)]) {
      assert.deepEqual(detect(createSileroVad(), concat([silence(500, 16000), signal, silence(500, 16000)])), []);
    }
  });

  it('splits two sentences with a long pause into two segments, and one with a short pause into one', async () => {
    const a = await spoken('Hello there.', { beforeMs: 500, afterMs: 0 });
    const b = await spoken('I would like a meeting.', { beforeMs: 0, afterMs: 1000 });
    const long = detect(createSileroVad({ minSilenceMs: 300 }), concat([a.pcm, silence(800, 16000), b.pcm]));
    assert.deepEqual(long.map((e) => e.type), ['speech-start', 'speech-end', 'speech-start', 'speech-end']);
    const short = detect(createSileroVad({ minSilenceMs: 600 }), concat([a.pcm, silence(200, 16000), b.pcm]));
    assert.deepEqual(short.map((e) => e.type), ['speech-start', 'speech-end']);
  });

  it('closes an open segment at the end of the audio when flushed', async () => {
    const s = await spoken('Book an intro call for tomorrow.', { afterMs: 0 });
    const vad = createSileroVad();
    const events = splitFrames(s.pcm, 16000).flatMap((f) => vad.push(f));
    assert.deepEqual(events.map((e) => e.type), ['speech-start']);
    assert.deepEqual(vad.flush(), [{ type: 'speech-end', atMs: (s.pcm.length * 1000) / 16000 }]);
    assert.equal(vad.speaking, false);
  });

  it('starts its clock again after reset', async () => {
    const s = await spoken('Yes please.', { beforeMs: 700 });
    const vad = createSileroVad();
    const first = detect(vad, s.pcm);
    vad.reset();
    assert.deepEqual(detect(vad, s.pcm), first);
  });
});

describe('energy VAD (fallback)', () => {
  const burst = (ms: number) => tone(300, ms, 16000, 0.2);

  it('dates boundaries at the first loud and first quiet frame', () => {
    const events = detect(createEnergyVad(), concat([silence(400, 16000), burst(1000), silence(600, 16000)]));
    assert.deepEqual(events, [
      { type: 'speech-start', atMs: 400 },
      { type: 'speech-end', atMs: 1400 },
    ]);
  });

  it('ignores sounds shorter than minSpeechMs and pauses shorter than minSilenceMs', () => {
    const vad = createEnergyVad({ minSpeechMs: 200, minSilenceMs: 300 });
    const events = detect(vad, concat([silence(200, 16000), burst(100), silence(500, 16000), burst(400), silence(200, 16000), burst(400), silence(400, 16000)]));
    assert.deepEqual(events, [
      { type: 'speech-start', atMs: 800 },
      { type: 'speech-end', atMs: 1800 },
    ]);
  });

  it('treats any loud sound as speech: that is why it is only a fallback', () => {
    assert.equal(detect(createEnergyVad(), noise(1000, 16000, 0.1)).length, 2);
  });

  it('accepts chunks of any size', () => {
    const vad = createEnergyVad();
    const pcm = concat([silence(300, 16000), burst(500), silence(500, 16000)]);
    const events = [];
    for (let i = 0; i < pcm.length; i += 77) events.push(...vad.push(pcm.subarray(i, i + 77)));
    assert.deepEqual(events, [
      { type: 'speech-start', atMs: 300 },
      { type: 'speech-end', atMs: 800 },
    ]);
  });
});

describe('VAD settings from agent.yaml listen.turn', () => {
  it('never lets the VAD decide slower than turn-taking waits', () => {
    assert.deepEqual(voiceActivityFromTurn({ minEndpointingDelayMs: 500, minInterruptionMs: 500 }), DEFAULT_VOICE_ACTIVITY);
    const eager = voiceActivityFromTurn({ minEndpointingDelayMs: 200, minInterruptionMs: 150 });
    assert.equal(eager.minSilenceMs, 200);
    assert.equal(eager.minSpeechMs, 150);
    assert.equal(eager.threshold, DEFAULT_VOICE_ACTIVITY.threshold);
  });
});
