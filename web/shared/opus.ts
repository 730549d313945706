// Opus on the session socket, for when WebRTC does not connect (docs/protocol.md, start with
// audio "opus"): the browser's own WebCodecs encode the microphone's 20 ms frames (16 kHz, the
// capture's rate) and decode the agent's packets, which the PCM player then plays and counts for
// `played`. About 24 kbit/s each way instead of 256 up and 384 down. No codec ships in the widget.

const ENCODER: AudioEncoderConfig = { codec: 'opus', sampleRate: 16000, numberOfChannels: 1, bitrate: 24000, opus: { frameDuration: 20000 } };
const DECODER: AudioDecoderConfig = { codec: 'opus', sampleRate: 48000, numberOfChannels: 1 };

/** Whether this browser encodes and decodes Opus with WebCodecs (Chromium, Safari 17+; not every Firefox). */
export async function opusSupported(): Promise<boolean> {
  if (typeof AudioEncoder === 'undefined' || typeof AudioDecoder === 'undefined') return false;
  try {
    const [e, d] = await Promise.all([AudioEncoder.isConfigSupported(ENCODER), AudioDecoder.isConfigSupported(DECODER)]);
    return !!(e.supported && d.supported);
  } catch {
    return false;
  }
}

/** The socket's codec pair: microphone frames in, packets out; agent packets in, samples out. */
export interface OpusCodec {
  /** One 20 ms microphone frame (16 kHz PCM16); its packet goes to `send`. */
  encode(pcm: Int16Array<ArrayBuffer>): void;
  /** One agent packet; its audio goes to `play`. */
  decode(packet: ArrayBuffer): void;
  /** Barge-in: agent packets still being decoded are not played. */
  clear(): void;
  close(): void;
}

/** Starts both codecs; `play` gets the agent's audio as float samples at their rate. */
export function startOpus(send: (packet: ArrayBuffer) => void, play: (samples: Float32Array<ArrayBuffer>, rate: number) => void): OpusCodec {
  let upAt = 0;
  let downAt = 0;
  /** Packets stamped before this were cleared: their audio is dropped when it comes out. */
  let clearedBefore = 0;
  const encoder = new AudioEncoder({
    output: (chunk) => {
      const packet = new ArrayBuffer(chunk.byteLength);
      chunk.copyTo(packet);
      send(packet);
    },
    error: () => {}, // a closed encoder sends nothing more; the server hears silence
  });
  encoder.configure(ENCODER);
  const decoder = new AudioDecoder({
    output: (data) => {
      if (data.timestamp >= clearedBefore) {
        const samples = new Float32Array(data.numberOfFrames);
        data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
        play(samples, data.sampleRate);
      }
      data.close();
    },
    error: () => {},
  });
  decoder.configure(DECODER);
  return {
    encode(pcm) {
      if (encoder.state !== 'configured') return;
      const data = new AudioData({ format: 's16', sampleRate: 16000, numberOfFrames: pcm.length, numberOfChannels: 1, timestamp: upAt, data: pcm });
      upAt += (pcm.length * 1e6) / 16000;
      encoder.encode(data);
      data.close();
    },
    decode(packet) {
      if (decoder.state !== 'configured') return;
      decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: downAt, data: packet }));
      downAt += 1000; // only the order matters: a packet's real length is known once decoded
    },
    clear() {
      clearedBefore = downAt;
    },
    close() {
      for (const c of [encoder, decoder]) if (c.state !== 'closed') c.close();
    },
  };
}
