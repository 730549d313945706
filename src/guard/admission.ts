import type { LoadedAgent } from '../server/agents.ts';
import { Records } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { RateWindow } from './rate-window.ts';
import { Temporal } from 'temporal-polyfill';

// Who may start a conversation now. Every new session (web token, phone call) asks here first;
// the answer is the first limit it breaks, in this order: the server's concurrency, the agent's
// concurrency, the agent's daily budget and minutes, then the caller's hourly allowance. Running
// conversations are never cut by these: over budget, new ones are refused while running ones finish.

/** Why a conversation was refused: an HTTP status, a machine-readable code and words for people. */
export interface Refusal {
  ok: false;
  status: 429 | 503;
  code: 'draining' | 'server-busy' | 'agent-busy' | 'budget' | 'minutes' | 'rate';
  reason: string;
  retryAfterSec?: number;
}

export interface AdmissionOptions {
  store: Store;
  window: RateWindow;
  /** Most sessions this server runs at once (PARLEY_MAX_SESSIONS). */
  maxSessions: number;
  /** Sessions running now, in total and for one agent. */
  running(agent?: string): number;
  /** The server is shutting down: it finishes what runs and takes nothing new. */
  draining?: () => boolean;
  now?: () => number;
}

const HOUR_MS = 3_600_000;

export class Admission {
  #o: AdmissionOptions;
  #records: Records;
  #now: () => number;

  constructor(o: AdmissionOptions) {
    this.#o = o;
    this.#records = new Records(o.store.db);
    this.#now = o.now ?? Date.now;
  }

  /** Room for one more session right now (checked again when a token is redeemed). */
  capacity(loaded: LoadedAgent): { ok: true } | Refusal {
    const { name, config } = loaded.agent;
    if (this.#o.draining?.()) return refuse(503, 'draining', 'this server is shutting down; try again in a moment', 5);
    if (this.#o.running() >= this.#o.maxSessions) return refuse(503, 'server-busy', 'the server is at capacity; try again in a minute', 30);
    if (this.#o.running(name) >= config.limits.maxConcurrent) return refuse(503, 'agent-busy', `"${name}" is in ${config.limits.maxConcurrent} conversations already; try again in a minute`, 30);
    return { ok: true };
  }

  /** Admits one new conversation with `loaded` from `caller` (an IP address or a phone number), or says why not. */
  async check(loaded: LoadedAgent, caller: string): Promise<{ ok: true } | Refusal> {
    const { name, config } = loaded.agent;
    const limits = config.limits;
    const room = this.capacity(loaded);
    if (!room.ok) return room;
    const spent = await this.#records.spentSince(name, startOfDay(this.#now(), config.timeZone));
    const tomorrow = secondsToNextDay(this.#now(), config.timeZone);
    if (spent.usd >= limits.dailyBudgetUsd) return refuse(503, 'budget', `"${name}" has used today's budget of $${limits.dailyBudgetUsd}; it takes new conversations again tomorrow`, tomorrow);
    if (spent.minutes >= limits.dailyMinutes) return refuse(503, 'minutes', `"${name}" has used today's ${limits.dailyMinutes} minutes; it takes new conversations again tomorrow`, tomorrow);
    const take = await this.#o.window.take(`${name}|${caller}`, limits.conversationsPerIpPerHour, HOUR_MS);
    if (!take.ok) return refuse(429, 'rate', `too many conversations from ${caller} with "${name}" this hour (limit ${limits.conversationsPerIpPerHour})`, Math.ceil(take.retryAfterMs / 1000));
    return { ok: true };
  }
}

function refuse(status: Refusal['status'], code: Refusal['code'], reason: string, retryAfterSec?: number): Refusal {
  return { ok: false, status, code, reason, retryAfterSec };
}

/** Midnight today in the business's zone, as an ISO instant (records store UTC). */
function startOfDay(nowMs: number, zone: string): string {
  const day = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).startOfDay();
  return new Date(day.epochMilliseconds).toISOString();
}

function secondsToNextDay(nowMs: number, zone: string): number {
  const next = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).startOfDay().add({ days: 1 });
  return Math.max(1, Math.ceil((next.epochMilliseconds - nowMs) / 1000));
}
