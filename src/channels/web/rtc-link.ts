import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, useOPUS } from 'werift';
import { OpusDecoder } from '../../audio/opus.ts';
import { AsyncQueue } from '../../util/async-queue.ts';
import { RtpPlayout, type OpusFrame } from './rtp-playout.ts';

// One browser's WebRTC connection, server side (werift, pure TypeScript): answers the browser's
// SDP offer with one Opus audio track each way, decodes the caller's microphone to 16 kHz PCM,
// and plays the agent's audio as a real track (RtpPlayout paces it). Everything it holds (UDP
// sockets, DTLS, WebAssembly codec memory, the pacing timer) is released by `close()`, which
// the web door calls when its socket closes — or by itself when ICE does not connect in time.

/** The largest SDP offer accepted: a browser's audio-only offer is 3–6 KB. */
export const MAX_OFFER_BYTES = 16 * 1024;
/** How long a link may take to connect after the answer before it gives up and frees itself. */
export const CONNECT_TIMEOUT_MS = 15_000;
const TICK_MS = 10;
const MIC_RATE = 16_000;
/** What the browser may send the caller's voice at, in bit/s of Opus. */
const CALLER_BITRATE = 16_000;
/** A gap in the caller's packets longer than this is not filled with silence (the caller's clock resumes). */
const MAX_FILL_FRAMES = 25;

export type RtcLinkState = 'connecting' | 'connected' | 'closed';

export interface RtcLinkOptions {
  /** Rate the agent's audio comes in (the door's outputSampleRate). */
  outputSampleRate: 16000 | 24000;
  /** Extra host addresses to announce (the server's public IP behind 1:1 NAT), and the UDP ports to use. */
  announce?: string[];
  portRange?: [number, number];
  now?: () => number;
}

/** The reasons an offer is refused, as the browser is told. */
export class OfferError extends Error {}

