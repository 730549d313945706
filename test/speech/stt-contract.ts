import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silence, splitFrames } from '../../src/audio/frame.ts';
import { resample } from '../../src/audio/resample.ts';
import type { SpeechToText, SttEvent, SttStream } from '../../src/speech/types.ts';
import { alive, descendants, extraHandles, openHandles, settled } from './leftovers.ts';
import { assertAbortOutcome, within } from './tts-contract.ts';

// The SpeechToText contract: one suite every recogniser must pass, local engines on real speech
// and cloud providers against the protocol-faithful fakes in src/testing/ (which decide what
// "recognised" means for the audio they are given).
//
//   sttContract('local:pocketsphinx', () => new PocketsphinxStt(), { utterance: () => spokenUtterance() });

/** A recording and the words a correct transcript of it contains. */
export interface KnownUtterance {
  pcm: Int16Array;
  sampleRate: number;
  /** Lower-case words every provider must recognise in it. */
  words: string[];
}

/** How to run the contract against one provider. */
export interface SttContractOptions {
  /** The known utterance, at any rate (the kit resamples it to the provider's rate). */
  utterance: () => Promise<KnownUtterance> | KnownUtterance;
  language?: string;
  /** How soon after abort the event stream must have stopped (default 1 s). */
  abortWithinMs?: number;
  /** Runs after each test (e.g. to stop a fake server). */
  cleanup?: () => Promise<void> | void;
}

