import { startMic, type Mic } from '../shared/mic.ts';
import { PcmPlayer } from '../shared/player.ts';
import { connectRtc, type RtcCall, type RtcOffer } from '../shared/rtc.ts';
import { opusSupported, startOpus, type OpusCodec } from '../shared/opus.ts';
import type { SessionState } from './state.ts';

// One conversation of the widget over the web door protocol (docs/protocol.md): a session token
// for this page's origin, the socket for events, and the audio over WebRTC (Opus, the browser's
// own jitter buffer and echo canceller) — or, when WebRTC does not connect within a few seconds
// (UDP blocked, no TURN), over the socket with `played` reports: as Opus when the server offers it
// and the browser has WebCodecs Opus (shared/opus.ts), as PCM otherwise. A socket that drops (not
// closed by the server on purpose) is reopened once, as a new conversation.

/** What the widget shows, as the session reports it. */
export interface SessionView {
  state(s: SessionState, detail?: string): void;
  caption(role: 'agent' | 'caller', text: string, final: boolean): void;
  mode(m: 'voice' | 'text'): void;
  /** A problem the conversation survives (a typed message refused): shown, nothing else changes. */
  note(text: string): void;
  /** How the audio travels, once a voice session starts. */
  transport(t: 'webrtc' | 'socket'): void;
}

const PLAYED_EVERY_MS = 150;

export class WidgetSession {
  #server: string;
  #agent: string;
  #view: SessionView;
  #ws: WebSocket | undefined;
  #mic: Mic | undefined;
  #player: PcmPlayer | undefined;
  /** Opus on the socket, when WebRTC is not in use and both ends can. */
  #opus: OpusCodec | undefined;
  #opusOk: Promise<boolean> | undefined;
  /** The server's `ready` said it takes Opus on the socket. */
  #serverOpus = false;
  #rtc: RtcCall | undefined;
  #offer: RtcOffer = {};
  #answer: { resolve(sdp: string): void; reject(e: Error): void } | undefined;
  /** WebRTC failed once: the rest of this conversation (and a reconnect) uses the socket. */
  #rtcFailed = false;
  #playedTimer: ReturnType<typeof setInterval> | undefined;
  #mode: 'voice' | 'text' = 'voice';
  #muted = false;
  #ended = false;
  #reconnected = false;
  #agentText = '';
  /** `start` went out on the current socket: audio before it would be a protocol violation. */
  #started = false;

  constructor(server: string, agent: string, view: SessionView) {
    this.#server = server;
    this.#agent = agent;
    this.#view = view;
  }

  /** Starts a conversation: voice when the microphone is allowed, typing when it is not. */
  async start(): Promise<void> {
    this.#view.state('connecting');
    this.#opusOk = opusSupported();
    try {
      this.#mic = await startMic((pcm) => this.#sendAudio(pcm));
      this.#mode = 'voice';
    } catch {
      this.#mode = 'text'; // refused or no microphone: the caller types instead
    }
    this.#view.mode(this.#mode);
    await this.#open();
  }

