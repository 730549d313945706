import { OPUS_FRAME_MS, OpusDecoder, OpusEncoder } from '../../audio/opus.ts';

// Opus on the web door's socket, for browsers that have WebCodecs but no WebRTC path (UDP blocked,
// no TURN): each binary frame is one raw Opus packet, 20 ms both ways, instead of PCM16 — about
// 24 kbit/s each way instead of 256 up and 384 down. TCP loses nothing, so there is no FEC or
// jitter buffer here; the browser decodes with AudioDecoder and plays through its PCM player,
// which reports `played` ms exactly as on the PCM path.
//
// The agent's audio arrives in pieces of any length; whole 20 ms frames go out at once, and the
// rest waits for more audio. Before the browser would run out of audio (`flushBy`), that rest is
// sent in shorter Opus frames (10, 5, 2.5 ms), padded with at most 2.5 ms of silence, so played ms
// stay within 2.5 ms of the audio sent at the end of each utterance.

/** The largest Opus packet accepted from the browser: a 20 ms packet at 24–32 kbit/s is under 100 bytes; libopus's own maximum for one frame is 1275. */
export const MAX_OPUS_PACKET_BYTES = 1500;
/** Caller audio the browser may send per second (bit/s of Opus); what the widget asks its encoder for. */
export const CALLER_OPUS_BITRATE = 24_000;
/** The agent's voice down the socket, in bit/s. */
const AGENT_OPUS_BITRATE = 24_000;
/** The rest of an utterance goes out this long before the browser's queue would run dry. */
const FLUSH_AHEAD_MS = 40;

/** The socket's Opus codec pair for one session: caller packets decoded to 16 kHz, agent audio encoded in frames. */
export class SocketOpus {
  #decoder = new OpusDecoder(16000);
  #encoder: OpusEncoder;
  #send: (packet: Uint8Array, ms: number) => void;
  #rest = new Int16Array(0);
  #timer: NodeJS.Timeout | undefined;
  #queuedMs: () => number;

  /** `send` gets each agent packet and the milliseconds of audio it holds, in order; `queuedMs` is how much sent audio the browser has yet to play. */
  constructor(outputSampleRate: 16000 | 24000, o: { send: (packet: Uint8Array, ms: number) => void; queuedMs: () => number }) {
    this.#encoder = new OpusEncoder(outputSampleRate, { bitrate: AGENT_OPUS_BITRATE, expectedLossPercent: 0 });
    this.#send = o.send;
    this.#queuedMs = o.queuedMs;
  }

  /** One caller packet as 16 kHz PCM16; throws on a packet libopus cannot read. */
  decode(packet: Uint8Array): Int16Array {
    return this.#decoder.decode(packet);
  }

  /** Agent audio: whole frames go out now; the rest before the browser's queue would run dry, unless more audio joins it first. */
  play(pcm: Int16Array): void {
    const all = new Int16Array(this.#rest.length + pcm.length);
    all.set(this.#rest);
    all.set(pcm, this.#rest.length);
    const frame = this.#encoder.frameSamples;
    let at = 0;
    for (; at + frame <= all.length; at += frame) this.#emit(all.subarray(at, at + frame));
    this.#rest = all.slice(at);
    clearTimeout(this.#timer);
    if (this.#rest.length) this.#timer = setTimeout(() => this.flush(), Math.max(0, this.#queuedMs() - FLUSH_AHEAD_MS)).unref();
  }

  /** Sends what is left of the agent's audio, in short frames (the last padded to 2.5 ms). */
  flush(): void {
    clearTimeout(this.#timer);
    const rate = this.#encoder.sampleRate;
    const grain = (2.5 * rate) / 1000;
    const padded = new Int16Array(Math.ceil(this.#rest.length / grain) * grain);
    padded.set(this.#rest);
    this.#rest = new Int16Array(0);
    let at = 0;
    for (const ms of OPUS_FRAME_MS) {
      const n = (ms * rate) / 1000;
      for (; at + n <= padded.length; at += n) this.#emit(padded.subarray(at, at + n));
    }
  }

  /** Barge-in: the agent audio not sent yet is dropped. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#rest = new Int16Array(0);
  }

  close(): void {
    this.clear();
    this.#decoder.close();
    this.#encoder.close();
  }

  #emit(pcm: Int16Array): void {
    this.#send(this.#encoder.encode(pcm), (pcm.length * 1000) / this.#encoder.sampleRate);
  }
}