/** Registers the SpeechToText contract tests for one provider. */
export function sttContract(name: string, factory: () => SpeechToText | Promise<SpeechToText>, opts: SttContractOptions): void {
  const language = opts.language ?? 'en';
  const abortWithinMs = opts.abortWithinMs ?? 1000;
  const after = async () => opts.cleanup?.();
  /** The utterance at the provider's rate, cut into 20 ms frames. */
  async function frames(stt: SpeechToText): Promise<{ frames: Int16Array[]; words: string[] }> {
    const u = await opts.utterance();
    return { frames: splitFrames(resample(u.pcm, u.sampleRate, stt.sampleRate), stt.sampleRate), words: u.words };
  }

  describe(`SpeechToText contract: ${name}`, { timeout: 60_000 }, () => {
    it('has an id and a positive integer input sample rate', async () => {
      const stt = await factory();
      assert.match(stt.id, /^[a-z0-9-]+:.+/);
      assert.ok(Number.isInteger(stt.sampleRate) && stt.sampleRate >= 8000, `sampleRate ${stt.sampleRate}`);
      await after();
    });

    it('transcribes a known utterance followed by silence into final text with its key words', async () => {
      const stt = await factory();
      const u = await frames(stt);
      const stream = stt.stream({ language, signal: AbortSignal.timeout(30_000) });
      const pushed = pushAll(stream, [...u.frames, ...splitFrames(silence(1500, stt.sampleRate), stt.sampleRate)]);
      stream.end();
      const events = await within(collect(stream), 30_000, 'the stream did not finish after end()');
      assertWellFormed(events, (pushed * 1000) / stt.sampleRate);
      const finals = events.filter((e) => e.type === 'final');
      assert.ok(finals.length > 0, 'no final event');
      assertHasWords(finals, u.words);
      await after();
    });

    it('flushes on end(): speech with no silence after it still gets its final', async () => {
      const stt = await factory();
      const u = await frames(stt);
      const stream = stt.stream({ language, signal: AbortSignal.timeout(30_000) });
      pushAll(stream, u.frames);
      stream.end();
      const finals = (await within(collect(stream), 30_000, 'the stream did not finish after end()')).filter((e) => e.type === 'final');
      assertHasWords(finals, u.words);
      await after();
    });

    it('ends without finals when ended with no audio', async () => {
      const stt = await factory();
      const stream = stt.stream({ language, signal: AbortSignal.timeout(30_000) });
      stream.end();
      assert.deepEqual((await within(collect(stream), 30_000, 'the stream did not finish after end()')).filter((e) => e.type === 'final' && e.text.trim()), []);
      await after();
    });

    it('stops promptly when aborted, ignores audio after that, and leaves no process or socket behind', async () => {
      const stt = await factory();
      const u = await frames(stt);
      const handlesBefore = openHandles();
      const ac = new AbortController();
      const stream = stt.stream({ language, signal: ac.signal });
      pushAll(stream, u.frames.slice(0, Math.ceil(u.frames.length / 2)));
      const running = descendants();
      const reading = collect(stream).then(
        () => 'ended' as unknown,
        (err: unknown) => err,
      );
      const abortedAt = performance.now();
      ac.abort();
      const outcome = await within(reading, abortWithinMs + 2000, 'the event stream did not stop after abort');
      const stoppedMs = performance.now() - abortedAt;
      assertAbortOutcome(outcome, ac.signal);
      assert.ok(stoppedMs <= abortWithinMs, `took ${stoppedMs.toFixed(0)} ms to stop`);
      stream.push(u.frames[0]); // must not throw
      stream.end();
      assert.deepEqual(await settled(() => running.filter(alive).map((pid) => `pid ${pid}`)), [], 'processes left running');
      assert.deepEqual(await settled(() => extraHandles(handlesBefore)), [], 'handles left open');
      await after();
    });

    it('stops when the reader stops early (break on the first final)', async () => {
      const stt = await factory();
      const u = await frames(stt);
      const handlesBefore = openHandles();
      const stream = stt.stream({ language, signal: AbortSignal.timeout(30_000) });
      pushAll(stream, [...u.frames, ...splitFrames(silence(1500, stt.sampleRate), stt.sampleRate)]);
      const running = descendants();
      let finals = 0;
      for await (const e of stream) {
        if (e.type === 'final') {
          finals++;
          break;
        }
      }
      assert.equal(finals, 1);
      stream.push(u.frames[0]); // must not throw
      assert.deepEqual(await settled(() => running.filter(alive).map((pid) => `pid ${pid}`)), [], 'processes left running');
      assert.deepEqual(await settled(() => extraHandles(handlesBefore)), [], 'handles left open');
      await after();
    });

    it('starts nothing for an already aborted signal', async () => {
      const stt = await factory();
      const before = descendants().length;
      const ac = new AbortController();
      ac.abort();
      let stream: SttStream;
      try {
        stream = stt.stream({ language, signal: ac.signal });
      } catch (err) {
        assertAbortOutcome(err, ac.signal); // throwing at once is fine too
        await after();
        return;
      }
      const reading = collect(stream).then(
        () => 'ended' as unknown,
        (err: unknown) => err,
      );
      const outcome = await within(reading, abortWithinMs + 2000, 'an already aborted stream did not stop');
      assertAbortOutcome(outcome, ac.signal);
      assert.ok(descendants().length <= before);
      await after();
    });
  });
}

/** Pushes frames; returns the number of samples pushed. */
function pushAll(stream: SttStream, frames: Int16Array[]): number {
  let samples = 0;
  for (const f of frames) {
    stream.push(f);
    samples += f.length;
  }
  return samples;
}

async function collect(stream: SttStream): Promise<SttEvent[]> {
  const events: SttEvent[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

function assertWellFormed(events: SttEvent[], pushedMs: number): void {
  let last = 0;
  for (const e of events) {
    assert.ok(e.type === 'partial' || e.type === 'final', `event type ${e.type}`);
    assert.equal(typeof e.text, 'string');
    assert.ok(Number.isFinite(e.atMs) && e.atMs >= last && e.atMs <= pushedMs + 1, `atMs ${e.atMs} (previous ${last}, pushed ${pushedMs})`);
    last = e.atMs;
    if (e.confidence !== undefined) assert.ok(e.confidence >= 0 && e.confidence <= 1);
  }
}

function assertHasWords(finals: SttEvent[], words: string[]): void {
  const text = finals.map((e) => e.text).join(' ').toLowerCase();
  for (const w of words) assert.match(text, new RegExp(`\\b${w}\\b`), `"${w}" missing from "${text}"`);
}
