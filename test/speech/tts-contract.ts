import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dbfs } from '../../src/audio/frame.ts';
import type { TextToSpeech, VoiceConfig } from '../../src/speech/types.ts';
import { alive, descendants, extraHandles, openHandles, settled } from './leftovers.ts';

// The TextToSpeech contract: one suite every provider must pass, local engines with their real
// binaries and cloud providers against the protocol-faithful fakes in src/testing/.
//
//   ttsContract('local:flite', () => new FliteTts());
//   ttsContract('elevenlabs (fake)', async () => { const fake = await startFakeElevenLabs(); … });

/** How to run the contract against one provider. */
export interface TtsContractOptions {
  /** A sentence the provider speaks (default: "Book an intro call for tomorrow."). */
  sentence?: string;
  voice?: VoiceConfig;
  /** Longest wait for the first audio of a clause (default 15 s). */
  firstAudioWithinMs?: number;
  /** How soon after abort the audio stream must have stopped (default 1 s). */
  abortWithinMs?: number;
  /** Runs after each test (e.g. to stop a fake server). */
  cleanup?: () => Promise<void> | void;
}

const SENTENCE = 'Book an intro call for tomorrow.';
const LONG_TEXT = [
  'Thanks for calling, this is the booking line of a small consulting company. ',
  'We help owners find out where their website loses customers, and what to change first. ',
  'An audit takes two weeks and ends with a call where we walk you through every finding. ',
  'If you like, I can look for an open slot for an intro call later this week. ',
];