  /** A typed turn: the whole conversation in text mode, the text box beside the microphone in voice mode. */
  say(text: string): boolean {
    if (!this.#started || !text.trim()) return false;
    this.#json({ type: 'text', text });
    return true;
  }

  mute(muted: boolean): void {
    this.#muted = muted;
    this.#rtc?.mute(muted);
    this.#json({ type: 'mute', muted });
  }

  end(): void {
    this.#json({ type: 'end' });
    this.#finish('ended');
  }

  async #open(): Promise<void> {
    const res = await fetch(`${this.#server}/v1/agents/${encodeURIComponent(this.#agent)}/sessions`, { method: 'POST' }).catch(() => null);
    if (!res || !res.ok) {
      const body = res ? ((await res.json().catch(() => ({}))) as { error?: string }) : {};
      return this.#finish('error', body.error ?? 'could not reach the assistant');
    }
    const { url, ...offer } = (await res.json()) as { url: string } & RtcOffer;
    this.#offer = offer;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    this.#ws = ws;
    this.#started = false;
    ws.onmessage = (e) => this.#receive(e.data as ArrayBuffer | string);
    ws.onclose = (e) => {
      if (this.#ended || ws !== this.#ws) return;
      // 1000: the conversation ended; 1008/1009/1013: the server refused on purpose. Anything else is a dropped line.
      if (e.code === 1000 || e.code === 1008 || e.code === 1009 || e.code === 1013 || this.#reconnected) return this.#finish(e.code === 1000 ? 'ended' : 'error', e.reason || undefined);
      this.#reconnected = true;
      this.#player?.clear();
      this.#opus?.close();
      this.#opus = undefined;
      this.#rtc?.close();
      this.#rtc = undefined;
      this.#view.state('connecting', 'reconnecting…');
      void this.#open();
    };
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
        this.#serverOpus = e.opus === true;
        // Only a server that says it takes offers gets one (an older one would close the socket on it).
        if (this.#mode === 'voice' && this.#mic && e.webrtc === true && !this.#rtcFailed) return void this.#startRtc(this.#ws!, Number(e.sampleRate));
        return void this.#startSocket(this.#ws!, Number(e.sampleRate));
      case 'answer':
        if (typeof e.sdp === 'string') this.#answer?.resolve(e.sdp);
        else this.#answer?.reject(new Error(String(e.error)));
        return;
      case 'transcript':
        return this.#view.caption('caller', String(e.text), Boolean(e.final));
      case 'agent_text':
        this.#agentText = e.final ? String(e.text) : this.#agentText + String(e.text);
        this.#view.caption('agent', this.#agentText, Boolean(e.final));
        if (e.final) this.#agentText = '';
        return;
      case 'state':
        return this.#view.state(e.state as SessionState);
      case 'clear':
        this.#opus?.clear();
        return this.#player?.clear();
      case 'end':
        return this.#finish('ended', String(e.reason ?? ''));
      case 'error':
        return this.#view.note(String(e.message ?? 'Something went wrong.'));
    }
  }

  /** Voice over WebRTC; on any failure, the socket instead (the server has not started yet). */
  async #startRtc(ws: WebSocket, sampleRate: number): Promise<void> {
    let call: RtcCall;
    try {
      call = await connectRtc(this.#mic!.stream, this.#offer, (sdp) => {
        this.#json({ type: 'offer', sdp });
        return new Promise<string>((resolve, reject) => (this.#answer = { resolve, reject }));
      });
    } catch {
      this.#rtcFailed = true;
      if (ws === this.#ws && !this.#ended) void this.#startSocket(ws, sampleRate);
      return;
    }
    if (ws !== this.#ws || this.#ended) return call.close();
    this.#rtc = call;
    call.mute(this.#muted);
    this.#view.transport('webrtc');
    this.#json({ type: 'start', mode: 'voice', audio: 'webrtc' });
    this.#started = true;
    if (this.#muted) this.#json({ type: 'mute', muted: true });
    clearInterval(this.#playedTimer);
    this.#playedTimer = setInterval(() => {
      const rtp = call.playedRtp();
      if (rtp !== null) this.#json({ type: 'playout', rtp });
    }, PLAYED_EVERY_MS);
  }

  /** Text, or voice as Opus or PCM frames on the socket with `played` reports. */
  async #startSocket(ws: WebSocket, sampleRate: number): Promise<void> {
    let audio: 'opus' | undefined;
    if (this.#mode === 'voice') {
      const opus = this.#serverOpus && (await this.#opusOk);
      if (ws !== this.#ws || this.#ended) return;
      this.#player?.close();
      const player = (this.#player = new PcmPlayer(sampleRate));
      if (opus) {
        audio = 'opus';
        this.#opus = startOpus(
          (packet) => ws.readyState === WebSocket.OPEN && ws.send(packet),
          (samples, rate) => player.playSamples(samples, rate),
        );
      }
      clearInterval(this.#playedTimer);
      this.#playedTimer = setInterval(() => this.#json({ type: 'played', ms: player.playedMs() }), PLAYED_EVERY_MS);
      this.#view.transport('socket');
    }
    this.#json(audio ? { type: 'start', mode: this.#mode, audio } : { type: 'start', mode: this.#mode });
    this.#started = true;
    if (this.#muted) this.#json({ type: 'mute', muted: true });
  }

  #sendAudio(pcm: Int16Array<ArrayBuffer>): void {
    const ws = this.#ws;
    if (ws?.readyState !== WebSocket.OPEN || !this.#started || this.#mode !== 'voice' || this.#rtc) return;
    if (this.#opus) this.#opus.encode(pcm);
    else ws.send(pcm.buffer);
  }

  #json(m: unknown): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(m));
  }

  #finish(state: 'ended' | 'error', detail?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#playedTimer);
    this.#mic?.stop();
    // Let the goodbye finish playing before the audio is released.
    const player = this.#player;
    const opus = this.#opus;
    if (player) setTimeout(() => (opus?.close(), player.close()), player.pendingMs() + 200);
    const rtc = this.#rtc;
    if (rtc) setTimeout(() => rtc.close(), 300); // the jitter buffer's last frames
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000);
    this.#view.state(state, detail);
  }
}
