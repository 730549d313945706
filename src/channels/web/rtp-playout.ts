import { OpusEncoder, type OpusRate } from '../../audio/opus.ts';

// The agent's side of a WebRTC call: its audio cut into 20 ms Opus frames and sent in real time
// (the browser's jitter buffer holds only a few frames, so the door paces, not the browser), and
// the map from RTP timestamps back to "milliseconds of agent audio", so the browser's playout
// report (the RTP timestamp of the frame it last played) says exactly how much the caller heard.

/** Opus over RTP counts time at 48 kHz whatever the audio's rate (RFC 7587). */
export const RTP_CLOCK = 48_000;
const FRAME_MS = 20;
/** How far ahead of real time frames go out: rides out event-loop stalls on a busy server (frames sent cannot be taken back at a barge-in, and count as heard). */
export const LEAD_MS = 80;
/** Frames remembered for playout reports: reports older than this many seconds map to the oldest. */
const HISTORY_FRAMES = 30 * (1000 / FRAME_MS);

/** One RTP packet's worth of agent audio, for the transport to send. */
export interface OpusFrame {
  timestamp: number;
  sequenceNumber: number;
  /** First frame of a talkspurt (after silence). */
  marker: boolean;
  payload: Buffer;
}

/** Agent audio queued for a WebRTC track, paced by `tick(now)`; also the heard-ms bookkeeping. */
export class RtpPlayout {
  readonly sampleRate: OpusRate;
  #encoder: OpusEncoder;
  #send: (f: OpusFrame) => void;
  #queue: Int16Array[] = [];
  #queuedSamples = 0;
  /** Head of the queue already consumed (samples into #queue[0]). */
  #headOffset = 0;
  /** Schedule of the current talkspurt: when its next frame is due (ms), or null when idle. */
  #nextAt: number | null = null;
  #t0: number;
  #seq = Math.floor(Math.random() * 0x10000);
  #tsBase = Math.floor(Math.random() * 0x1_0000_0000);
  /** Ring of sent frames: RTP timestamp and cumulative agent ms once that frame has played. */
  #sent: { ts: number; cumMs: number }[] = [];
  #sentMs = 0;
  /** Agent audio that cannot be taken back any more (sent before the last clear). */
  #committedMs = 0;
  /** Highest playout reported (mapped to ms). */
  #reportedMs = 0;
  #everReported = false;
  /** When the last frame sent ends (ms): the earliest the next talkspurt may start. */
  #idleFrom = -Infinity;

  constructor(o: { sampleRate: OpusRate; send: (f: OpusFrame) => void; now: number; bitrate?: number }) {
    this.sampleRate = o.sampleRate;
    this.#encoder = new OpusEncoder(o.sampleRate, { bitrate: o.bitrate });
    this.#send = o.send;
    this.#t0 = o.now;
  }

  /** Queues agent audio behind what is queued. */
  push(pcm: Int16Array): void {
    if (!pcm.length) return;
    this.#queue.push(pcm);
    this.#queuedSamples += pcm.length;
  }

  /** Sends every frame due by `now` (plus the lead); called every few milliseconds. */
  tick(now: number): void {
    const frame = this.#encoder.frameSamples;
    while (this.#queuedSamples > 0) {
      const marker = this.#nextAt === null;
      // A talkspurt starts now, but never before the last one's audio ends (its frames went out
      // ahead of time); one that fell far behind (a stalled loop) restarts rather than bursts.
      if (this.#nextAt === null || this.#nextAt < now - 200) this.#nextAt = Math.max(now, this.#idleFrom);
      if (this.#nextAt > now + LEAD_MS) return;
      const pcm = this.#take(frame);
      const ts = (this.#tsBase + Math.round(((this.#nextAt - this.#t0) * RTP_CLOCK) / 1000)) >>> 0;
      this.#sentMs += pcm.real;
      this.#sent.push({ ts, cumMs: this.#sentMs });
      if (this.#sent.length > HISTORY_FRAMES) this.#sent.shift();
      this.#seq = (this.#seq + 1) & 0xffff;
      this.#send({ timestamp: ts, sequenceNumber: this.#seq, marker, payload: this.#encoder.encode(pcm.samples) });
      this.#nextAt += FRAME_MS;
      this.#idleFrom = this.#nextAt;
    }
    // Queue ran dry: the talkspurt is over (a partial last frame was padded with silence).
    this.#nextAt = null;
  }

  /** Barge-in: nothing queued goes out. What was sent is in the browser's jitter buffer and will play. */
  clear(): void {
    this.#queue = [];
    this.#queuedSamples = 0;
    this.#headOffset = 0;
    this.#nextAt = null;
    this.#committedMs = this.#sentMs;
  }

  /** The browser played up to the frame stamped `timestamp` (getSynchronizationSources().rtpTimestamp). */
  reportPlayed(timestamp: number): void {
    const ts = timestamp >>> 0;
    // Latest sent frame at or before `ts` (timestamps compared modulo 2^32).
    for (let i = this.#sent.length - 1; i >= 0; i--) {
      const f = this.#sent[i]!;
      if (((ts - f.ts) >>> 0) < 0x8000_0000) {
        this.#reportedMs = Math.max(this.#reportedMs, f.cumMs);
        this.#everReported = true;
        return;
      }
    }
  }

  /** Agent audio the caller has heard: the playout reports, or everything sent up to a clear. */
  heardMs(now: number): number {
    if (!this.#everReported) {
      // No report yet: assume frames play LEAD_MS plus a jitter buffer's worth after they were due.
      let est = 0;
      const lagTicks = ((LEAD_MS + 60) * RTP_CLOCK) / 1000;
      const nowTs = (this.#tsBase + Math.round(((now - this.#t0) * RTP_CLOCK) / 1000)) >>> 0;
      for (const f of this.#sent) if (((nowTs - f.ts) >>> 0) < 0x8000_0000 && ((nowTs - f.ts) >>> 0) >= lagTicks) est = f.cumMs;
      return Math.max(est, this.#committedMs);
    }
    return Math.min(this.#sentMs, Math.max(this.#reportedMs, this.#committedMs));
  }

  /** Agent audio sent so far, in ms. */
  get sentMs(): number {
    return this.#sentMs;
  }

  /** Whether audio waits to be sent. */
  get pending(): boolean {
    return this.#queuedSamples > 0;
  }

  close(): void {
    this.#queue = [];
    this.#queuedSamples = 0;
    this.#encoder.close();
  }

  /** The next `n` samples (silence-padded at the end of the queue) and how many ms of them were real audio. */
  #take(n: number): { samples: Int16Array; real: number } {
    const out = new Int16Array(n);
    let filled = 0;
    while (filled < n && this.#queue.length) {
      const head = this.#queue[0]!;
      const k = Math.min(n - filled, head.length - this.#headOffset);
      out.set(head.subarray(this.#headOffset, this.#headOffset + k), filled);
      filled += k;
      this.#headOffset += k;
      if (this.#headOffset === head.length) {
        this.#queue.shift();
        this.#headOffset = 0;
      }
    }
    this.#queuedSamples -= filled;
    return { samples: out, real: (filled * 1000) / this.sampleRate };
  }
}
