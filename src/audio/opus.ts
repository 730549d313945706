import { createRequire } from 'node:module';
import type OpusScriptType from 'opusscript';

// Opus, the codec of WebRTC audio: libopus compiled to WebAssembly (opusscript), so no native
// build. One encoder or decoder per direction of one call; each holds WebAssembly memory until
// `close()`. Frames are 20 ms, as the real-time loop's.

const OpusScript = createRequire(import.meta.url)('opusscript') as typeof OpusScriptType;

/** Rates libopus encodes from and decodes to. */
export type OpusRate = 8000 | 12000 | 16000 | 24000 | 48000;

// libopus encoder requests (opus_defines.h).
const SET_BITRATE = 4002;
const SET_INBAND_FEC = 4012;
const SET_PACKET_LOSS_PERC = 4014;
const SET_DTX = 4016;

/** Frame durations libopus encodes, up to the real-time loop's 20 ms. */
export const OPUS_FRAME_MS = [20, 10, 5, 2.5] as const;

/** Mono PCM16 at `sampleRate` in, one Opus packet per 20 ms frame out. */
export class OpusEncoder {
  readonly sampleRate: OpusRate;
  readonly frameSamples: number;
  #opus: OpusScriptType | undefined;

  /** `bitrate` in bit/s (wideband speech is clear at 16 000); in-band FEC lets the far side rebuild a lost packet from the next one. */
  constructor(sampleRate: OpusRate, o: { bitrate?: number; expectedLossPercent?: number } = {}) {
    this.sampleRate = sampleRate;
    this.frameSamples = sampleRate / 50;
    const opus = new OpusScript(sampleRate, 1, OpusScript.Application.VOIP);
    opus.encoderCTL(SET_BITRATE, o.bitrate ?? 16_000);
    opus.encoderCTL(SET_INBAND_FEC, 1);
    opus.encoderCTL(SET_PACKET_LOSS_PERC, o.expectedLossPercent ?? 5);
    opus.encoderCTL(SET_DTX, 0);
    this.#opus = opus;
  }

  /** One frame as an Opus packet: 20 ms (`frameSamples`), or a shorter Opus duration (2.5, 5 or 10 ms) to end a stream without padding it to 20. */
  encode(pcm: Int16Array): Buffer {
    if (!this.#opus) throw new Error('the Opus encoder is closed');
    if (!OPUS_FRAME_MS.some((ms) => (ms * this.sampleRate) / 1000 === pcm.length)) throw new Error(`an Opus frame must be ${this.frameSamples} samples (or 2.5, 5 or 10 ms), got ${pcm.length}`);
    return this.#opus.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), pcm.length);
  }

  close(): void {
    this.#opus?.delete();
    this.#opus = undefined;
  }
}

/** Opus packets in, mono PCM16 at `sampleRate` out. */
export class OpusDecoder {
  readonly sampleRate: OpusRate;
  #opus: OpusScriptType | undefined;

  constructor(sampleRate: OpusRate) {
    this.sampleRate = sampleRate;
    this.#opus = new OpusScript(sampleRate, 1, OpusScript.Application.VOIP);
  }

  /** The audio of one packet; throws on a packet libopus cannot read. */
  decode(packet: Uint8Array): Int16Array {
    if (!this.#opus) throw new Error('the Opus decoder is closed');
    if (!packet.length) throw new Error('an empty Opus packet');
    const out = this.#opus.decode(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength));
    // Copy out of WebAssembly memory: the next decode reuses it.
    const pcm = new Int16Array(out.byteLength / 2);
    Buffer.from(pcm.buffer).set(out);
    return pcm;
  }

  close(): void {
    this.#opus?.delete();
    this.#opus = undefined;
  }
}
