import { mulawDecode, mulawEncode } from '../../audio/mulaw.ts';
import type { Channel, ClientEvent } from '../channel.ts';
import { CLOSE_NORMAL, CLOSE_POLICY, CLOSE_TOO_BIG, MESSAGE_BURST, MESSAGES_PER_SECOND, type WebSocketLike } from '../socket-limits.ts';
import { clearMessage, markMessage, MAX_TWILIO_FRAME, mediaMessage, parseTwilioMessage, type StreamStart } from './messages.ts';
import { AsyncQueue } from '../../util/async-queue.ts';

// The phone door: one Twilio Media Stream as a Channel. Caller audio arrives as μ-law 8 kHz and
// is decoded; agent audio is encoded and sent in 20 ms messages, paced so Twilio's buffer holds
// only `leadMs` ahead of what is playing — that keeps `clear` (barge-in) effective. A `mark`
// follows every few frames; Twilio echoes it when the audio before it has played, which is how
// heardMs() knows what the caller really heard. Marks echoed because of a `clear` are ignored.

const FRAME_BYTES = 160; // 20 ms of μ-law at 8 kHz
const FRAME_MS = 20;
const MARK_EVERY = 3; // frames: heard text is exact to 60 ms
const SILENCE = 0xff; // μ-law code for 0

export interface TwilioChannelOptions {
  /** The stream started: the call's ids and the <Parameter>s from our TwiML. */
  onStart: (start: StreamStart) => void;
  /** A key the caller pressed. */
  onDtmf?: (digit: string) => void;
  /** The socket closed, for whatever reason (`stop`, hang-up, a protocol violation). */
  onClose?: (reason: string) => void;
  /** How far ahead of playback agent audio is sent (default 100 ms). */
  leadMs?: number;
  now?: () => number;
}

export class TwilioChannel implements Channel {
  readonly inputSampleRate = 8000;
  readonly outputSampleRate = 8000;
  #socket: WebSocketLike;
  #o: TwilioChannelOptions;
  #now: () => number;
  #streamSid: string | undefined;
  #closed = false;
  #closeReason = '';
  // caller audio
  #frames = new AsyncQueue<Int16Array>();
  // agent audio
  #pending: Uint8Array[] = []; // whole 160-byte frames waiting to be sent
  #partial = new Uint8Array(0); // the start of the next frame
  #sentMs = 0;
  #burstStart = 0;
  #burstFrames = 0;
  #pacer: NodeJS.Timeout | undefined;
  #markSeq = 0;
  #marks = new Map<string, number>();
  #heardMs = 0;
  #allowance = MESSAGE_BURST;
  #allowanceAt: number;

  constructor(socket: WebSocketLike, o: TwilioChannelOptions) {
    this.#socket = socket;
    this.#o = o;
    this.#now = o.now ?? (() => performance.now());
    this.#allowanceAt = this.#now();
    socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    socket.on('close', () => {
      this.#closed = true;
      this.#stopPacer();
      this.#hangUp();
      this.#o.onClose?.(this.#closeReason || 'caller hung up');
    });
  }

  get streamSid(): string | undefined {
    return this.#streamSid;
  }

  audio(): AsyncIterable<Int16Array> {
    return this.#frames;
  }

