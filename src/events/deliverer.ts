import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Outbox, type AfterAttempt, type ClaimedDelivery, type Destination, type OutboxEvent } from '../store/outbox.ts';
import type { Store } from '../store/store.ts';
import { errorText } from '../util/error-text.ts';
import { PollingLoop } from '../util/polling-loop.ts';

// Delivers the outbox: fans new events out to their destinations, leases due deliveries, sends
// each, logs the attempt, and schedules the next one with exponential back-off for a day.
// Everything it decides comes from the store and an injectable clock, so a crash, a restart or a
// second node picks up exactly where the rows say, and tests drive the back-off without waiting.

/** What one attempt came to. */
export interface SendOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Sends one delivery (a webhook POST, an email). Must not throw for the receiver's faults. */
export type Send = (d: ClaimedDelivery, signal: AbortSignal) => Promise<SendOutcome>;

export interface DelivererOptions {
  store: Store;
  /** Where an event goes (the agent's webhooks and emails, the server's webhook). */
  destinations(event: OutboxEvent): Destination[];
  send: Send;
  /** Clock for scheduling and attempt times (ms since epoch). */
  now?: () => number;
  /** This deliverer's name in leases (default host:pid:random). */
  owner?: string;
  /** How long a claimed delivery is this deliverer's; longer than any one attempt takes (default 60 s). */
  leaseMs?: number;
  /** Deliveries claimed per round (default 20). */
  batch?: number;
  /** How often to look for due deliveries when not woken (default 2 s). */
  pollMs?: number;
  /** How long a failing delivery is retried, from its event's creation (default a day). */
  retryForMs?: number;
  log?: (line: string) => void;
}

/** Wait before the attempt after `failures` failed ones: 15 s, 1 min, 4 min, 16 min, 64 min, then every 4 h. */
export function retryDelayMs(failures: number): number {
  return Math.min(15_000 * 4 ** Math.max(0, failures - 1), 4 * 3_600_000);
}

/** The outbox's deliverer for one process. */
export class Deliverer {
  readonly owner: string;
  readonly #o: Required<Omit<DelivererOptions, 'owner' | 'log'>> & { log: (line: string) => void };
  readonly #outbox: Outbox;
  readonly #loop: PollingLoop;

  constructor(o: DelivererOptions) {
    this.owner = o.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    // `??` rather than a spread: an option passed as undefined keeps its default.
    this.#o = {
      store: o.store,
      destinations: o.destinations,
      send: o.send,
      now: o.now ?? Date.now,
      leaseMs: o.leaseMs ?? 60_000,
      batch: o.batch ?? 20,
      pollMs: o.pollMs ?? 2000,
      retryForMs: o.retryForMs ?? 86_400_000,
      log: o.log ?? (() => {}),
    };
    this.#outbox = new Outbox(o.store);
    this.#loop = new PollingLoop({ round: (signal) => this.round(signal), pollMs: this.#o.pollMs, onError: (e) => this.#o.log(`events: delivery round failed: ${errorText(e)}`) });
  }

  /** One round: fan out new events, then send every due delivery claimed; resolves when all attempts are logged. */
  async round(signal: AbortSignal = new AbortController().signal): Promise<{ attempted: number; delivered: number }> {
    const iso = (ms: number) => new Date(ms).toISOString();
    for (const event of await this.#outbox.unfanned()) {
      let destinations: Destination[];
      try {
        destinations = this.#o.destinations(event);
      } catch (e) {
        this.#o.log(`events: destinations of ${event.type} ${event.id} (${event.agent}) could not be worked out: ${errorText(e)}`);
        continue;
      }
      await this.#outbox.fanOut(event.id, destinations, iso(this.#o.now()));
    }
    const now = this.#o.now();
    const claimed = await this.#outbox.claim({ owner: this.owner, now: iso(now), leaseUntil: iso(now + this.#o.leaseMs), limit: this.#o.batch });
    const results = await Promise.all(claimed.map((d) => this.#attempt(d, signal)));
    return { attempted: claimed.length, delivered: results.filter(Boolean).length };
  }

  async #attempt(d: ClaimedDelivery, signal: AbortSignal): Promise<boolean> {
    const at = this.#o.now();
    const t0 = performance.now();
    let outcome: SendOutcome;
    try {
      outcome = await this.#o.send(d, signal);
    } catch (e) {
      outcome = { ok: false, status: null, error: errorText(e) };
    }
    const durationMs = performance.now() - t0;
    const failures = d.attempts + 1;
    const nextAt = this.#o.now() + retryDelayMs(failures);
    const next: AfterAttempt = outcome.ok
      ? { state: 'delivered' }
      : nextAt - Date.parse(d.event.createdAt) > this.#o.retryForMs
        ? { state: 'failed' }
        : { state: 'pending', nextAttemptAt: new Date(nextAt).toISOString() };
    await this.#outbox.finish(d.id, this.owner, { at: new Date(at).toISOString(), status: outcome.status, durationMs, error: outcome.ok ? null : outcome.error }, next);
    if (!outcome.ok) {
      const then = next.state === 'pending' ? `next attempt at ${next.nextAttemptAt}` : 'given up';
      this.#o.log(`events: ${d.event.type} ${d.event.id} to ${d.destination}: attempt ${failures} failed (${outcome.status ?? 'no answer'}${outcome.error ? `: ${outcome.error}` : ''}); ${then}`);
    }
    return outcome.ok;
  }

  /** Runs rounds every pollMs (and whenever woken) until stop(). */
  start(): void {
    this.#loop.start();
  }

  /** Runs a round now (an event was just enqueued), or right after the one in flight. */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops polling; attempts in flight are cut and their deliveries retried after their lease. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }
}
