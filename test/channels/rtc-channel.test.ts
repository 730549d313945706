import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RtcChannel, type RtcAudio } from '../../src/channels/web/rtc-channel.ts';
import { RtpPlayout, type OpusFrame } from '../../src/channels/web/rtp-playout.ts';
import { WebChannel } from '../../src/channels/web/socket.ts';
import { createResampler } from '../../src/audio/resample.ts';
import { AgentVoice } from '../../src/session/voice/agent-voice.ts';
import { TimedTts } from '../../src/testing/voice.ts';
import { AsyncQueue } from '../../src/util/async-queue.ts';
import { FakeSocket } from './contract.ts';

// The WebRTC door as the voice session sees it: a barge-in keeps exactly the words in the frames
// the browser reported played (RTP timestamps on the socket), mute silences the caller, the
// socket's rules still hold. The link is real pacing (RtpPlayout) on the test's clock.

function door() {
  let now = 0;
  const sent: OpusFrame[] = [];
  const playout = new RtpPlayout({ sampleRate: 16000, now, send: (f) => sent.push(f) });
  const mic = new AsyncQueue<Int16Array>();
  let closed = false;
  const link: RtcAudio = { mic: () => mic, play: (p) => playout.push(p), clear: () => playout.clear(), heardMs: () => playout.heardMs(now), close: () => ((closed = true), mic.end()) };
  const socket = new FakeSocket();
  const events = new WebChannel(socket, { outputSampleRate: 16000, onMessage: () => {}, onPlayout: (rtp) => playout.reportPlayed(rtp), now: () => now });
  socket.receive(JSON.stringify({ type: 'offer', sdp: 'v=0' }));
  socket.receive(JSON.stringify({ type: 'start', mode: 'voice', audio: 'webrtc' }));
  const channel = new RtcChannel(events, link);
  return {
    channel,
    socket,
    mic,
    sent,
    closed: () => closed,
    advance(ms: number) {
      for (let t = 0; t < ms; t += 10) playout.tick((now += 10));
    },
    /** The browser reports that it played the `n`-th frame it got (1-based). */
    played(n: number) {
      socket.receive(JSON.stringify({ type: 'playout', rtp: sent[n - 1]!.timestamp }));
    },
  };
}

describe('RtcChannel (the web door over WebRTC)', () => {
  it('barge-in keeps the words in the frames the browser reported played', async () => {
    const d = door();
    const voice = new AgentVoice({ channel: d.channel, tts: new TimedTts({ msPerChar: 20 }), voice: { voiceId: undefined, speed: 1 }, resampler: createResampler });
    const said = 'Sure, I can help with that. The audit costs two thousand four hundred euros.';
    await voice.speak((async function* () { yield said; })(), { signal: AbortSignal.timeout(5000) });
    // 1.5 s of audio queued; 600 ms pass, and the browser says it played 20 frames (400 ms).
    d.advance(600);
    d.played(20);
    assert.equal(d.channel.heardMs(), 400);
    const heard = voice.stop();
    // 400 ms of 20 ms/character: the first 20 characters, whole words only.
    assert.equal(heard, 'Sure, I can help');
    // Frames queued but not sent never go out; the socket told the browser to clear.
    const n = d.sent.length;
    d.advance(1000);
    assert.equal(d.sent.length, n);
    assert.ok(d.socket.json().some((m) => m.type === 'clear'));
  });

  it('passes the caller’s audio on, as silence while muted, and ends it on close', async () => {
    const d = door();
    const audio = d.channel.audio()[Symbol.asyncIterator]();
    d.mic.push(new Int16Array(320).fill(700));
    const first = await audio.next();
    d.socket.receive(JSON.stringify({ type: 'mute', muted: true }));
    d.mic.push(new Int16Array(320).fill(700));
    const second = await audio.next();
    d.channel.close('agent ended');
    assert.equal((await audio.next()).done, true);
    const frames = [first.value as Int16Array, second.value as Int16Array];
    assert.deepEqual(frames.map((f) => f[0]), [700, 0]);
    assert.equal(d.closed(), true);
    assert.deepEqual(d.socket.closes, [{ code: 1000, reason: 'agent ended' }]);
  });

  it('refuses PCM frames on the socket of a WebRTC session, and played reports meant for the socket path', () => {
    const d = door();
    d.socket.receive(Buffer.alloc(640), true);
    assert.deepEqual(d.socket.closes, [{ code: 1008, reason: 'audio frames on the socket of a WebRTC session' }]);
  });
});

describe('the socket protocol around WebRTC', () => {
  const socket = () => {
    const s = new FakeSocket();
    new WebChannel(s, { outputSampleRate: 16000, onMessage: () => {} });
    return s;
  };
  for (const [what, messages, reason] of [
    ['start with audio "webrtc" before any offer', [{ type: 'start', mode: 'voice', audio: 'webrtc' }], 'audio "webrtc" needs a voice start after an offer'],
    ['a text start with audio "webrtc"', [{ type: 'offer', sdp: 'v=0' }, { type: 'start', mode: 'text', audio: 'webrtc' }], 'audio "webrtc" needs a voice start after an offer'],
    ['a second offer', [{ type: 'offer', sdp: 'v=0' }, { type: 'offer', sdp: 'v=0' }], 'one offer per session'],
    ['an offer after start', [{ type: 'start', mode: 'voice' }, { type: 'offer', sdp: 'v=0' }], 'offer after start'],
    ['an offer without SDP', [{ type: 'offer' }], 'offer needs an SDP string "sdp"'],
    ['an unknown audio path', [{ type: 'start', mode: 'voice', audio: 'carrier-pigeon' }], 'start\'s audio must be "pcm", "opus" or "webrtc"'],
    ['a playout report on a PCM session', [{ type: 'start', mode: 'voice' }, { type: 'playout', rtp: 5 }], 'playout is for WebRTC sessions; send played'],
    ['a playout report that is not a 32-bit timestamp', [{ type: 'playout', rtp: 2 ** 32 }], 'playout needs an RTP timestamp "rtp" (0 to 2^32-1)'],
  ] as const) {
    it(`closes the socket with 1008 on ${what}`, () => {
      const s = socket();
      for (const m of messages) s.receive(JSON.stringify(m));
      assert.deepEqual(s.closes, [{ code: 1008, reason }]);
    });
  }
});
