import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PocketsphinxStt } from '../../src/speech/stt/pocketsphinx.ts';
import { clauses, FliteTts } from '../../src/speech/tts/flite.ts';
import { SpeechUnavailableError } from '../../src/speech/types.ts';
import { spoken } from './spoken.ts';
import { sttContract } from './stt-contract.ts';
import { ttsContract } from './tts-contract.ts';

// The local engines against the speech contracts, with the real Debian binaries
// (flite, pocketsphinx, pocketsphinx-en-us: scripts/debian-packages.txt).

ttsContract('local:flite', () => new FliteTts());
ttsContract('local:flite (8 kHz kal voice, resampled; speed 1.3)', () => new FliteTts({ voice: 'kal' }), { voice: { speed: 1.3 } });

const utterance = async () => {
  const s = await spoken('Book an intro call for tomorrow.', { beforeMs: 300, afterMs: 0 });
  return { pcm: s.pcm, sampleRate: s.sampleRate, words: ['book', 'intro', 'call', 'tomorrow'] };
};
sttContract('local:pocketsphinx', () => new PocketsphinxStt(), { utterance });

describe('local:flite', () => {
  it('says which package to install when flite is missing', async () => {
    const tts = new FliteTts({ binary: 'flite-that-is-not-installed' });
    await assert.rejects(async () => {
      for await (const _ of tts.speak(once('Hello.'), { voice: { speed: 1 }, signal: AbortSignal.timeout(5000) }));
    }, (err: Error) => err instanceof SpeechUnavailableError && /apt-get install flite/.test(err.message));
  });

  it('refuses a voice flite does not have instead of silently using another', async () => {
    const tts = new FliteTts();
    await assert.rejects(async () => {
      for await (const _ of tts.speak(once('Hello.'), { voice: { speed: 1, voiceId: 'rachel' }, signal: AbortSignal.timeout(5000) }));
    }, /no voice "rachel".*rms/);
    const ids = (await tts.voices(AbortSignal.timeout(5000))).map((v) => v.id);
    assert.ok(ids.includes('rms') && ids.includes('slt'), ids.join(' '));
  });

  it('speaks slower at a lower speed', async () => {
    const tts = new FliteTts();
    const length = async (speed: number) => {
      let n = 0;
      for await (const c of tts.speak(once('Book an intro call for tomorrow.'), { voice: { speed }, signal: AbortSignal.timeout(10_000) })) n += c.length;
      return n;
    };
    const [slow, normal, fast] = [await length(0.5), await length(1), await length(2)];
    assert.ok(slow > normal * 1.6 && fast < normal * 0.65, `${slow} / ${normal} / ${fast}`);
  });

  it('cuts text deltas into sentences as soon as each is complete', async () => {
    const signal = AbortSignal.timeout(5000);
    const out: string[] = [];
    for await (const c of clauses(from(['Hel', 'lo there. How', ' are you? Fine', ', thanks', '']), signal)) out.push(c);
    assert.deepEqual(out, ['Hello there.', 'How are you?', 'Fine, thanks']);
    const long = `${'word, '.repeat(30)}${'x '.repeat(80)}`;
    const pieces: string[] = [];
    for await (const c of clauses(from([long]), signal)) pieces.push(c);
    assert.ok(pieces.length > 1 && pieces.every((p) => p.length <= 200));
  });
});

describe('local:pocketsphinx', () => {
  it('says what to install, and refuses languages it has no model for', () => {
    const signal = AbortSignal.timeout(5000);
    assert.throws(() => new PocketsphinxStt({ binary: 'no-such-pocketsphinx' }).stream({ language: 'en', signal }), (err: Error) => err instanceof SpeechUnavailableError && /apt-get install pocketsphinx/.test(err.message));
    assert.throws(() => new PocketsphinxStt({ hmm: '/nonexistent/model' }).stream({ language: 'en', signal }), /pocketsphinx-en-us/);
    assert.throws(() => new PocketsphinxStt().stream({ language: 'pl', signal }), /only knows English/);
    assert.doesNotThrow(() => new PocketsphinxStt().stream({ language: 'en-US', signal: AbortSignal.abort() }));
  });

  it('reports each utterance as its own final, in order', async () => {
    const a = await spoken('Book an intro call for tomorrow.', { beforeMs: 300, afterMs: 1200 });
    const b = await spoken('What does an audit cost?', { beforeMs: 0, afterMs: 1200 });
    const stream = new PocketsphinxStt().stream({ language: 'en', signal: AbortSignal.timeout(30_000) });
    stream.push(a.pcm);
    stream.push(b.pcm);
    stream.end();
    const finals: string[] = [];
    for await (const e of stream) finals.push(e.text);
    assert.equal(finals.length, 2, finals.join(' | '));
    assert.match(finals[0], /intro call/);
    assert.match(finals[1], /audit/);
  });

  it('surfaces a failing recogniser as an error with its message', async () => {
    const stream = new PocketsphinxStt({ lm: '/nonexistent.lm.bin' }).stream({ language: 'en', signal: AbortSignal.timeout(30_000) });
    stream.end();
    await assert.rejects(async () => {
      for await (const _ of stream);
    }, /pocketsphinx_continuous failed/);
  });
});

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function* from(pieces: string[]): AsyncGenerator<string> {
  yield* pieces;
}