/** One answered offer: the caller's audio in, the agent's audio out, over Opus. */
export class RtcLink {
  /** Links of this process not closed yet, and the closings still under way (tests check nothing is left behind). */
  static readonly live = new Set<RtcLink>();
  static readonly #closing = new Set<Promise<void>>();
  /** Resolves when every closed link has released its sockets. */
  static async settled(): Promise<void> {
    await Promise.all([...RtcLink.#closing]);
  }

  readonly answer: string;
  #pc: RTCPeerConnection;
  #track: MediaStreamTrack;
  #playout: RtpPlayout;
  #decoder = new OpusDecoder(MIC_RATE);
  #mic = new AsyncQueue<Int16Array>();
  #listening = false;
  #lastSeq: number | null = null;
  #timer: NodeJS.Timeout;
  #connectTimer: NodeJS.Timeout;
  #state: RtcLinkState = 'connecting';
  #connected: Promise<void>;
  #now: () => number;
  /** Bytes of RTP payload each way, for the metrics and the bench. */
  bytesIn = 0;
  bytesOut = 0;

  private constructor(pc: RTCPeerConnection, track: MediaStreamTrack, answer: string, o: RtcLinkOptions) {
    this.#pc = pc;
    this.#track = track;
    this.answer = answer;
    RtcLink.live.add(this);
    this.#now = o.now ?? (() => performance.now());
    this.#playout = new RtpPlayout({ sampleRate: o.outputSampleRate, now: this.#now(), send: (f) => this.#sendFrame(f) });
    this.#timer = setInterval(() => this.#playout.tick(this.#now()), TICK_MS);
    this.#connectTimer = setTimeout(() => this.close(), CONNECT_TIMEOUT_MS);
    this.#connected = new Promise<void>((resolve, reject) => {
      pc.connectionStateChange.subscribe((s) => {
        if (s === 'connected' && this.#state === 'connecting') {
          this.#state = 'connected';
          clearTimeout(this.#connectTimer);
          resolve();
        } else if (s === 'failed' || s === 'closed') {
          reject(new Error(`the WebRTC connection ${s}`));
          this.close();
        }
      });
    });
    this.#connected.catch(() => {}); // a link nobody waits on may fail quietly
  }

  /** Answers a browser's offer; throws OfferError (and frees everything) when the offer is not one it can take. */
  static async accept(offer: unknown, o: RtcLinkOptions): Promise<RtcLink> {
    if (typeof offer !== 'string' || !offer.trim()) throw new OfferError('the offer needs an SDP string "sdp"');
    if (Buffer.byteLength(offer) > MAX_OFFER_BYTES) throw new OfferError(`an offer may be at most ${MAX_OFFER_BYTES} bytes`);
    if (!offer.startsWith('v=0')) throw new OfferError('the offer is not SDP (it must start with v=0)');
    if (!/^m=audio /m.test(offer)) throw new OfferError('the offer has no audio section');
    if (!/^a=rtpmap:\d+ opus\/48000/im.test(offer)) throw new OfferError('the offer does not offer Opus');
    const pc = new RTCPeerConnection({
      // The browser's encoder follows these: in-band FEC against loss, speech at 16 kbit/s (under 40 with RTP, SRTP, UDP and IP headers).
      codecs: { audio: [useOPUS({ parameters: `minptime=10;useinbandfec=1;maxaveragebitrate=${CALLER_BITRATE}` })], video: [] },
      iceAdditionalHostAddresses: o.announce,
      icePortRange: o.portRange,
    });
    // The caller's track is announced while the offer is applied: listen before.
    let onRtp: (rtp: RtpPacket) => void = () => {};
    pc.onTrack.subscribe((remote) => remote.onReceiveRtp.subscribe((rtp) => onRtp(rtp)));
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      const transceiver = pc.getTransceivers().find((t) => t.kind === 'audio' && !t.rejected);
      if (!transceiver) throw new OfferError('the offer has no audio section Parley can answer');
      const track = new MediaStreamTrack({ kind: 'audio' });
      transceiver.direction = 'sendrecv';
      await transceiver.sender.replaceTrack(track);
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered(pc);
      const sdp = pc.localDescription?.sdp;
      if (!sdp) throw new Error('no answer was made');
      const link = new RtcLink(pc, track, sdp, o);
      onRtp = (rtp) => link.#receive(rtp);
      return link;
    } catch (e) {
      const closing = pc.close().catch(() => {});
      RtcLink.#closing.add(closing);
      await closing.finally(() => RtcLink.#closing.delete(closing));
      if (e instanceof OfferError) throw e;
      throw new OfferError(`the offer could not be answered: ${e instanceof Error ? e.message : String(e)}`.slice(0, 200));
    }
  }

  get state(): RtcLinkState {
    return this.#state;
  }

  /** Resolves once ICE and DTLS are up; rejects if the link fails or closes first. */
  connected(): Promise<void> {
    return this.#connected;
  }

  /** The caller's microphone, 16 kHz PCM16 in 20 ms frames, from the first call on (earlier packets are dropped). */
  mic(): AsyncIterable<Int16Array> {
    this.#listening = true;
    return this.#mic;
  }

  play(pcm: Int16Array): void {
    if (this.#state !== 'closed') this.#playout.push(pcm);
  }

  clear(): void {
    this.#playout.clear();
  }

  /** The browser played up to the frame with this RTP timestamp. */
  reportPlayed(rtpTimestamp: number): void {
    this.#playout.reportPlayed(rtpTimestamp);
  }

  heardMs(): number {
    return this.#playout.heardMs(this.#now());
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearInterval(this.#timer);
    clearTimeout(this.#connectTimer);
    this.#mic.end();
    this.#playout.close();
    this.#decoder.close();
    this.#track.stop();
    RtcLink.live.delete(this);
    const closing = this.#pc.close().catch(() => {});
    RtcLink.#closing.add(closing);
    void closing.finally(() => RtcLink.#closing.delete(closing));
  }

  #sendFrame(f: OpusFrame): void {
    if (this.#state !== 'connected') return; // before the link is up there is no one to hear it
    this.bytesOut += f.payload.length;
    const header = new RtpHeader({ payloadType: 111, timestamp: f.timestamp, sequenceNumber: f.sequenceNumber, marker: f.marker });
    this.#track.writeRtp(new RtpPacket(header, f.payload));
  }

  #receive(rtp: RtpPacket): void {
    if (this.#state === 'closed' || !rtp.payload.length) return;
    this.bytesIn += rtp.payload.length;
    const seq = rtp.header.sequenceNumber;
    const gap = this.#lastSeq === null ? 1 : (seq - this.#lastSeq) & 0xffff;
    if (gap === 0 || gap > 0x8000) return; // a duplicate, or late behind a newer packet: already concealed
    this.#lastSeq = seq;
    if (!this.#listening) return;
    let pcm: Int16Array;
    try {
      pcm = this.#decoder.decode(rtp.payload);
    } catch {
      return; // a packet libopus cannot read counts as lost
    }
    // Lost packets become silence of their length, so the caller's clock (VAD, endpointing) keeps time.
    if (gap > 1 && gap <= MAX_FILL_FRAMES) for (let i = 1; i < gap; i++) this.#mic.push(new Int16Array(pcm.length));
    this.#mic.push(pcm);
  }
}

/** Waits until the peer has gathered its candidates (host ones are instant), so the answer carries them. */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3000);
    pc.iceGatheringStateChange.subscribe((s) => {
      if (s === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
