import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, useOPUS } from 'werift';
import { OpusDecoder, OpusEncoder } from '../../src/audio/opus.ts';
import { RtcLink } from '../../src/channels/web/rtc-link.ts';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { ScriptedStt, ScriptedVad } from '../../src/testing/voice.ts';
import type { TextToSpeech } from '../../src/speech/types.ts';
import { openTestStore } from '../helpers/store.ts';
import { agentsFolder, connect, GREETING, listenOnLoopback, type TestClient } from './helpers.ts';

// The WebRTC door from a peer's side (werift playing the browser): the session request hands out
// ICE servers with TURN credentials, the offer is answered on the socket, the greeting arrives as
// Opus RTP and the caller's Opus reaches the recogniser, playout reports (RTP timestamps) let the
// agent move on. And the hostile peer: garbage, huge, repeated or late offers get a clear error,
// and no WebRTC connection, socket or timer outlives its session.

const SHOP = 'https://shop.example.com';

/** A browser stand-in: one Opus track each way. */
async function peer(): Promise<{ pc: RTCPeerConnection; mic: MediaStreamTrack; offer: string; received: RtpPacket[] }> {
  const pc = new RTCPeerConnection({ codecs: { audio: [useOPUS()], video: [] } });
  const mic = new MediaStreamTrack({ kind: 'audio' });
  pc.addTransceiver(mic, { direction: 'sendrecv' });
  const received: RtpPacket[] = [];
  pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((rtp) => received.push(rtp)));
  const gathered = new Promise<void>((r) => pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && r()));
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') await gathered;
  return { pc, mic, offer: pc.localDescription!.sdp, received };
}

/** 10 ms of a 300 Hz tone per character (Opus keeps tones; it filters out the constant level TimedTts makes). */
class ToneTts implements TextToSpeech {
  readonly id = 'tone:tts';
  readonly sampleRate = 16000;
  async *speak(text: AsyncIterable<string>): AsyncIterable<Int16Array> {
    for await (const piece of text) yield new Int16Array(piece.length * 160).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / 16000)));
  }
}

/** Active UDP sockets of this process (each WebRTC connection holds some). */
const udpSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'UDPWRAP' || r === 'UDPWrap').length;

