import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clip16, concat, dbfs, splitFrames } from '../../src/audio/frame.ts';
import { GatedVoiceActivity, VoiceActivityPool } from '../../src/audio/gated-vad.ts';
import { createSileroVad, type VoiceActivity, type VoiceActivityEvent } from '../../src/audio/vad.ts';
import { spoken } from '../speech/spoken.ts';
import { noise } from './signals.ts';

// Many callers share one pool of Silero detectors: each must hear exactly what its own detector
// would, whatever the others do in between, and a call that ends or is cut off must give back
// everything it held.

/** White noise at `db` dBFS (RMS), `ms` long. */
const room = (ms: number, db: number, seed: number) => noise(ms, 16000, 10 ** (db / 20) * Math.sqrt(3), seed);

/** `pcm` scaled by `gainDb` with `background` added under it. */
function over(pcm: Int16Array, gainDb: number, background: Int16Array): Int16Array {
  const g = 10 ** (gainDb / 20);
  return Int16Array.from(pcm, (x, i) => clip16(x * g + background[i % background.length]!));
}

/** One caller: background, a sentence over it, background, another, background. */
async function caller(i: number): Promise<Int16Array> {
  const texts = ['Book an intro call for tomorrow.', 'What does an audit cost?', 'My name is John Smith and I work at a bakery.', 'Can we talk on Friday afternoon at three?'];
  const voices = ['rms', 'slt', 'awb'];
  const db = [-70, -55, -48, -45, -42, -60][i % 6]!;
  const bg = (ms: number, k: number) => room(ms, db, 100 * i + k);
  const a = await spoken(texts[i % texts.length]!, { voice: voices[i % voices.length], beforeMs: 0, afterMs: 0 });
  const b = await spoken(texts[(i + 1) % texts.length]!, { voice: voices[(i + 1) % voices.length], beforeMs: 0, afterMs: 0 });
  return concat([bg(700 + 130 * i, 1), over(a.pcm, -(i % 3) * 4, bg(1000, 2)), bg(900 + 70 * i, 3), over(b.pcm, -2, bg(1000, 4)), bg(1200, 5)]);
}

function alone(vad: VoiceActivity, pcm: Int16Array): VoiceActivityEvent[] {
  return [...splitFrames(pcm, 16000).flatMap((f) => vad.push(f)), ...vad.flush()];
}

