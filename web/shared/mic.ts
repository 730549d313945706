// Microphone capture for the web door: the browser's microphone as 16 kHz mono PCM16 frames
// (20 ms, 640 bytes each), the format docs/protocol.md asks for. The AudioContext runs at the
// device's own rate (Firefox cannot connect a microphone to a context at another rate) and an
// AudioWorklet averages the input down to 16 kHz, which is enough low-pass for speech.

/** A running capture; `stop()` releases the microphone. */
export interface Mic {
  /** The microphone itself, for a WebRTC track. */
  stream: MediaStream;
  stop(): void;
}

export const MIC_SAMPLE_RATE = 16000;
const FRAME_SAMPLES = 320; // 20 ms at 16 kHz

const WORKLET = `
class ParleyCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / ${MIC_SAMPLE_RATE};
    this.t = 0; this.sum = 0; this.count = 0; this.last = 0;
    this.frame = new Int16Array(${FRAME_SAMPLES}); this.n = 0;
  }
  emit(v) {
    const s = Math.max(-1, Math.min(1, v));
    this.frame[this.n++] = s < 0 ? s * 0x8000 : s * 0x7fff;
    if (this.n === this.frame.length) {
      this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
      this.frame = new Int16Array(${FRAME_SAMPLES}); this.n = 0;
    }
  }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    for (let i = 0; i < ch.length; i++) {
      this.sum += ch[i]; this.count++; this.t += 1;
      while (this.t >= this.step) {
        this.t -= this.step;
        this.last = this.count ? this.sum / this.count : this.last;
        this.sum = 0; this.count = 0;
        this.emit(this.last);
      }
    }
    return true;
  }
}
registerProcessor('parley-capture', ParleyCapture);
`;

/** Asks for the microphone and calls `onFrame` with every 20 ms of 16 kHz PCM16 audio until stopped. */
export async function startMic(onFrame: (pcm: Int16Array<ArrayBuffer>) => void): Promise<Mic> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  const ctx = new AudioContext();
  try {
    const url = URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' }));
    try {
      await ctx.audioWorklet.addModule(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    const source = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, 'parley-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1 });
    node.port.onmessage = (e: MessageEvent<ArrayBuffer>) => onFrame(new Int16Array(e.data));
    source.connect(node);
    await ctx.resume();
    return {
      stream,
      stop() {
        node.port.onmessage = null;
        source.disconnect();
        for (const track of stream.getTracks()) track.stop();
        void ctx.close();
      },
    };
  } catch (e) {
    for (const track of stream.getTracks()) track.stop();
    void ctx.close();
    throw e;
  }
}