describe('server: the WebRTC door', { timeout: 120_000 }, () => {
  let app: FastifyInstance;
  let off: FastifyInstance;
  let base: string;
  let offBase: string;
  let store: Store;
  let llm: FakeOpenAI;
  const made: { stt: ScriptedStt; vad: ScriptedVad; tts: ToneTts }[] = [];
  const speech = () => {
    const s = { stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new ToneTts() };
    made.push(s);
    return s;
  };

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    const env = { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_START_TIMEOUT_SEC: '20' };
    app = await buildServer({ agentsDir: agentsFolder(), store, mode: 'serve', env: { ...env, PARLEY_ICE_SERVERS: 'stun:stun.example.com:3478,turn:turn.example.com:3478', PARLEY_TURN_SECRET: 'turn-secret' }, speech });
    base = await listenOnLoopback(app);
    off = await buildServer({ agentsDir: agentsFolder(), store, mode: 'serve', env: { ...env, PARLEY_WEBRTC: 'off' }, speech });
    offBase = await listenOnLoopback(off);
  });
  after(async () => {
    await app.close();
    await off.close();
    await store.close();
    await llm.close();
  });

  async function open(at = base): Promise<{ c: TestClient; body: Record<string, unknown> }> {
    const body = (await (await fetch(`${at}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } })).json()) as Record<string, unknown>;
    const c = connect(String(body.url), SHOP);
    await c.waitFor((e) => e.type === 'ready');
    return { c, body };
  }

  /** Every link closed and its sockets released, back to the UDP sockets there were before. */
  async function nothingLeft(udpBefore: number): Promise<void> {
    assert.equal(RtcLink.live.size, 0, 'no WebRTC connection left open');
    await RtcLink.settled();
    // werift's close resolves before its sockets' own close callbacks have run: give those their turn.
    const deadline = performance.now() + 5000;
    while (udpSockets() > udpBefore && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(udpSockets(), udpBefore, 'no UDP socket left behind');
  }

  it('issues ICE servers with short-lived TURN credentials with the session', async () => {
    const { c, body } = await open();
    c.ws.close();
    assert.equal(body.webrtc, true);
    assert.equal(body.iceTransportPolicy, 'all');
    const [stun, turn] = body.iceServers as { urls: string[]; username?: string; credential?: string }[];
    assert.deepEqual(stun, { urls: ['stun:stun.example.com:3478'] });
    assert.deepEqual(turn!.urls, ['turn:turn.example.com:3478']);
    // Valid for the agent's longest call (600 s) and a little more; not for a day.
    const expiry = Number(turn!.username!.split(':')[0]) * 1000;
    assert.ok(expiry > Date.now() + 600_000 && expiry < Date.now() + 900_000, `expires ${new Date(expiry).toISOString()}`);
    assert.match(turn!.credential!, /^[A-Za-z0-9+/]{27}=$/);
  });

  it('talks over WebRTC: answer on the socket, greeting as Opus RTP, caller audio to the recogniser, playout reports', async () => {
    const udpBefore = udpSockets();
    const { c } = await open();
    const p = await peer();
    const connected = new Promise<void>((r) => p.pc.connectionStateChange.subscribe((s) => s === 'connected' && r()));
    c.json({ type: 'offer', sdp: p.offer });
    const answer = await c.waitFor((e) => e.type === 'answer', 15_000);
    assert.match(String(answer.sdp), /^v=0/);
    assert.match(String(answer.sdp), /a=rtpmap:\d+ opus\/48000\/2/i);
    await p.pc.setRemoteDescription({ type: 'answer', sdp: String(answer.sdp) });
    await connected;
    c.json({ type: 'start', mode: 'voice', audio: 'webrtc' });
    await c.waitFor((e) => e.type === 'state' && e.state === 'speaking');
    // The greeting: ~GREETING.length × 10 ms of audio, in 20 ms Opus frames, audible.
    const greetingFrames = Math.floor((GREETING.length * 10) / 20);
    while (p.received.length < greetingFrames) await new Promise((r) => setTimeout(r, 50)); // RTP arrives in real time
    const dec = new OpusDecoder(24000);
    const pcm = p.received.map((r) => dec.decode(r.payload));
    dec.close();
    assert.ok(pcm.every((f) => f.length === 480), '20 ms frames at 24 kHz');
    assert.ok(pcm.slice(5).some((f) => f.some((v) => Math.abs(v) > 300)), 'the greeting is audible');
    assert.ok(!c.audio.length, 'no audio on the socket');
    // The browser has played everything it got: the agent may listen.
    c.json({ type: 'playout', rtp: p.received.at(-1)!.header.timestamp });
    await c.waitFor((e) => e.type === 'state' && e.state === 'listening', 10_000);

    // The caller speaks: Opus frames from the peer reach the recogniser as 16 kHz PCM.
    const enc = new OpusEncoder(48000);
    const before = made.at(-1)!.stt.pushedSamples;
    for (let i = 0; i < 10; i++) p.mic.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: 100 + i, timestamp: 960 * i }), enc.encode(new Int16Array(960).fill(2000))));
    enc.close();
    while (made.at(-1)!.stt.pushedSamples - before < 5 * 320) await new Promise((r) => setTimeout(r, 20)); // packets cross UDP
    c.json({ type: 'end' });
    assert.equal((await c.closed).code, 1000);
    await Promise.all([...app.parley.live].map((s) => s.done));
    await p.pc.close();
    await nothingLeft(udpBefore);
  });

  it('answers garbage, a huge offer and a non-Opus offer with a clear error, keeps the socket, and leaves nothing behind', async () => {
    const udpBefore = udpSockets();
    for (const [sdp, error] of [
      ['hello', /the offer is not SDP/],
      ['v=0\r\n' + 'a=x\r\n'.repeat(5000), /an offer may be at most 16384 bytes/],
      ['v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n', /does not offer Opus/],
      ['v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\nthis is not SDP at all\r\n', /could not be answered|no audio section/],
    ] as const) {
      const { c } = await open();
      c.json({ type: 'offer', sdp });
      const answer = await c.waitFor((e) => e.type === 'answer', 15_000);
      assert.match(String(answer.error), error);
      assert.equal(answer.sdp, undefined);
      // The session goes on over the socket.
      c.json({ type: 'start', mode: 'text' });
      await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
      c.json({ type: 'end' });
      await c.closed;
    }
    await Promise.all([...app.parley.live].map((s) => s.done));
    await nothingLeft(udpBefore);
  });

  it('frees the connection of an offer whose browser never starts, or starts without it', async () => {
    const udpBefore = udpSockets();
    // Leaves after the answer.
    const a = await open();
    const pa = await peer();
    a.c.json({ type: 'offer', sdp: pa.offer });
    await a.c.waitFor((e) => e.type === 'answer', 15_000);
    assert.equal(RtcLink.live.size, 1);
    a.c.ws.close();
    await a.c.closed;
    // Falls back to PCM after the answer (its ICE did not connect).
    const b = await open();
    const pb = await peer();
    b.c.json({ type: 'offer', sdp: pb.offer });
    await b.c.waitFor((e) => e.type === 'answer', 15_000);
    b.c.json({ type: 'start', mode: 'voice' });
    await b.c.waitFor((e) => e.type === 'state' && e.state === 'speaking');
    while (!b.c.audio.length) await new Promise((r) => setTimeout(r, 20)); // the greeting comes as PCM on the socket instead
    b.c.json({ type: 'end' });
    await b.c.closed;
    await Promise.all([...app.parley.live].map((s) => s.done));
    await Promise.all([pa.pc.close(), pb.pc.close()]);
    // The socket's close handler runs right after `close`: wait for the server to see it.
    while (RtcLink.live.size) await new Promise((r) => setTimeout(r, 20));
    await nothingLeft(udpBefore);
  });

  it('refuses a second session on a used token, and offers when WebRTC is off', async () => {
    const { c, body } = await open();
    const again = connect(String(body.url), SHOP);
    assert.deepEqual(await again.closed, { code: 1008, reason: 'token already used' });
    c.ws.close();
    const { c: o, body: offBody } = await open(offBase);
    assert.equal(offBody.webrtc, false);
    assert.deepEqual(offBody.iceServers, []);
    const ready = o.events.find((e) => e.type === 'ready')!;
    assert.equal(ready.webrtc, false);
    const p = await peer();
    o.json({ type: 'offer', sdp: p.offer });
    const answer = await o.waitFor((e) => e.type === 'answer');
    assert.match(String(answer.error), /WebRTC is off on this server/);
    assert.equal(RtcLink.live.size, 0);
    o.ws.close();
    await p.pc.close();
  });
});
