import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpusDecoder } from '../../src/audio/opus.ts';
import { LEAD_MS, RTP_CLOCK, RtpPlayout, type OpusFrame } from '../../src/channels/web/rtp-playout.ts';

// The agent's audio on a WebRTC track: paced in real time as 20 ms Opus frames, and "heard" taken
// from the browser's playout reports (the RTP timestamp of the frame it last played), so a
// barge-in keeps exactly the words that were played. The clock is the test's.

/** A playout on a fake clock, with the frames it sent and a browser that plays them in order. */
function harness(rate: 16000 | 24000 = 24000) {
  let now = 1000;
  const sent: OpusFrame[] = [];
  const p = new RtpPlayout({ sampleRate: rate, now, send: (f) => sent.push(f) });
  let played = 0; // frames the browser has played
  return {
    p,
    sent,
    /** Time passes by `ms`, in 10 ms ticks as the door's timer runs. */
    advance(ms: number) {
      for (let t = 0; t < ms; t += 10) p.tick((now += 10));
    },
    /** The browser plays `n` more of the frames it received and reports the last one's timestamp. */
    playFrames(n: number) {
      played = Math.min(sent.length, played + n);
      if (played) p.reportPlayed(sent[played - 1]!.timestamp);
    },
    now: () => now,
  };
}

const audio = (rate: number, ms: number, value = 3000) => new Int16Array((rate * ms) / 1000).fill(value);

describe('RtpPlayout (agent audio over WebRTC)', () => {
  it('sends 20 ms Opus frames in real time, at most the lead ahead, with 48 kHz timestamps and one marker per talkspurt', () => {
    const h = harness();
    h.p.push(audio(24000, 1000));
    h.p.tick(h.now());
    assert.equal(h.sent.length, Math.floor(LEAD_MS / 20) + 1, 'only the lead goes out at once');
    h.advance(500);
    const n = h.sent.length;
    const due = Math.floor((500 + LEAD_MS) / 20) + 1;
    assert.ok(n >= due - 1 && n <= due + 1, `half a second of frames (and the lead) after 500 ms: ${n}`);
    h.advance(1000);
    assert.equal(h.sent.length, 50, 'the whole second, and no more');
    for (let i = 1; i < h.sent.length; i++) {
      assert.equal((h.sent[i]!.timestamp - h.sent[i - 1]!.timestamp) >>> 0, (RTP_CLOCK * 20) / 1000);
      assert.equal((h.sent[i]!.sequenceNumber - h.sent[i - 1]!.sequenceNumber) & 0xffff, 1);
    }
    assert.deepEqual(h.sent.map((f) => f.marker).filter(Boolean).length, 1);
    // A second talkspurt after silence: a marker, timestamps that moved on with the clock.
    const last = h.sent.at(-1)!;
    h.advance(300);
    h.p.push(audio(24000, 100));
    h.advance(200);
    const next = h.sent[50]!;
    assert.equal(next.marker, true);
    assert.ok(((next.timestamp - last.timestamp) >>> 0) >= (RTP_CLOCK * 300) / 1000, 'the silence is in the timestamps');
    assert.equal(h.sent.length, 55);
  });

  it('frames decode back to the audio that was queued', () => {
    const h = harness(16000);
    const tone = new Int16Array(16000 * 0.2).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 400 * i) / 16000)));
    h.p.push(tone);
    h.advance(400);
    const dec = new OpusDecoder(16000);
    const out = h.sent.map((f) => dec.decode(f.payload));
    dec.close();
    assert.equal(out.length, 10);
    const peak = Math.max(...out.slice(3).flatMap((f) => [...f].map(Math.abs)));
    assert.ok(peak > 4000 && peak < 8000, `the tone survives the codec: peak ${peak}`);
    for (const f of h.sent) assert.ok(f.payload.length < 120, `24 kbit/s frames are small: ${f.payload.length} bytes`);
  });

  it('counts as heard exactly the agent audio in the frames the browser reports played', () => {
    const h = harness();
    h.p.push(audio(24000, 500));
    h.advance(700);
    assert.equal(h.sent.length, 25);
    assert.equal(h.p.sentMs, 500);
    h.playFrames(7);
    assert.equal(h.p.heardMs(h.now()), 140);
    h.playFrames(10);
    assert.equal(h.p.heardMs(h.now()), 340);
    // A stale report (reordered on the socket) never moves it back.
    h.p.reportPlayed(h.sent[2]!.timestamp);
    assert.equal(h.p.heardMs(h.now()), 340);
    // A timestamp from before anything was sent (another stream) counts nothing.
    h.p.reportPlayed((h.sent[0]!.timestamp - 100_000) >>> 0);
    assert.equal(h.p.heardMs(h.now()), 340);
    h.playFrames(100);
    assert.equal(h.p.heardMs(h.now()), 500, 'never more than was sent');
  });

  it('a partial last frame is padded with silence, and only its real audio counts', () => {
    const h = harness(16000);
    h.p.push(audio(16000, 50)); // 2.5 frames
    h.advance(200);
    assert.equal(h.sent.length, 3);
    h.playFrames(3);
    assert.equal(h.p.heardMs(h.now()), 50);
  });

  it('barge-in: clear stops what is queued at once; frames already sent will play and count, nothing after', () => {
    const h = harness();
    h.p.push(audio(24000, 2000));
    h.advance(300);
    h.playFrames(10); // 200 ms played; the rest of what was sent sits in the browser's jitter buffer
    const sentAtClear = h.p.sentMs;
    assert.ok(sentAtClear > 200 && sentAtClear <= 300 + LEAD_MS + 20, `sent ${sentAtClear}`);
    h.p.clear();
    assert.equal(h.p.pending, false);
    assert.equal(h.p.heardMs(h.now()), sentAtClear, 'what is on its way cannot be taken back');
    const before = h.sent.length;
    h.advance(1000);
    assert.equal(h.sent.length, before, 'nothing queued before the clear goes out after it');
    h.playFrames(100);
    assert.equal(h.p.heardMs(h.now()), sentAtClear);
    // The next turn counts from there.
    h.p.push(audio(24000, 100));
    h.advance(200);
    h.playFrames(100);
    assert.equal(h.p.heardMs(h.now()), sentAtClear + 100);
  });

  it('before the first report, heard is estimated from the clock, behind what was sent', () => {
    const h = harness();
    h.p.push(audio(24000, 1000));
    h.advance(100);
    const early = h.p.heardMs(h.now());
    assert.ok(early < h.p.sentMs, `estimate ${early} < sent ${h.p.sentMs}`);
    h.advance(2000);
    assert.equal(h.p.heardMs(h.now()), 1000);
  });

  it('a stalled loop restarts the talkspurt instead of bursting the backlog', () => {
    const h = harness();
    h.p.push(audio(24000, 2000));
    h.advance(100);
    const n = h.sent.length;
    // The event loop stalls for a second: on the next tick, only the lead goes out.
    h.p.tick(h.now() + 1000);
    assert.ok(h.sent.length - n <= LEAD_MS / 20 + 1, `sent ${h.sent.length - n} frames after a stall`);
  });
});
