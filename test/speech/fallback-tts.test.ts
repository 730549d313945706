import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FallbackTts } from '../../src/speech/tts/fallback.ts';
import { FailingTts, TimedTts } from '../../src/testing/voice.ts';

async function* pieces(...p: string[]): AsyncGenerator<string> {
  yield* p;
}

async function speak(tts: FallbackTts, ...p: string[]): Promise<number> {
  let samples = 0;
  for await (const pcm of tts.speak(pieces(...p), { voice: { speed: 1 }, signal: new AbortController().signal })) samples += pcm.length;
  return samples;
}

describe('FallbackTts', () => {
  it('replays the text a silent failure took; after audio came out, goes on with the words not yet taken', async () => {
    const silent = new TimedTts({ msPerChar: 1 });
    const a = new FallbackTts([{ tts: new FailingTts() }, { tts: silent }], { onFailure: () => {}, resampler: () => (p) => p });
    await speak(a, 'One. ', 'Two.');
    assert.deepEqual(silent.spoken, ['One. ', 'Two.'], 'nothing was voiced, so everything is replayed');

    const after = new TimedTts({ msPerChar: 1 });
    const b = new FallbackTts([{ tts: new FailingTts({ afterChunks: 2 }) }, { tts: after }], { onFailure: () => {}, resampler: () => (p) => p });
    const samples = await speak(b, 'One. ', 'Two.');
    assert.deepEqual(after.spoken, ['Two.'], 'the voiced clause is not said twice');
    assert.equal(samples, 2 * 320 + Math.round(4 * 16), 'two chunks from the first voice, then the rest from the second');
  });

  it('resamples a fallback to the first voice\'s rate, and throws when the last voice fails', async () => {
    const rates: string[] = [];
    const backup = new TimedTts({ sampleRate: 24000, msPerChar: 10 });
    const tts = new FallbackTts([{ tts: new FailingTts() }, { tts: backup }], {
      onFailure: () => {},
      resampler: (from, to) => {
        rates.push(`${from}->${to}`);
        return (p) => p.subarray(0, Math.round((p.length * to) / from));
      },
    });
    assert.equal(tts.sampleRate, 16000);
    assert.equal(await speak(tts, 'Hi.'), Math.round(3 * 10 * 16));
    assert.deepEqual(rates, ['24000->16000']);
    const dead = new FallbackTts([{ tts: new FailingTts({ id: 'a:x' }) }, { tts: new FailingTts({ id: 'b:y' }) }], { onFailure: () => {}, resampler: () => (p) => p });
    await assert.rejects(speak(dead, 'Hi.'), /b:y returned 503/);
    assert.equal(dead.id, 'b:y', 'usage is counted under the engine that spoke last');
  });

  it('takes a voice that gives no audio in time as failed, and the next one speaks', async () => {
    const hung = { id: 'hung:tts', sampleRate: 16000, async *speak(text: AsyncIterable<string>, o: { signal: AbortSignal }) {
      for await (const _ of text) await new Promise((r) => o.signal.addEventListener('abort', r, { once: true }));
    } };
    const backup = new TimedTts({ msPerChar: 1 });
    const failures: string[] = [];
    const tts = new FallbackTts([{ tts: hung }, { tts: backup }], { onFailure: (id, e) => failures.push(`${id}: ${(e as Error).message}`), resampler: () => (p) => p, firstAudioTimeoutMs: 100 });
    assert.ok((await speak(tts, 'Hello there.')) > 0);
    assert.deepEqual(backup.spoken, ['Hello there.']);
    assert.deepEqual(failures, ['hung:tts: no audio within 100 ms of its text']);
  });
});
