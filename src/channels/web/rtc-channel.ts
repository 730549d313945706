import type { Channel } from '../channel.ts';
import type { ServerEvent, WebChannel } from './socket.ts';

// The web door when the browser's audio travels over WebRTC: Opus both ways on the link, the
// agent's voice a real track the browser plays (so its echo canceller hears it); events (captions,
// state, clear, end) and playout reports stay on the session's socket. Heard audio comes from the
// browser's reports of the RTP timestamp it last played (see rtp-playout.ts).

/** The audio side of a WebRTC connection, as the door uses it (RtcLink is the real one). */
export interface RtcAudio {
  /** The caller's microphone, 16 kHz PCM16. */
  mic(): AsyncIterable<Int16Array>;
  play(pcm: Int16Array): void;
  clear(): void;
  /** Agent audio the browser reported played (plus what a clear could no longer take back). */
  heardMs(): number;
  close(): void;
}

/** A voice session's door: the socket for events, the WebRTC link for audio. */
export class RtcChannel implements Channel {
  readonly inputSampleRate = 16000;
  readonly outputSampleRate: number;
  #events: WebChannel;
  #link: RtcAudio;

  constructor(events: WebChannel, link: RtcAudio) {
    this.#events = events;
    this.#link = link;
    this.outputSampleRate = events.outputSampleRate;
    events.onHangUp(() => link.close()); // the caller's `end`: their audio ends with it
  }

  async *audio(): AsyncIterable<Int16Array> {
    for await (const pcm of this.#link.mic()) yield this.#events.muted ? new Int16Array(pcm.length) : pcm; // muted: silence keeps the caller's clock running
  }

  play(pcm: Int16Array): void {
    this.#link.play(pcm);
  }

  clear(): void {
    this.#link.clear();
    this.#events.clear(); // tells the browser too; what is already in its jitter buffer still plays
  }

  heardMs(): number {
    return this.#link.heardMs();
  }

  send(event: ServerEvent): void {
    this.#events.send(event);
  }

  close(reason: string): void {
    this.#events.close(reason);
    this.#link.close();
  }

  onTyped(listener: (text: string) => void): void {
    this.#events.onTyped(listener);
  }
}
