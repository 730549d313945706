import { startMic, type Mic } from '../shared/mic.ts';
import { opusSupported, startOpus, type OpusCodec } from '../shared/opus.ts';
import { PcmPlayer } from '../shared/player.ts';
import { connectRtc, type RtcCall, type RtcOffer } from '../shared/rtc.ts';
import { openSandbox } from './api.ts';

// One sandbox conversation over the web door (docs/protocol.md), opened through the admin API so
// it works for any agent from the dashboard's own origin. Text mode sends typed turns. Voice mode
// goes like the widget's: the audio over WebRTC (Opus, the browser's echo canceller) when it
// connects, else Opus (WebCodecs) or PCM on the socket with `played` reports — so the owner hears
// what callers hear.

export type AgentState = 'connecting' | 'listening' | 'thinking' | 'speaking' | 'ended';

/** What the page shows: lines of the conversation as they form, and the session's state. */
export interface SandboxView {
  lines: { role: 'agent' | 'caller' | 'tool' | 'error'; text: string; final: boolean }[];
  state: AgentState;
  conversationId?: string;
  endReason?: string;
  muted: boolean;
  /** How the voice travels once a voice call starts: WebRTC, or the socket with Opus or PCM. */
  transport?: 'webrtc' | 'socket-opus' | 'socket-pcm';
}

const PLAYED_EVERY_MS = 200;

