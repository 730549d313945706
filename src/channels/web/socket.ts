import type { Channel, ClientEvent } from '../channel.ts';
import { CLOSE_NORMAL, CLOSE_POLICY, CLOSE_TOO_BIG, MAX_FRAME_BYTES, MESSAGE_BURST, MESSAGES_PER_SECOND, type WebSocketLike } from '../socket-limits.ts';

export { CLOSE_NORMAL, CLOSE_POLICY, CLOSE_TOO_BIG, CLOSE_TRY_AGAIN, MAX_FRAME_BYTES, type WebSocketLike } from '../socket-limits.ts';
import { AsyncQueue } from '../../util/async-queue.ts';
import { MAX_OPUS_PACKET_BYTES, SocketOpus } from './socket-opus.ts';

// The web door (widget and sandbox) over one WebSocket. The socket always carries the events; a
// voice session's audio goes either over it or, after an `offer`, over WebRTC (rtc-link.ts,
// rtc-channel.ts). Binary frames: PCM16 mono little-endian,
// 16 kHz from the browser, `outputSampleRate` from the server — or, after `start` with audio
// "opus", one Opus packet each (socket-opus.ts). Text frames: JSON events. The
// browser reports playout with `played` (cumulative ms of agent audio it has played), which is
// what heardMs() returns, so a barge-in keeps exactly what the caller heard. Until the first
// `played` arrives, playout is estimated by the wall clock. See docs/protocol.md.


/** Messages the browser sends (besides audio); `played` and `mute` are handled by the door itself. */
export type ClientMessage =
  | { type: 'start'; mode: 'voice' | 'text'; audio?: AudioPath }
  | { type: 'offer'; sdp: string }
  | { type: 'playout'; rtp: number }
  | { type: 'text'; text: string }
  | { type: 'mute'; muted: boolean }
  | { type: 'end' }
  | { type: 'played'; ms: number };

/** Where a voice session's audio goes: binary PCM or Opus frames on this socket, or the WebRTC connection its `offer` opened. */
export type AudioPath = 'pcm' | 'opus' | 'webrtc';

/** Events the server sends: the session's ClientEvents plus the door's own. */
export type ServerEvent =
  | ClientEvent
  | { type: 'ready'; sampleRate: number; conversationId: string; webrtc: boolean; opus: boolean }
  | { type: 'clear' }
  | { type: 'answer'; sdp: string }
  | { type: 'answer'; error: string };


export interface WebChannelOptions {
  outputSampleRate: 16000 | 24000;
  /** `start`, `offer`, `text` and `end` from the browser, once they are valid. */
  onMessage: (m: Exclude<ClientMessage, { type: 'played' | 'mute' | 'playout' }>) => void;
  /** A WebRTC session's playout report: the RTP timestamp of the agent frame the browser last played. */
  onPlayout?: (rtpTimestamp: number) => void;
  /** The socket closed, for whatever reason. */
  onClose?: (code: number, reason: string) => void;
  now?: () => number;
}

export class WebChannel implements Channel {
  readonly inputSampleRate = 16000;
  readonly outputSampleRate: number;
  #socket: WebSocketLike;
  #o: WebChannelOptions;
  #now: () => number;
  #mode: 'voice' | 'text' | undefined;
  #audioPath: AudioPath = 'pcm';
  /** The codec pair of a session started with audio "opus". */
  #opus: SocketOpus | undefined;
  #offered = false;
  #muted = false;
  #closed = false;
  #frames = new AsyncQueue<Int16Array>();
  #typed: ((text: string) => void) | undefined;
  #hangUps: (() => void)[] = [];
  /** Playout as the browser reports it; null until it first does. */
  #reportedMs: number | null = null;
  /** Wall-clock estimate for browsers that have not reported yet. */
  #estQueuedMs = 0;
  #estPlayedMs = 0;
  #estLast: number;
  /** Agent audio sent since the door opened (the most that can have been heard). */
  #sentMs = 0;
  /** Token bucket for incoming messages: a client flooding the socket is closed, not queued. */
  #allowance = MESSAGE_BURST;
  #allowanceAt: number;