/** Registers the TextToSpeech contract tests for one provider. */
export function ttsContract(name: string, factory: () => TextToSpeech | Promise<TextToSpeech>, opts: TtsContractOptions = {}): void {
  const sentence = opts.sentence ?? SENTENCE;
  const voice = opts.voice ?? { speed: 1 };
  const firstAudioWithinMs = opts.firstAudioWithinMs ?? 15_000;
  const abortWithinMs = opts.abortWithinMs ?? 1000;
  const after = async () => opts.cleanup?.();

  describe(`TextToSpeech contract: ${name}`, { timeout: 60_000 }, () => {
    it('has an id and a positive integer sample rate', async () => {
      const tts = await factory();
      assert.match(tts.id, /^[a-z0-9-]+:.+/);
      assert.ok(Number.isInteger(tts.sampleRate) && tts.sampleRate >= 8000, `sampleRate ${tts.sampleRate}`);
      await after();
    });

    it('speaks a sentence as non-empty PCM16 chunks whose length fits the words at its declared rate', async () => {
      const tts = await factory();
      const chunks: Int16Array[] = [];
      for await (const chunk of tts.speak(from([sentence]), { voice, signal: AbortSignal.timeout(30_000) })) {
        assert.ok(chunk instanceof Int16Array, 'chunks are Int16Array');
        chunks.push(chunk);
      }
      const samples = chunks.reduce((n, c) => n + c.length, 0);
      assert.ok(samples > 0, 'no audio');
      // Speech runs at 2–6 words a second; a wrong declared rate shows up as impossible speed.
      const seconds = samples / tts.sampleRate;
      const words = sentence.split(/\s+/).length;
      assert.ok(seconds >= words * 0.15 && seconds <= words * 1.0 + 1.5, `${seconds.toFixed(2)} s for ${words} words at ${tts.sampleRate} Hz`);
      assert.ok(Math.max(...chunks.map((c) => dbfs(c))) > -40, 'the audio is (nearly) silent');
      await after();
    });

    it('streams: the first clause is heard before the text has ended', async () => {
      const tts = await factory();
      let firstAudio!: () => void;
      const heard = new Promise<void>((resolve) => (firstAudio = resolve));
      let secondSent = false;
      async function* clauses(): AsyncGenerator<string> {
        yield 'Good morning, and thank you for calling. ';
        // The next clause only comes once audio for the first one has: a provider that waits
        // for the whole text would wait forever, so the deadline fails the test instead.
        await within(heard, firstAudioWithinMs, 'no audio while the text stayed open: it waits for the whole text');
        secondSent = true;
        yield 'How can I help you today?';
      }
      let before = 0;
      let total = 0;
      for await (const chunk of tts.speak(clauses(), { voice, signal: AbortSignal.timeout(30_000) })) {
        if (!secondSent) before += chunk.length;
        total += chunk.length;
        firstAudio();
      }
      assert.ok(before > 0, 'no audio before the rest of the text came');
      assert.ok(total > before, 'no audio for the second clause');
      await after();
    });

    it('stops promptly when aborted, and leaves no child process or open socket behind', async () => {
      const tts = await factory();
      const handlesBefore = openHandles();
      const ac = new AbortController();
      let textStopped = false;
      async function* text(): AsyncGenerator<string> {
        try {
          for (const s of LONG_TEXT) yield s;
        } finally {
          textStopped = true;
        }
      }
      let running: number[] = [];
      let abortedAt = 0;
      let chunksAfterAbort = 0;
      const speaking = (async () => {
        for await (const _chunk of tts.speak(text(), { voice, signal: ac.signal })) {
          if (abortedAt) chunksAfterAbort++;
          else {
            running = descendants();
            abortedAt = performance.now();
            ac.abort();
          }
        }
        return 'ended';
      })().catch((err: unknown) => err);
      const outcome = await within(speaking, firstAudioWithinMs + abortWithinMs + 2000, 'the audio stream did not stop after abort');
      const stoppedMs = performance.now() - abortedAt;
      assert.ok(abortedAt > 0, 'no audio came before the abort');
      assertAbortOutcome(outcome, ac.signal);
      assert.ok(stoppedMs <= abortWithinMs, `took ${stoppedMs.toFixed(0)} ms to stop`);
      assert.ok(chunksAfterAbort <= 1, `${chunksAfterAbort} chunks after abort`);
      assert.deepEqual(await settled(() => running.filter(alive).map((pid) => `pid ${pid}`)), [], 'processes left running');
      assert.deepEqual(await settled(() => extraHandles(handlesBefore)), [], 'handles left open');
      assert.ok(await settledTrue(() => textStopped), 'the text iterable was not closed');
      await after();
    });

    it('cleans up when the reader stops early (break)', async () => {
      const tts = await factory();
      const handlesBefore = openHandles();
      let running: number[] = [];
      for await (const _chunk of tts.speak(from(LONG_TEXT), { voice, signal: AbortSignal.timeout(30_000) })) {
        running = descendants();
        break;
      }
      assert.deepEqual(await settled(() => running.filter(alive).map((pid) => `pid ${pid}`)), [], 'processes left running');
      assert.deepEqual(await settled(() => extraHandles(handlesBefore)), [], 'handles left open');
      await after();
    });

    it('yields nothing, without error, for empty text', async () => {
      const tts = await factory();
      for (const pieces of [[], [''], ['', '  ', '\n']]) {
        const chunks: Int16Array[] = [];
        for await (const chunk of tts.speak(from(pieces), { voice, signal: AbortSignal.timeout(30_000) })) chunks.push(chunk);
        assert.equal(chunks.reduce((n, c) => n + c.length, 0), 0, `audio for ${JSON.stringify(pieces)}`);
      }
      await after();
    });

    it('starts nothing for an already aborted signal', async () => {
      const tts = await factory();
      const before = descendants().length;
      const ac = new AbortController();
      ac.abort();
      let chunks = 0;
      const speaking = (async () => {
        for await (const _chunk of tts.speak(from([sentence]), { voice, signal: ac.signal })) chunks++;
        return 'ended';
      })().catch((err: unknown) => err);
      const outcome = await within(speaking, abortWithinMs + 2000, 'an already aborted stream did not stop');
      assertAbortOutcome(outcome, ac.signal);
      assert.equal(chunks, 0);
      assert.ok(descendants().length <= before);
      await after();
    });
  });
}

/** `work`'s outcome, or a failure naming `what` when it has not settled within `ms` (so a hang fails fast). */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (still waiting after ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Aborting may end the stream or reject it with the abort reason; nothing else. */
export function assertAbortOutcome(outcome: unknown, signal: AbortSignal): void {
  if (outcome === 'ended' || outcome === signal.reason) return;
  if (outcome instanceof Error && outcome.name === 'AbortError') return;
  assert.fail(`aborting should end the stream or throw an AbortError, got: ${String(outcome)}`);
}

async function settledTrue(check: () => boolean): Promise<boolean> {
  return (await settled(() => (check() ? [] : ['no']))).length === 0;
}

async function* from(pieces: readonly string[]): AsyncGenerator<string> {
  for (const p of pieces) yield p;
}