export class SandboxSession {
  readonly mode: 'text' | 'voice';
  #view: SandboxView = { lines: [], state: 'connecting', muted: false };
  #onChange: (v: SandboxView) => void;
  #ws: WebSocket | undefined;
  #mic: Mic | undefined;
  #player: PcmPlayer | undefined;
  #rtc: RtcCall | undefined;
  #opus: OpusCodec | undefined;
  /** The server's `ready` said it takes Opus on the socket. */
  #serverOpus = false;
  #offer: RtcOffer = {};
  #answer: { resolve(sdp: string): void; reject(e: Error): void } | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(mode: 'text' | 'voice', onChange: (v: SandboxView) => void) {
    this.mode = mode;
    this.#onChange = onChange;
  }

  /** Opens the session; call from a click (voice needs the microphone and sound permission). */
  async open(agent: string): Promise<void> {
    try {
      // The microphone first, while the click still counts as the user's gesture.
      if (this.mode === 'voice') this.#mic = await startMic((pcm) => this.#sendAudio(pcm));
      const { url, ...offer } = await openSandbox(agent);
      this.#offer = offer;
      if (this.#closed) return;
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      this.#ws = ws;
      ws.onmessage = (m) => this.#receive(m.data as ArrayBuffer | string);
      ws.onclose = (e) => {
        if (this.#view.state !== 'ended' && e.code !== 1000) this.#line('error', `The connection closed (${e.code}${e.reason ? `: ${e.reason}` : ''}).`);
        this.#finish();
      };
    } catch (e) {
      const what = e instanceof Error ? e.message : String(e);
      this.#line('error', this.mode === 'voice' && !this.#mic ? `Microphone: ${what}` : what);
      this.#finish();
    }
  }

  /** A typed caller turn. */
  say(text: string): void {
    if (this.mode === 'text' && text.trim()) this.#send({ type: 'text', text: text.trim() });
  }

  mute(muted: boolean): void {
    this.#rtc?.mute(muted);
    this.#send({ type: 'mute', muted });
    this.#update({ muted });
  }

  /** Hangs up. */
  end(): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#send({ type: 'end' });
    else this.#finish();
  }

  #receive(data: ArrayBuffer | string): void {
    if (typeof data !== 'string') {
      if (this.#opus) this.#opus.decode(data);
      else this.#player?.play(new Int16Array(data));
      return;
    }
    const e = JSON.parse(data) as { type: string; [k: string]: unknown };
    switch (e.type) {
      case 'ready':
        this.#update({ conversationId: String(e.conversationId) });
        this.#serverOpus = e.opus === true;
        if (this.mode === 'text') this.#send({ type: 'start', mode: 'text' });
        else if (e.webrtc === true && this.#offer.webrtc !== false) void this.#startRtc(Number(e.sampleRate));
        else void this.#startSocketVoice(Number(e.sampleRate));
        break;
      case 'answer':
        if (typeof e.sdp === 'string') this.#answer?.resolve(e.sdp);
        else this.#answer?.reject(new Error(String(e.error)));
        break;
      case 'transcript':
        this.#streamLine('caller', String(e.text), e.final === true, true);
        break;
      case 'agent_text':
        this.#streamLine('agent', String(e.text), e.final === true, e.final === true);
        break;
      case 'state':
        this.#update({ state: e.state as AgentState });
        break;
      case 'tool':
        this.#line('tool', `used ${String(e.name)}`);
        break;
      case 'clear':
        this.#opus?.clear();
        this.#player?.clear();
        this.#reportPlayed(true);
        break;
      case 'error':
        this.#line('error', String(e.message));
        break;
      case 'end':
        this.#update({ state: 'ended', endReason: String(e.reason) });
        this.#finish();
        break;
    }
  }

  /** Voice over WebRTC; on any failure, PCM on the socket (the server has not started yet). */
  async #startRtc(sampleRate: number): Promise<void> {
    let call: RtcCall;
    try {
      call = await connectRtc(this.#mic!.stream, this.#offer, (sdp) => {
        this.#send({ type: 'offer', sdp });
        return new Promise<string>((resolve, reject) => (this.#answer = { resolve, reject }));
      });
    } catch {
      if (!this.#closed) void this.#startSocketVoice(sampleRate);
      return;
    }
    if (this.#closed) return call.close();
    this.#rtc = call;
    call.mute(this.#view.muted);
    this.#send({ type: 'start', mode: 'voice', audio: 'webrtc' });
    if (this.#view.muted) this.#send({ type: 'mute', muted: true });
    this.#update({ transport: 'webrtc' });
    this.#timer = setInterval(() => {
      const rtp = call.playedRtp();
      if (rtp !== null) this.#send({ type: 'playout', rtp });
    }, PLAYED_EVERY_MS);
  }

  /** Voice on the socket — Opus when both ends can, else PCM frames — playout reported as `played`. */
  async #startSocketVoice(sampleRate: number): Promise<void> {
    const opus = this.#serverOpus && (await opusSupported());
    if (this.#closed) return;
    const player = (this.#player = new PcmPlayer(sampleRate));
    if (opus) {
      const ws = this.#ws!;
      this.#opus = startOpus(
        (packet) => ws.readyState === WebSocket.OPEN && ws.send(packet),
        (samples, rate) => player.playSamples(samples, rate),
      );
    }
    this.#send(opus ? { type: 'start', mode: 'voice', audio: 'opus' } : { type: 'start', mode: 'voice' });
    if (this.#view.muted) this.#send({ type: 'mute', muted: true });
    this.#update({ transport: opus ? 'socket-opus' : 'socket-pcm' });
    this.#timer = setInterval(() => this.#reportPlayed(), PLAYED_EVERY_MS);
  }

  #sendAudio(pcm: Int16Array<ArrayBuffer>): void {
    if (!this.#player || this.#ws?.readyState !== WebSocket.OPEN) return;
    if (this.#opus) this.#opus.encode(pcm);
    else this.#ws.send(pcm.buffer);
  }

  #lastPlayed = -1;

  /** Sends `played` when playout moved (and always after a `clear`, which `force`s it). */
  #reportPlayed(force = false): void {
    if (!this.#player) return;
    const ms = this.#player.playedMs();
    if (ms === this.#lastPlayed && !force) return;
    this.#lastPlayed = ms;
    this.#send({ type: 'played', ms });
  }

  /**
   * Streams a line: pieces append to the open line of that role (`replace` swaps its text, as
   * partial transcripts and the final agent text do); `final` closes it.
   */
  #streamLine(role: 'agent' | 'caller', text: string, final: boolean, replace: boolean): void {
    const lines = [...this.#view.lines];
    const last = lines.at(-1);
    if (last && last.role === role && !last.final) lines[lines.length - 1] = { role, text: replace ? text : last.text + text, final };
    else lines.push({ role, text, final });
    this.#update({ lines });
  }

  #line(role: 'tool' | 'error', text: string): void {
    this.#update({ lines: [...this.#view.lines, { role, text, final: true }] });
  }

  #send(m: unknown): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(m));
  }

  #update(patch: Partial<SandboxView>): void {
    this.#view = { ...this.#view, ...patch };
    this.#onChange(this.#view);
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#mic?.stop();
    // Let the goodbye finish playing before the player goes.
    const player = this.#player;
    const opus = this.#opus;
    if (player) setTimeout(() => (opus?.close(), player.close()), player.pendingMs() + 200);
    const rtc = this.#rtc;
    if (rtc) setTimeout(() => rtc.close(), 300); // the jitter buffer's last frames
    this.#answer?.reject(new Error('the session ended'));
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close();
    if (this.#view.state !== 'ended') this.#update({ state: 'ended' });
  }
}
