import { randomUUID } from 'node:crypto';
import { budgetText } from '../agent/budget.ts';
import type { Agent } from '../agent/load.ts';
import { Records } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { RateWindow } from './rate-window.ts';
import { MemorySeats, type AgentSeats } from './seats.ts';
import { secondsToNextDay, startOfDay } from '../util/business-day.ts';

/** What admission reads of an agent: its name, limits and zone. */
export interface AdmittedAgent {
  agent: Pick<Agent, 'name' | 'config'>;
}

// Who may start a conversation now. Every new session (web token, phone call) asks here first;
// the answer is the first limit it breaks, in this order: the server's concurrency, the agent's
// concurrency, the agent's daily budget and minutes, then the caller's hourly allowance. What the
// day has spent includes running conversations (they write their usage as it accrues); a running
// conversation is stopped by its own check before each model call (src/session/spend.ts), not here.

/** Why a conversation was refused: an HTTP status, a machine-readable code and words for people. */
export interface Refusal {
  ok: false;
  status: 429 | 503;
  code: 'draining' | 'server-busy' | 'agent-busy' | 'budget' | 'minutes' | 'rate' | 'unavailable';
  reason: string;
  retryAfterSec?: number;
}

export interface AdmissionOptions {
  store: Store;
  window: RateWindow;
  /** Most sessions this server (this node) runs at once (PARLEY_MAX_SESSIONS). */
  maxSessions: number;
  /** Each agent's seats (limits.maxConcurrent): this process's, or every node's through Redis. */
  seats?: AgentSeats;
  /** The server is shutting down: it finishes what runs and takes nothing new. */
  draining?: () => boolean;
  /** A limit could not be checked (Redis or the database unreachable): the conversation is refused, and this hears why. */
  onError?: (e: Error) => void;
  now?: () => number;
}

const HOUR_MS = 3_600_000;

/** A conversation admitted; `giveBack` returns its place in the caller's hourly window when it never happened (a call Twilio refused to place). */
export interface Admitted {
  ok: true;
  giveBack(): Promise<void>;
}

/** A seat held by a running session; `release` when it ends (safe to call twice). */
export interface Seat {
  ok: true;
  release(): void;
}

export class Admission {
  #o: AdmissionOptions;
  #records: Records;
  #now: () => number;
  #seats: AgentSeats;
  /** Seats this node holds (or is taking): the server's own concurrency. */
  #local = new Set<string>();

  constructor(o: AdmissionOptions) {
    this.#o = o;
    this.#records = new Records(o.store.db);
    this.#now = o.now ?? Date.now;
    this.#seats = o.seats ?? new MemorySeats();
  }

  /** Room for one more session right now: a hint when a token is issued; `seat` is what counts. */
  capacity(loaded: AdmittedAgent): Promise<{ ok: true } | Refusal> {
    return this.#guarded(() => this.#capacity(loaded));
  }

  async #capacity(loaded: AdmittedAgent): Promise<{ ok: true } | Refusal> {
    const { name, config } = loaded.agent;
    const local = this.#localRoom();
    if (!local.ok) return local;
    if ((await this.#seats.count(name)) >= config.limits.maxConcurrent) return agentBusy(name, config.limits.maxConcurrent);
    return { ok: true };
  }

  /**
   * Takes a seat for a session that is starting now: this node's and the agent's (on every node
   * sharing the seats), atomically. Tokens issued while there was room may arrive together; only
   * as many as there are seats get one.
   */
  seat(loaded: AdmittedAgent, id: string = randomUUID()): Promise<Seat | Refusal> {
    return this.#guarded(() => this.#seat(loaded, id));
  }

  async #seat(loaded: AdmittedAgent, id: string): Promise<Seat | Refusal> {
    const { name, config } = loaded.agent;
    const local = this.#localRoom();
    if (!local.ok) return local;
    this.#local.add(id); // held while Redis answers, so this node's own limit cannot be overrun
    let taken = false;
    try {
      taken = await this.#seats.take(name, id, config.limits.maxConcurrent);
    } finally {
      if (!taken) this.#local.delete(id);
    }
    if (!taken) return agentBusy(name, config.limits.maxConcurrent);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#local.delete(id);
        void this.#seats.release(name, id);
      },
    };
  }

  #localRoom(): { ok: true } | Refusal {
    if (this.#o.draining?.()) return refuse(503, 'draining', 'this server is shutting down; try again in a moment', 5);
    if (this.#local.size >= this.#o.maxSessions) return refuse(503, 'server-busy', 'the server is at capacity; try again in a minute', 30);
    return { ok: true };
  }

  /**
   * Admits one new conversation with `loaded` from `caller` (an IP address or a phone number), or says why not.
   * `counted: true` skips the per-caller window: the conversation already took its place in it (an outbound call admitted when it was placed).
   */
  check(loaded: AdmittedAgent, caller: string, o: { counted?: boolean } = {}): Promise<Admitted | Refusal> {
    return this.#guarded(() => this.#check(loaded, caller, o.counted === true));
  }

  async #check(loaded: AdmittedAgent, caller: string, counted: boolean): Promise<Admitted | Refusal> {
    const { name, config } = loaded.agent;
    const limits = config.limits;
    const room = await this.#capacity(loaded);
    if (!room.ok) return room;
    const spent = await this.#records.spentSince(name, startOfDay(this.#now(), config.timeZone));
    const tomorrow = secondsToNextDay(this.#now(), config.timeZone);
    if (spent.usd >= limits.dailyBudgetUsd) return refuse(503, 'budget', `"${name}" has used today's budget of ${budgetText(limits)}; it takes new conversations again tomorrow`, tomorrow);
    if (spent.minutes >= limits.dailyMinutes) return refuse(503, 'minutes', `"${name}" has used today's ${limits.dailyMinutes} minutes; it takes new conversations again tomorrow`, tomorrow);
    if (counted) return { ok: true, giveBack: async () => {} };
    const take = await this.#o.window.take(`${name}|${caller}`, limits.conversationsPerIpPerHour, HOUR_MS);
    if (!take.ok) return refuse(429, 'rate', `too many conversations from ${caller} with "${name}" this hour (limit ${limits.conversationsPerIpPerHour})`, Math.ceil(take.retryAfterMs / 1000));
    return take;
  }

  /** Limits that cannot be checked refuse the conversation (fail closed: no unmetered calls), saying it is worth a retry. */
  async #guarded<T>(decide: () => Promise<T>): Promise<T | Refusal> {
    try {
      return await decide();
    } catch (e) {
      this.#o.onError?.(e as Error);
      return refuse(503, 'unavailable', 'the server cannot check its limits right now; try again in a moment', 5);
    }
  }
}

function agentBusy(name: string, max: number): Refusal {
  return refuse(503, 'agent-busy', `"${name}" is in ${max} conversations already; try again in a minute`, 30);
}

function refuse(status: Refusal['status'], code: Refusal['code'], reason: string, retryAfterSec?: number): Refusal {
  return { ok: false, status, code, reason, retryAfterSec };
}