describe('one pool of Silero detectors serving many callers', () => {
  it('gives every caller, interleaved with eleven others, the same speech segments as a detector of its own', async () => {
    const calls = await Promise.all(Array.from({ length: 12 }, (_, i) => caller(i)));
    // Each on its own: its own gate and its own pool. Pools as the server makes them: the gate also
    // ends speech that falls under it, so detectors change hands mid-sentence pause too.
    const own = calls.map((pcm) => alone(new GatedVoiceActivity(new VoiceActivityPool(() => createSileroVad(), { minSilenceMs: 300 })), pcm));
    // All at once: one pool that keeps at most two idle detectors, so detectors pass from caller to caller.
    const pool = new VoiceActivityPool(() => createSileroVad(), { maxIdle: 2, minSilenceMs: 300 });
    const gates = calls.map(() => new GatedVoiceActivity(pool));
    const shared: VoiceActivityEvent[][] = calls.map(() => []);
    const frames = calls.map((pcm) => splitFrames(pcm, 16000));
    const longest = Math.max(...frames.map((f) => f.length));
    let reused = 0;
    for (let k = 0; k < longest; k++) {
      // a different order every frame
      for (let j = 0; j < calls.length; j++) {
        const i = (j * 5 + k) % calls.length;
        const f = frames[i]![k];
        if (f) shared[i]!.push(...gates[i]!.push(f));
        else if (k === frames[i]!.length) shared[i]!.push(...gates[i]!.flush());
      }
      reused = Math.max(reused, pool.lent);
    }
    for (const [i, g] of gates.entries()) if (frames[i]!.length === longest) shared[i]!.push(...g.flush());
    for (const [i, events] of shared.entries()) {
      assert.deepEqual(events, own[i], `caller ${i}`);
      assert.deepEqual(events.map((e) => e.type), ['speech-start', 'speech-end', 'speech-start', 'speech-end'], `caller ${i} said two sentences`);
    }
    assert.equal(pool.lent, 0);
    assert.ok(pool.created < calls.length, `callers shared detectors (${pool.created} made for ${calls.length} callers, ${reused} lent at once at most)`);
  });

  it('in a steady noisy room finds the speech Silero finds on every frame, holding a detector only around it', async () => {
    for (const db of [-45, -40]) {
      const s = await spoken('Can we talk on Friday afternoon at three?', { beforeMs: 0, afterMs: 0 });
      const pcm = concat([room(3000, db, 1), over(s.pcm, 0, room(1000, db, 2)), room(3000, db, 3)]);
      const always = alone(createSileroVad(), pcm);
      const pool = new VoiceActivityPool(() => createSileroVad(), { minSilenceMs: 300 });
      const gate = new GatedVoiceActivity(pool);
      let listeningMs = 0;
      const gated: VoiceActivityEvent[] = [];
      for (const f of splitFrames(pcm, 16000)) {
        gated.push(...gate.push(f));
        if (gate.listening) listeningMs += 20;
      }
      gated.push(...gate.flush());
      assert.deepEqual(gated.map((e) => e.type), ['speech-start', 'speech-end'], `${db} dBFS`);
      assert.deepEqual(always.map((e) => e.type), gated.map((e) => e.type));
      assert.ok(Math.abs(gated[0]!.atMs - always[0]!.atMs) <= 64, `${db} dBFS: speech-start at ${gated[0]!.atMs} vs ${always[0]!.atMs} ms`);
      // The gate ends speech at its last frame above the room; Silero at its first silent window,
      // after its own decay: the same end or a little before, never after.
      const ends = [gated[1]!.atMs, always[1]!.atMs];
      assert.ok(ends[0]! <= ends[1]! + 32 && ends[0]! >= ends[1]! - 128, `${db} dBFS: speech-end at ${ends[0]} vs ${ends[1]} ms`);
      const speechMs = gated[1]!.atMs - gated[0]!.atMs;
      assert.ok(listeningMs < speechMs + 1500, `${db} dBFS: a detector was held ${listeningMs} ms for ${Math.round(speechMs)} ms of speech in ${Math.round(pcm.length / 16)} ms of audio`);
      assert.ok(gate.gateDb > db + 5, `the gate sits above the room (${gate.gateDb.toFixed(1)} dBFS)`);
    }
  });

  it('a call that ends or is cut off mid-word gives its detector back: 1,000 calls leave nothing held', async () => {
    const s = await spoken('What does an audit cost?', { beforeMs: 0, afterMs: 0 });
    const words = splitFrames(s.pcm, 16000).filter((f) => dbfs(f) > -40).slice(0, 10);
    const pool = new VoiceActivityPool(() => createSileroVad(), { maxIdle: 4, minSilenceMs: 300 });
    const live: GatedVoiceActivity[] = [];
    for (let call = 0; call < 1000; call++) {
      const gate = new GatedVoiceActivity(pool);
      for (const f of words) gate.push(f);
      assert.equal(gate.listening, true);
      live.push(gate);
      // up to three calls overlap; each ends one of three ways
      if (live.length === 3) {
        const done = live.splice(call % 3, 1)[0]!;
        if (call % 2) done.close(); // hung up mid-word
        else {
          done.flush(); // end of audio
          done.close();
        }
        assert.equal(done.listening, false);
        assert.deepEqual(done.push(words[0]!), [], 'a closed call hears nothing more');
      }
    }
    for (const g of live) g.close();
    assert.equal(pool.lent, 0, 'every detector came back');
    assert.ok(pool.created <= 4, `the pool keeps what three overlapping calls need, no more (${pool.created})`);
    pool.close();
  });
});