  play(pcm: Int16Array): void {
    if (this.#closed || !pcm.length || !this.#streamSid) return;
    const bytes = mulawEncode(pcm);
    const all = new Uint8Array(this.#partial.length + bytes.length);
    all.set(this.#partial);
    all.set(bytes, this.#partial.length);
    let i = 0;
    for (; i + FRAME_BYTES <= all.length; i += FRAME_BYTES) this.#pending.push(all.slice(i, i + FRAME_BYTES));
    this.#partial = all.slice(i);
    if (!this.#pacer) {
      this.#burstStart = this.#now();
      this.#burstFrames = 0;
      this.#pacer = setInterval(() => this.#pace(), FRAME_MS);
      this.#pace();
    }
  }

  clear(): void {
    this.#pending = [];
    this.#partial = new Uint8Array(0);
    this.#stopPacer();
    // Twilio echoes the marks of the audio it drops; they were never heard.
    this.#marks.clear();
    // Whatever was sent and not confirmed is taken as unheard: the caller heard up to the last mark.
    this.#sentMs = this.#heardMs;
    if (this.#streamSid) this.#send(clearMessage(this.#streamSid));
  }

  heardMs(): number {
    return this.#heardMs;
  }

  /** Milliseconds of agent audio sent to Twilio, played or not. */
  sentMs(): number {
    return this.#sentMs;
  }

  /** Whether the stream has closed (hang-up, `stop`, new TwiML on the call). */
  get closed(): boolean {
    return this.#closed;
  }

  send(_event: ClientEvent): void {
    // A phone has no screen: captions and states are for the web door only.
  }

  close(reason: string): void {
    this.#shut(CLOSE_NORMAL, reason);
  }

  /** Closes this call's stream for a protocol violation. */
  fail(code: number, reason: string): void {
    this.#shut(code, reason);
  }

  #shut(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    this.#stopPacer();
    this.#hangUp();
    this.#socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
  }

  #hangUp(): void {
    this.#frames.end();
  }

  #send(text: string): void {
    if (!this.#closed) this.#socket.send(text);
  }

  /** Sends what is due: everything up to `leadMs` ahead of the playback clock of this burst. */
  #pace(): void {
    const lead = this.#o.leadMs ?? 100;
    const due = Math.floor((this.#now() - this.#burstStart + lead) / FRAME_MS);
    if (!this.#pending.length && this.#partial.length) {
      // The end of the agent's audio: pad the last frame with silence.
      const last = new Uint8Array(FRAME_BYTES).fill(SILENCE);
      last.set(this.#partial);
      this.#pending.push(last);
      this.#partial = new Uint8Array(0);
    }
    while (this.#burstFrames < due && this.#pending.length) {
      this.#send(mediaMessage(this.#streamSid!, this.#pending.shift()!));
      this.#burstFrames++;
      this.#sentMs += FRAME_MS;
      if (this.#burstFrames % MARK_EVERY === 0 || !this.#pending.length) this.#mark();
    }
    if (!this.#pending.length && !this.#partial.length) this.#stopPacer();
  }

  #mark(): void {
    const name = `p${++this.#markSeq}`;
    this.#marks.set(name, this.#sentMs);
    this.#send(markMessage(this.#streamSid!, name));
  }

  #stopPacer(): void {
    clearInterval(this.#pacer);
    this.#pacer = undefined;
  }

  #receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.#closed) return;
    const t = this.#now();
    this.#allowance = Math.min(MESSAGE_BURST, this.#allowance + ((t - this.#allowanceAt) * MESSAGES_PER_SECOND) / 1000);
    this.#allowanceAt = t;
    if (--this.#allowance < 0) return this.fail(CLOSE_POLICY, `more than ${MESSAGES_PER_SECOND} messages a second`);
    if (isBinary) return this.fail(CLOSE_POLICY, 'binary frames are not part of Media Streams');
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (buf.byteLength > MAX_TWILIO_FRAME) return this.fail(CLOSE_TOO_BIG, `message of ${buf.byteLength} bytes exceeds ${MAX_TWILIO_FRAME}`);
    const m = parseTwilioMessage(buf.toString('utf8'));
    if (typeof m === 'string') return this.fail(CLOSE_POLICY, m);
    switch (m.event) {
      case 'connected':
        return;
      case 'start':
        if (this.#streamSid) return this.fail(CLOSE_POLICY, 'stream already started');
        this.#streamSid = m.start.streamSid;
        return this.#o.onStart(m.start);
      case 'media': {
        if (!this.#streamSid) return this.fail(CLOSE_POLICY, 'media before start');
        if (!m.payload.length) return;
        return this.#frames.push(mulawDecode(m.payload));
      }
      case 'mark': {
        const ms = this.#marks.get(m.name);
        if (ms === undefined) return; // cleared, or not ours
        this.#heardMs = Math.max(this.#heardMs, ms);
        for (const [name, at] of this.#marks) if (at <= ms) this.#marks.delete(name);
        return;
      }
      case 'dtmf':
        if (!this.#streamSid) return this.fail(CLOSE_POLICY, 'dtmf before start');
        return this.#o.onDtmf?.(m.digit);
      case 'stop':
        this.#closeReason = 'caller hung up';
        this.#hangUp();
        return this.#shut(CLOSE_NORMAL, 'caller hung up');
    }
  }
}
