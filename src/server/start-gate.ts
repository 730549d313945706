import { MESSAGE_BURST } from '../channels/socket-limits.ts';
import { CLOSE_POLICY, parseClientMessage, type WebSocketLike } from '../channels/web/socket.ts';

// The web door's waiting room. A socket holds no seat until the browser sends `start`: the gate
// passes everything through to the session except that `start`, which waits while a seat is taken
// (messages behind it wait too, in order). A socket that sends no `start` in time is closed.
// The timings here (start timeout, the hard stop past maxDurationSec) hold for the phone door too.

/** How long a socket may stay open without `start` (PARLEY_START_TIMEOUT_SEC, default 5 s). */
export function startTimeoutMs(env: NodeJS.ProcessEnv): number {
  const sec = Number(env.PARLEY_START_TIMEOUT_SEC);
  return Number.isFinite(sec) && sec > 0 ? Math.min(sec * 1000, 2 ** 31 - 1) : 5000;
}

/** Sockets per caller address that may wait for `start` at once, per door and node (PARLEY_WAITING_PER_ADDRESS, default 4). */
export function waitingPerAddress(env: NodeJS.ProcessEnv): number {
  const n = Number(env.PARLEY_WAITING_PER_ADDRESS);
  return Number.isInteger(n) && n >= 1 ? n : 4;
}

/** Extra time to send `start` once the browser has sent a WebRTC offer: connecting, or giving up and falling back, takes seconds. */
export const OFFER_GRACE_MS = 10_000;

/** Extra time a session gets past limits.maxDurationSec, counted from the socket's opening, before the door closes it whatever it is doing. */
export const DURATION_GRACE_MS = 15_000;

/** The door's hard stop: the limit plus the grace, less what has passed; within what a timer can hold (a longer delay would fire at once). */
export function hardStopMs(maxDurationSec: number, elapsedMs: number): number {
  return Math.min(2 ** 31 - 1, Math.max(0, maxDurationSec * 1000 + DURATION_GRACE_MS - elapsedMs));
}

type GateState = 'waiting' | 'admitting' | 'open' | 'refused';
type MessageListener = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void;

export interface StartGateOptions {
  timeoutMs: number;
  /** The first valid `start` arrived: take a seat. false: refused (the caller of the gate closes the socket). */
  admit(): Promise<boolean>;
  /** No `start` within `timeoutMs`. */
  onTimeout(): void;
}

/** A socket as the web session sees it, with `start` held until `admit` says yes. */
export class StartGate implements WebSocketLike {
  #socket: WebSocketLike;
  #state: GateState = 'waiting';
  #held: [Buffer | ArrayBuffer | Buffer[], boolean][] = [];
  #listeners: MessageListener[] = [];
  #timer: NodeJS.Timeout;
  #offered = false;
  #deadline: number;

  constructor(socket: WebSocketLike, o: StartGateOptions) {
    this.#socket = socket;
    this.#deadline = performance.now() + o.timeoutMs;
    this.#timer = setTimeout(() => {
      if (this.#state === 'waiting') o.onTimeout();
    }, o.timeoutMs);
    socket.on('close', () => clearTimeout(this.#timer));
    socket.on('message', (data, isBinary) => {
      if (this.#state === 'open') return this.#deliver(data, isBinary);
      if (this.#state === 'refused') return;
      if (this.#state === 'admitting') {
        if (this.#held.length >= MESSAGE_BURST) return this.#socket.close(CLOSE_POLICY, 'too many messages while the session was starting');
        this.#held.push([data, isBinary]);
        return;
      }
      if (!isBinary && !this.#offered && typeOf(data) === 'offer') {
        // Setting up WebRTC (and falling back when it fails) takes seconds of the start window: an offer buys it more.
        this.#offered = true;
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#state === 'waiting' && o.onTimeout(), Math.max(this.#deadline - performance.now(), 0) + OFFER_GRACE_MS);
      }
      if (isBinary || typeOf(data) !== 'start') return this.#deliver(data, isBinary); // the session's own rules answer these
      clearTimeout(this.#timer);
      this.#state = 'admitting';
      this.#held.push([data, isBinary]);
      void o.admit().then(
        (ok) => this.#admitted(ok),
        () => this.#admitted(false),
      );
    });
  }

  /** Where the socket is: waiting for `start`, taking a seat, open, or refused. */
  get state(): GateState {
    return this.#state;
  }

  #admitted(ok: boolean): void {
    this.#state = ok ? 'open' : 'refused';
    const held = this.#held.splice(0);
    if (ok) for (const [data, isBinary] of held) this.#deliver(data, isBinary);
  }

  #deliver(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    for (const l of this.#listeners) l(data, isBinary);
  }

  send(data: string | Uint8Array): void {
    this.#socket.send(data);
  }

  close(code?: number, reason?: string): void {
    clearTimeout(this.#timer);
    this.#socket.close(code, reason);
  }

  on(event: 'message', listener: MessageListener): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'message' | 'close', listener: MessageListener | ((code: number, reason: Buffer) => void)): unknown {
    if (event === 'message') this.#listeners.push(listener as MessageListener);
    else this.#socket.on('close', listener as (code: number, reason: Buffer) => void);
    return this;
  }
}

/** The type of a valid client message, or undefined. */
function typeOf(data: Buffer | ArrayBuffer | Buffer[]): string | undefined {
  const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const m = parseClientMessage(buf.toString('utf8'));
  return typeof m === 'string' ? undefined : m.type;
}
