import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat, dbfs, silence, splitFrames } from '../../src/audio/frame.ts';
import { GatedVoiceActivity, VoiceActivityPool } from '../../src/audio/gated-vad.ts';
import { createEnergyVad } from '../../src/audio/energy-vad.ts';
import { createSileroVad, type VoiceActivity, type VoiceActivityEvent } from '../../src/audio/vad.ts';
import { spoken } from '../speech/spoken.ts';
import { noise } from './signals.ts';

function detect(vad: VoiceActivity, pcm: Int16Array): VoiceActivityEvent[] {
  const events = splitFrames(pcm, 16000).flatMap((f) => vad.push(f));
  return [...events, ...vad.flush()];
}

describe('noise-gated Silero with a shared pool', () => {
  it('finds the same speech as Silero on every frame, within two Silero windows', async () => {
    const quiet = (ms: number, seed: number) => noise(ms, 16000, 0.0005, seed); // ≈ −71 dBFS, echo-cancelled silence
    for (const text of ['Book an intro call for tomorrow.', 'Can we talk on Friday afternoon at three?']) {
      const a = await spoken(text, { beforeMs: 0, afterMs: 0 });
      const pcm = concat([quiet(1500, 1), a.pcm, quiet(1200, 2), a.pcm, quiet(1500, 3)]);
      const always = detect(createSileroVad(), pcm);
      const pool = new VoiceActivityPool(() => createSileroVad());
      const gated = detect(new GatedVoiceActivity(pool), pcm);
      assert.deepEqual(gated.map((e) => e.type), ['speech-start', 'speech-end', 'speech-start', 'speech-end'], text);
      assert.deepEqual(always.map((e) => e.type), gated.map((e) => e.type));
      for (const [i, e] of gated.entries()) assert.ok(Math.abs(e.atMs - always[i]!.atMs) <= 64, `${e.type} at ${e.atMs} vs ${always[i]!.atMs} ms`);
      assert.equal(pool.lent, 0, 'the detector went back after the speech');
    }
  });

  it('holds a detector only while there is sound, and lends one detector to callers who speak in turn', async () => {
    const pool = new VoiceActivityPool(() => createSileroVad());
    const a = new GatedVoiceActivity(pool);
    const b = new GatedVoiceActivity(pool);
    for (const f of splitFrames(silence(2000, 16000), 16000)) {
      a.push(f);
      b.push(f);
    }
    assert.equal(pool.created, 0, 'no Silero for silence');
    const s = await spoken('What does an audit cost?', { beforeMs: 200, afterMs: 1500 });
    const heardA = splitFrames(s.pcm, 16000).flatMap((f) => a.push(f));
    assert.equal(a.listening, false, 'returned after the hangover');
    const heardB = splitFrames(s.pcm, 16000).flatMap((f) => b.push(f));
    assert.deepEqual(heardA.map((e) => e.type), ['speech-start', 'speech-end']);
    assert.deepEqual(heardB.map((e) => e.type), ['speech-start', 'speech-end']);
    assert.equal(pool.created, 1, 'the second caller reused the first caller\'s detector');
    // Both pushed 2 s of silence, then the words: on their own clocks, the same times.
    assert.ok(Math.abs(heardB[0]!.atMs - heardA[0]!.atMs) <= 40 && heardA[0]!.atMs >= 2000, `times are on each caller's own clock (${heardA[0]!.atMs}, ${heardB[0]!.atMs})`);
  });

  it('ends speech itself once the audio has stayed under the gate for the minimum silence: the same segments, decided sooner, with less for Silero to run', async () => {
    const quiet = (ms: number, seed: number) => noise(ms, 16000, 0.0005, seed); // ≈ −71 dBFS
    const a = await spoken('Book an intro call for tomorrow.', { beforeMs: 0, afterMs: 0 });
    const b = await spoken('Can we talk on Friday afternoon at three?', { voice: 'slt', beforeMs: 0, afterMs: 0 });
    const pcm = concat([quiet(1000, 1), a.pcm, quiet(1200, 2), b.pcm, quiet(1500, 3)]);
    const run = (minSilenceMs?: number) => {
      let fed = 0;
      const pool = new VoiceActivityPool(() => {
        const vad = createSileroVad();
        return { ...vad, get speaking() { return vad.speaking; }, push: (f: Int16Array) => ((fed += f.length), vad.push(f)), flush: () => vad.flush(), reset: () => vad.reset(), close: () => vad.close(), sampleRate: 16000 };
      }, { minSilenceMs });
      const gate = new GatedVoiceActivity(pool);
      const events: (VoiceActivityEvent & { decidedMs: number })[] = [];
      for (const [k, f] of splitFrames(pcm, 16000).entries()) for (const e of gate.push(f)) events.push({ ...e, decidedMs: (k + 1) * 20 });
      assert.equal(pool.lent, 0);
      return { events, fedMs: fed / 16 };
    };
    const silero = run(); // Silero alone decides every end
    const gate = run(300);
    assert.deepEqual(gate.events.map((e) => e.type), ['speech-start', 'speech-end', 'speech-start', 'speech-end']);
    assert.deepEqual(gate.events.map((e) => e.type), silero.events.map((e) => e.type));
    for (const [i, e] of gate.events.entries()) {
      const s = silero.events[i]!;
      if (e.type === 'speech-start') assert.equal(e.atMs, s.atMs, 'the same onset');
      else {
        assert.ok(e.atMs <= s.atMs + 32 && e.atMs >= s.atMs - 128, `end at ${e.atMs} vs Silero's ${s.atMs} ms`);
        assert.ok(e.decidedMs < s.decidedMs, `the end is known at ${e.decidedMs} ms, Silero alone knows at ${s.decidedMs} ms`);
        assert.ok(e.decidedMs - e.atMs >= 300, 'never before the minimum silence has passed');
      }
    }
    assert.ok(gate.fedMs < silero.fedMs * 0.9, `Silero ran on ${gate.fedMs} ms of audio instead of ${silero.fedMs} ms`);
  });

  it('keeps speech open over a pause under the gate shorter than the minimum silence, and times after the left-out audio stay on the caller\'s clock', async () => {
    const quiet = (ms: number, seed: number) => noise(ms, 16000, 0.0005, seed);
    // flite pads its words with quiet: trimmed, so the pause is the one put in
    const words = (pcm: Int16Array) => {
      const loud = splitFrames(pcm, 16000).map((f) => dbfs(f) > -50);
      return pcm.subarray(loud.indexOf(true) * 320, (loud.lastIndexOf(true) + 1) * 320);
    };
    const a = words((await spoken('Book an intro call', { beforeMs: 0, afterMs: 0 })).pcm);
    const b = words((await spoken('for tomorrow afternoon.', { beforeMs: 0, afterMs: 0 })).pcm);
    // The second half ends into a loud hum that is not speech: Silero, not the gate, ends that
    // segment, so its time passes through the mapping over the left-out pause.
    const hum = noise(1500, 16000, 0.03, 9); // ≈ −33 dBFS
    const pcm = concat([quiet(800, 1), a, quiet(180, 2), b, hum, quiet(1000, 3)]);
    const always = detect(createSileroVad(), pcm);
    const pool = new VoiceActivityPool(() => createSileroVad(), { minSilenceMs: 300 });
    const gated = detect(new GatedVoiceActivity(pool), pcm);
    assert.deepEqual(gated.map((e) => e.type), ['speech-start', 'speech-end'], 'one segment over the short pause: ' + JSON.stringify({ gated, always }));
    assert.deepEqual(always.map((e) => e.type), gated.map((e) => e.type));
    for (const [i, e] of gated.entries()) assert.ok(Math.abs(e.atMs - always[i]!.atMs) <= 64, `${e.type} at ${e.atMs} vs ${always[i]!.atMs} ms`);
    const wordsEnd = 800 + (a.length + b.length) / 16 + 180;
    assert.ok(gated[1]!.atMs > wordsEnd - 300 && gated[1]!.atMs < wordsEnd + 300, `the end (${gated[1]!.atMs} ms) is where the words stop (${wordsEnd} ms), not 180 ms early`);
  });

  it('a gate at −100 dB or below is always open', () => {
    const pool = new VoiceActivityPool(() => createSileroVad());
    const v = new GatedVoiceActivity(pool, { gateDb: -120 });
    v.push(silence(20, 16000));
    assert.equal(v.listening, true);
  });

  it('in a burst, callers beyond the idle detectors get the stand-in at once while the pool grows one per event-loop turn', async () => {
    let made = 0;
    const pool = new VoiceActivityPool(() => (made++, createSileroVad()), { standIn: () => createEnergyVad() });
    pool.prewarm(1);
    const a = pool.acquire();
    const b = pool.acquire();
    const c = pool.acquire();
    assert.equal(made, 1, 'no detector was made inside the burst');
    assert.equal(pool.stoodIn, 2);
    await new Promise((r) => setImmediate(r));
    assert.equal(made, 2, 'one made on the next turn');
    await new Promise((r) => setImmediate(r));
    assert.equal(made, 3, 'and the next on the turn after');
    for (const v of [a, b, c]) pool.release(v);
    assert.equal(pool.lent, 0);
    assert.equal(pool.created, 3, 'stand-ins are not kept');
    pool.close();
  });
});