  constructor(socket: WebSocketLike, o: WebChannelOptions) {
    this.#socket = socket;
    this.#o = o;
    this.outputSampleRate = o.outputSampleRate;
    this.#now = o.now ?? (() => performance.now());
    this.#estLast = this.#now();
    this.#allowanceAt = this.#estLast;
    socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    socket.on('close', (code, reason) => {
      this.#closed = true;
      this.hangUp();
      this.#opus?.close();
      this.#o.onClose?.(code, reason.toString());
    });
  }

  get mode(): 'voice' | 'text' | undefined {
    return this.#mode;
  }

  /** Whether the caller muted their microphone (`mute`). */
  get muted(): boolean {
    return this.#muted;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The caller is gone: the audio stream ends. */
  hangUp(): void {
    this.#frames.end();
    for (const l of this.#hangUps.splice(0)) l();
  }

  /** `listener` runs once when the caller is gone (`end`, or the socket closed): doors carrying audio elsewhere end it too. */
  onHangUp(listener: () => void): void {
    if (this.#frames.closed) listener();
    else this.#hangUps.push(listener);
  }

  onTyped(listener: (text: string) => void): void {
    this.#typed = listener;
  }

  /** A turn the caller typed during a voice session; false when no voice session listens for it yet. */
  typed(text: string): boolean {
    if (!this.#typed) return false;
    this.#typed(text);
    return true;
  }

  audio(): AsyncIterable<Int16Array> {
    return this.#frames;
  }

  play(pcm: Int16Array): void {
    if (this.#closed || !pcm.length) return;
    this.#advance();
    if (this.#opus) return this.#opus.play(pcm);
    this.#sendAudio(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength), (pcm.length * 1000) / this.outputSampleRate);
  }

  /** One binary frame of agent audio holding `ms` of it. */
  #sendAudio(frame: Uint8Array, ms: number): void {
    if (this.#closed) return;
    this.#advance();
    this.#sentMs += ms;
    this.#estQueuedMs += ms;
    this.#socket.send(frame);
  }

  clear(): void {
    this.#advance();
    this.#opus?.clear();
    this.#estQueuedMs = 0;
    this.#sendJson({ type: 'clear' });
  }

  heardMs(): number {
    if (this.#reportedMs !== null) return Math.min(this.#reportedMs, this.#sentMs);
    this.#advance();
    return this.#estPlayedMs;
  }

  send(event: ServerEvent): void {
    this.#sendJson(event);
  }

  close(reason: string): void {
    this.#shut(CLOSE_NORMAL, reason);
  }

  /** Closes this session for a protocol violation (1008) or an oversized frame (1009). */
  fail(code: number, reason: string): void {
    this.#shut(code, reason);
  }

  #shut(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.hangUp();
    this.#opus?.close();
    // A close reason is at most 123 bytes.
    this.#socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
  }

  #sendJson(event: ServerEvent): void {
    if (!this.#closed) this.#socket.send(JSON.stringify(event));
  }

  #advance(): void {
    const now = this.#now();
    const step = Math.min(now - this.#estLast, this.#estQueuedMs);
    this.#estPlayedMs += step;
    this.#estQueuedMs -= step;
    this.#estLast = now;
  }

  #receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.#closed) return;
    const t = this.#now();
    this.#allowance = Math.min(MESSAGE_BURST, this.#allowance + ((t - this.#allowanceAt) * MESSAGES_PER_SECOND) / 1000);
    this.#allowanceAt = t;
    if (--this.#allowance < 0) return this.fail(CLOSE_POLICY, `more than ${MESSAGES_PER_SECOND} messages a second`);
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (buf.byteLength > MAX_FRAME_BYTES) return this.fail(CLOSE_TOO_BIG, `frame of ${buf.byteLength} bytes exceeds ${MAX_FRAME_BYTES}`);
    if (isBinary) return this.#audioFrame(buf);
    const m = parseClientMessage(buf.toString('utf8'));
    if (typeof m === 'string') return this.fail(CLOSE_POLICY, m);
    switch (m.type) {
      case 'played':
        this.#reportedMs = Math.max(this.#reportedMs ?? 0, m.ms);
        return;
      case 'mute':
        this.#muted = m.muted;
        return;
      case 'playout':
        if (this.#audioPath !== 'webrtc') return this.fail(CLOSE_POLICY, 'playout is for WebRTC sessions; send played');
        this.#o.onPlayout?.(m.rtp);
        return;
      case 'offer':
        if (this.#mode) return this.fail(CLOSE_POLICY, 'offer after start');
        if (this.#offered) return this.fail(CLOSE_POLICY, 'one offer per session');
        this.#offered = true;
        break;
      case 'start':
        if (this.#mode) return this.fail(CLOSE_POLICY, 'session already started');
        if (m.audio === 'webrtc' && (m.mode !== 'voice' || !this.#offered)) return this.fail(CLOSE_POLICY, 'audio "webrtc" needs a voice start after an offer');
        if (m.audio === 'opus' && m.mode !== 'voice') return this.fail(CLOSE_POLICY, 'audio "opus" is for voice sessions');
        this.#mode = m.mode;
        this.#audioPath = m.audio ?? 'pcm';
        if (this.#audioPath === 'opus')
          this.#opus = new SocketOpus(this.#o.outputSampleRate, {
            send: (packet, ms) => this.#sendAudio(packet, ms),
            queuedMs: () => (this.#advance(), this.#estQueuedMs),
          });
        break;
      case 'text':
        if (!this.#mode) return this.fail(CLOSE_POLICY, 'send start before text');
        break;
      case 'end':
        this.hangUp();
        break;
    }
    this.#o.onMessage(m);
  }

  #audioFrame(buf: Buffer): void {
    if (this.#mode !== 'voice') return this.fail(CLOSE_POLICY, this.#mode ? 'audio in a text session' : 'audio before start');
    if (this.#audioPath === 'webrtc') return this.fail(CLOSE_POLICY, 'audio frames on the socket of a WebRTC session');
    if (this.#opus) return this.#opusFrame(buf, this.#opus);
    if (buf.byteLength % 2) return this.fail(CLOSE_POLICY, 'audio frame is not whole PCM16 samples');
    const pcm = new Int16Array(buf.byteLength / 2);
    if (!this.#muted) Buffer.from(pcm.buffer).set(buf);
    this.#frames.push(pcm); // muted: silence keeps the caller's clock running
  }

  #opusFrame(buf: Buffer, opus: SocketOpus): void {
    if (buf.byteLength > MAX_OPUS_PACKET_BYTES) return this.fail(CLOSE_TOO_BIG, `Opus packet of ${buf.byteLength} bytes exceeds ${MAX_OPUS_PACKET_BYTES}`);
    let pcm: Int16Array;
    try {
      pcm = opus.decode(buf);
    } catch (e) {
      return this.fail(CLOSE_POLICY, `malformed Opus packet (${e instanceof Error ? e.message : String(e)})`);
    }
    this.#frames.push(this.#muted ? new Int16Array(pcm.length) : pcm);
  }
}

/** A client message, or why it is not one. */
export function parseClientMessage(text: string): ClientMessage | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'malformed JSON';
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'a message must be a JSON object';
  const m = v as Record<string, unknown>;
  switch (m.type) {
    case 'start':
      if (m.mode !== 'voice' && m.mode !== 'text') return 'start needs mode "voice" or "text"';
      if (m.audio !== undefined && m.audio !== 'pcm' && m.audio !== 'opus' && m.audio !== 'webrtc') return 'start\'s audio must be "pcm", "opus" or "webrtc"';
      return m.audio ? { type: 'start', mode: m.mode, audio: m.audio } : { type: 'start', mode: m.mode };
    case 'offer':
      return typeof m.sdp === 'string' && m.sdp ? { type: 'offer', sdp: m.sdp } : 'offer needs an SDP string "sdp"';
    case 'playout':
      return typeof m.rtp === 'number' && Number.isInteger(m.rtp) && m.rtp >= 0 && m.rtp <= 0xffff_ffff ? { type: 'playout', rtp: m.rtp } : 'playout needs an RTP timestamp "rtp" (0 to 2^32-1)';
    case 'text':
      return typeof m.text === 'string' && m.text.trim() ? { type: 'text', text: m.text } : 'text needs a non-empty string "text"';
    case 'mute':
      return typeof m.muted === 'boolean' ? { type: 'mute', muted: m.muted } : 'mute needs a boolean "muted"';
    case 'end':
      return { type: 'end' };
    case 'played':
      return typeof m.ms === 'number' && Number.isFinite(m.ms) && m.ms >= 0 ? { type: 'played', ms: m.ms } : 'played needs a non-negative number "ms"';
    default:
      return `unknown message type ${JSON.stringify(String(m.type)).slice(0, 40)}`;
  }
}
