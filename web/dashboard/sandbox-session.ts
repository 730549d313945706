import { startMic, type Mic } from '../shared/mic.ts';
import { PcmPlayer } from '../shared/player.ts';
import { openSandbox } from './api.ts';

// One sandbox conversation over the web door's socket (docs/protocol.md), opened through the
// admin API so it works for any agent from the dashboard's own origin. Text mode sends typed
// turns; voice mode streams the microphone and plays the agent, reporting playout as `played`.

export type AgentState = 'connecting' | 'listening' | 'thinking' | 'speaking' | 'ended';

/** What the page shows: lines of the conversation as they form, and the session's state. */
export interface SandboxView {
  lines: { role: 'agent' | 'caller' | 'tool' | 'error'; text: string; final: boolean }[];
  state: AgentState;
  conversationId?: string;
  endReason?: string;
  muted: boolean;
}

const PLAYED_EVERY_MS = 200;

export class SandboxSession {
  readonly mode: 'text' | 'voice';
  #view: SandboxView = { lines: [], state: 'connecting', muted: false };
  #onChange: (v: SandboxView) => void;
  #ws: WebSocket | undefined;
  #mic: Mic | undefined;
  #player: PcmPlayer | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(mode: 'text' | 'voice', onChange: (v: SandboxView) => void) {
    this.mode = mode;
    this.#onChange = onChange;
  }

  /** Opens the session; call from a click (voice needs the microphone and sound permission). */
  async open(agent: string): Promise<void> {
    try {
      const { url } = await openSandbox(agent);
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      this.#ws = ws;
      ws.onmessage = (m) => this.#receive(m.data as ArrayBuffer | string);
      ws.onclose = (e) => {
        if (this.#view.state !== 'ended' && e.code !== 1000) this.#line('error', `The connection closed (${e.code}${e.reason ? `: ${e.reason}` : ''}).`);
        this.#finish();
      };
    } catch (e) {
      this.#line('error', e instanceof Error ? e.message : String(e));
      this.#finish();
    }
  }

  /** A typed caller turn. */
  say(text: string): void {
    if (this.mode === 'text' && text.trim()) this.#send({ type: 'text', text: text.trim() });
  }

  mute(muted: boolean): void {
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
      this.#player?.play(new Int16Array(data));
      return;
    }
    const e = JSON.parse(data) as { type: string; [k: string]: unknown };
    switch (e.type) {
      case 'ready':
        this.#update({ conversationId: String(e.conversationId) });
        this.#send({ type: 'start', mode: this.mode });
        if (this.mode === 'voice') void this.#startVoice(Number(e.sampleRate));
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

  async #startVoice(sampleRate: number): Promise<void> {
    try {
      this.#player = new PcmPlayer(sampleRate);
      this.#timer = setInterval(() => this.#reportPlayed(), PLAYED_EVERY_MS);
      this.#mic = await startMic((pcm) => {
        if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(pcm.buffer as ArrayBuffer);
      });
      if (this.#closed) this.#mic.stop();
    } catch (e) {
      this.#line('error', `Microphone: ${e instanceof Error ? e.message : String(e)}`);
      this.end();
    }
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
    if (player) setTimeout(() => player.close(), player.pendingMs() + 200);
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close();
    if (this.#view.state !== 'ended') this.#update({ state: 'ended' });
  }
}
