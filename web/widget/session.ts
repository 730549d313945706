import { startMic, type Mic } from '../shared/mic.ts';
import { PcmPlayer } from '../shared/player.ts';
import type { SessionState } from './state.ts';

// One conversation of the widget over the web door protocol (docs/protocol.md): a session token
// for this page's origin, the socket, microphone frames up, agent audio down with `played`
// reports, captions as events. A socket that drops (not closed by the server on purpose) is
// reopened once, as a new conversation.

/** What the widget shows, as the session reports it. */
export interface SessionView {
  state(s: SessionState, detail?: string): void;
  caption(role: 'agent' | 'caller', text: string, final: boolean): void;
  mode(m: 'voice' | 'text'): void;
  /** A problem the conversation survives (a typed message refused): shown, nothing else changes. */
  note(text: string): void;
}

const PLAYED_EVERY_MS = 150;

export class WidgetSession {
  #server: string;
  #agent: string;
  #view: SessionView;
  #ws: WebSocket | undefined;
  #mic: Mic | undefined;
  #player: PcmPlayer | undefined;
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
    const { url } = (await res.json()) as { url: string };
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
      this.#view.state('connecting', 'reconnecting…');
      void this.#open();
    };
  }

  #receive(data: ArrayBuffer | string): void {
    if (typeof data !== 'string') {
      this.#player?.play(new Int16Array(data));
      return;
    }
    const e = JSON.parse(data) as { type: string; [k: string]: unknown };
    switch (e.type) {
      case 'ready':
        if (this.#mode === 'voice') {
          this.#player?.close();
          this.#player = new PcmPlayer(Number(e.sampleRate));
          clearInterval(this.#playedTimer);
          this.#playedTimer = setInterval(() => this.#json({ type: 'played', ms: this.#player!.playedMs() }), PLAYED_EVERY_MS);
        }
        this.#json({ type: 'start', mode: this.#mode });
        this.#started = true;
        if (this.#muted) this.#json({ type: 'mute', muted: true });
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
        return this.#player?.clear();
      case 'end':
        return this.#finish('ended', String(e.reason ?? ''));
      case 'error':
        return this.#view.note(String(e.message ?? 'Something went wrong.'));
    }
  }

  #sendAudio(pcm: Int16Array): void {
    const ws = this.#ws;
    if (ws?.readyState === WebSocket.OPEN && this.#started && this.#mode === 'voice') ws.send(pcm.buffer);
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
    if (player) setTimeout(() => player.close(), player.pendingMs() + 200);
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000);
    this.#view.state(state, detail);
  }
}
