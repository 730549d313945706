import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { EventType } from '../util/event-types.ts';
import type { Store } from './store.ts';
import type { Selectable } from 'kysely';
import type { OutboxDeliveryTable, OutboxEventTable, Tables } from './tables.ts';

type EventRow = Selectable<OutboxEventTable>;

// The outbox: events to send out (webhooks, emails), written to the store in the same place as
// everything else, so a crash or an outage never loses one. Each event is fanned out to one
// delivery per destination; a deliverer claims due deliveries with a lease (UPDATE … RETURNING,
// with FOR UPDATE SKIP LOCKED on PostgreSQL), so several nodes never send one twice while
// their leases hold, and a node killed mid-send leaves a lease that simply runs out.

import type { PrivateHosts } from '../util/url-policy.ts';
export { EVENT_TYPES, type EventType } from '../util/event-types.ts';

/** Where a delivery is: waiting (maybe for its next attempt), leased to a deliverer, done, or given up. */
export type DeliveryState = 'pending' | 'delivering' | 'delivered' | 'failed';

/** Where one delivery goes. Webhook `url` and `secret` are kept as written (`${NAME}`), resolved at each attempt; no secret: sent unsigned. */
export type DeliveryTarget =
  | { kind: 'webhook'; url: string; secret?: string; allowPrivate: PrivateHosts }
  | { kind: 'email'; message: EmailMessageKind; to: string[] };

/** The emails Parley sends: a booking's invitation and cancellation (caller and owner), the owner's notices, a calendar's scheduling link to the caller. */
export type EmailMessageKind = 'invitation' | 'cancellation' | 'owner-booking' | 'owner-lead' | 'booking-link';

/** A destination of an event: its key (unique per event) and target. */
export interface Destination {
  key: string;
  target: DeliveryTarget;
}

/** An event as stored. */
export interface OutboxEvent {
  id: string;
  agent: string;
  type: EventType;
  data: unknown;
  conversationId: string | null;
  createdAt: string;
}

/** A delivery a deliverer holds the lease of. */
export interface ClaimedDelivery {
  id: string;
  event: OutboxEvent;
  destination: string;
  target: DeliveryTarget;
  /** Attempts made before this one. */
  attempts: number;
}

/** One attempt, as logged. */
export interface AttemptLog {
  at: string;
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** What happens to a delivery after an attempt. */
export type AfterAttempt = { state: 'delivered' } | { state: 'pending'; nextAttemptAt: string } | { state: 'failed' };

/** A new event id: what receivers see as `webhook-id` and deduplicate on. */
export function newEventId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/**
 * Writes an event for delivery to every destination its agent (and the server) names for its
 * type; returns its id. Deliverers pick it up on their next round (or at once when woken).
 * Callers: the server's recorder hook (conversation.ended, lead.saved, booking.created), the
 * cancel page (booking.cancelled), and post-call analysis (analysis.completed).
 */
export async function enqueueEvent(store: Store | Kysely<Tables>, e: { agent: string; type: EventType; data: unknown; conversationId?: string | null; at?: Date; id?: string }): Promise<string> {
  const db = 'db' in store ? store.db : store;
  const id = e.id ?? newEventId();
  await db
    .insertInto('outbox_events')
    .values({ id, agent: e.agent, type: e.type, data: JSON.stringify(e.data ?? null), conversation_id: e.conversationId ?? null, created_at: (e.at ?? new Date()).toISOString() })
    .execute();
  return id;
}

/** Filters of the events list; all optional. */
export interface EventFilter {
  agent?: string;
  type?: EventType;
  state?: DeliveryState;
  /** Events created before this id's event (the previous page's `nextCursor`). */
  cursor?: string;
  limit?: number;
}

/** An event with its deliveries and their attempts: what the admin API lists. */
export interface EventView {
  id: string;
  agent: string;
  type: string;
  conversationId: string | null;
  createdAt: string;
  data: unknown;
  deliveries: {
    id: string;
    destination: string;
    state: DeliveryState;
    attempts: AttemptLog[];
    nextAttemptAt: string | null;
    lastStatus: number | null;
    lastError: string | null;
    finishedAt: string | null;
  }[];
}

/** The outbox's reads and writes. Times are ISO-8601 strings from the caller's clock. */
export class Outbox {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Events not yet fanned out to their destinations, oldest first. */
  async unfanned(limit = 100): Promise<OutboxEvent[]> {
    const rows = await this.#store.db.selectFrom('outbox_events').selectAll().where('fanned_out', '=', 0).orderBy('created_at').limit(limit).execute();
    return rows.map(toEvent);
  }

  /**
   * Creates one delivery per destination (idempotent: two nodes fanning out the same event make
   * each delivery once) and marks the event fanned out.
   */
  async fanOut(eventId: string, destinations: Destination[], now: string): Promise<void> {
    await this.#store.db.transaction().execute(async (tx) => {
      if (destinations.length) {
        await tx
          .insertInto('outbox_deliveries')
          .values(destinations.map((d) => ({ id: randomUUID(), event_id: eventId, destination: d.key, target: JSON.stringify(d.target), state: 'pending', next_attempt_at: now, created_at: now, lease_owner: null, lease_until: null, last_status: null, last_error: null, finished_at: null })))
          .onConflict((oc) => oc.columns(['event_id', 'destination']).doNothing())
          .execute();
      }
      await tx.updateTable('outbox_events').set({ fanned_out: 1 }).where('id', '=', eventId).execute();
    });
  }

  /**
   * Leases up to `limit` due deliveries to `owner` until `leaseUntil`: pending ones whose next
   * attempt has come, and leased ones whose lease ran out (their deliverer died).
   */
  async claim(o: { owner: string; now: string; leaseUntil: string; limit: number }): Promise<ClaimedDelivery[]> {
    const db = this.#store.db;
    const rows = this.#store.kind === 'postgres' ? await this.#claimPostgres(o) : await this.#claimSqlite(o);
    if (!rows.length) return [];
    const events = await db.selectFrom('outbox_events').selectAll().where('id', 'in', [...new Set(rows.map((r) => r.event_id))]).execute();
    const byId = new Map(events.map((e) => [e.id, toEvent(e)]));
    return rows.flatMap((r) => {
      const event = byId.get(r.event_id);
      return event ? [{ id: r.id, event, destination: r.destination, target: JSON.parse(r.target) as DeliveryTarget, attempts: r.attempts as number }] : [];
    });
  }

  // One statement under SQLite's write lock: nothing else can claim in between.
  async #claimSqlite(o: { owner: string; now: string; leaseUntil: string; limit: number }) {
    const db = this.#store.db;
    const due = db.selectFrom('outbox_deliveries').select('id').where((eb) => dueNow(eb, o.now)).orderBy('next_attempt_at').limit(o.limit);
    return db.updateTable('outbox_deliveries').set({ state: 'delivering', lease_owner: o.owner, lease_until: o.leaseUntil }).where('id', 'in', due).returningAll().execute();
  }

  // The rows are picked and locked once, in a CTE (an IN-subquery may be run again per row and
  // take more than its LIMIT); SKIP LOCKED makes a second node take the next rows, not wait.
  async #claimPostgres(o: { owner: string; now: string; leaseUntil: string; limit: number }) {
    const r = await sql<Selectable<OutboxDeliveryTable>>`
      WITH due AS (
        SELECT id FROM outbox_deliveries
        WHERE (state = 'pending' AND next_attempt_at <= ${o.now}) OR (state = 'delivering' AND lease_until <= ${o.now})
        ORDER BY next_attempt_at LIMIT ${o.limit}
        FOR UPDATE SKIP LOCKED)
      UPDATE outbox_deliveries d SET state = 'delivering', lease_owner = ${o.owner}, lease_until = ${o.leaseUntil}
      FROM due WHERE d.id = due.id
      RETURNING d.*`.execute(this.#store.db);
    return r.rows;
  }

  /**
   * Logs an attempt and moves the delivery on. Only the lease holder moves it: a deliverer that
   * outlived its lease still logs what it saw, but the delivery stays with whoever took it over.
   */
  async finish(deliveryId: string, owner: string, attempt: AttemptLog, next: AfterAttempt): Promise<void> {
    await this.#store.db.transaction().execute(async (tx) => {
      await tx.insertInto('outbox_attempts').values({ delivery_id: deliveryId, at: attempt.at, status: attempt.status, duration_ms: Math.round(attempt.durationMs), error: attempt.error }).execute();
      const update: Partial<Record<keyof OutboxDeliveryTable, unknown>> = {
        state: next.state,
        lease_owner: null,
        lease_until: null,
        last_status: attempt.status,
        last_error: attempt.error,
        next_attempt_at: next.state === 'pending' ? next.nextAttemptAt : attempt.at,
        finished_at: next.state === 'pending' ? null : attempt.at,
      };
      await tx
        .updateTable('outbox_deliveries')
        .set((eb) => ({ ...(update as object), attempts: eb('attempts', '+', 1) }))
        .where('id', '=', deliveryId)
        .where('lease_owner', '=', owner)
        .execute();
    });
  }

  /** Sends an event again ("send again"): every delivery of it goes back to pending, due now. Returns how many. */
  async redeliver(eventId: string, now: string): Promise<number> {
    const r = await this.#store.db
      .updateTable('outbox_deliveries')
      .set({ state: 'pending', next_attempt_at: now, lease_owner: null, lease_until: null, finished_at: null })
      .where('event_id', '=', eventId)
      .where('state', '<>', 'delivering')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** One event with its deliveries and attempts. */
  async get(eventId: string): Promise<EventView | undefined> {
    const row = await this.#store.db.selectFrom('outbox_events').selectAll().where('id', '=', eventId).executeTakeFirst();
    return row ? (await this.#views([row]))[0] : undefined;
  }

  /** Events newest first, a page at a time. */
  async list(f: EventFilter = {}): Promise<{ events: EventView[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(Math.trunc(f.limit ?? 50), 1), 200);
    let q = this.#store.db.selectFrom('outbox_events').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
    if (f.agent) q = q.where('agent', '=', f.agent);
    if (f.type) q = q.where('type', '=', f.type);
    if (f.state) q = q.where((eb) => eb.exists(eb.selectFrom('outbox_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'outbox_events.id').where('d.state', '=', f.state!)));
    if (f.cursor) {
      const after = await this.#store.db.selectFrom('outbox_events').select(['created_at', 'id']).where('id', '=', f.cursor).executeTakeFirst();
      if (!after) throw new RangeError('malformed cursor');
      q = q.where((eb) => eb.or([eb('created_at', '<', after.created_at), eb.and([eb('created_at', '=', after.created_at), eb('id', '<', after.id)])]));
    }
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    return { events: await this.#views(page), nextCursor: rows.length > limit ? page.at(-1)!.id : null };
  }

  async #views(rows: EventRow[]): Promise<EventView[]> {
    if (!rows.length) return [];
    const db = this.#store.db;
    const deliveries = await db.selectFrom('outbox_deliveries').selectAll().where('event_id', 'in', rows.map((r) => r.id)).orderBy('created_at').execute();
    const attempts = deliveries.length ? await db.selectFrom('outbox_attempts').selectAll().where('delivery_id', 'in', deliveries.map((d) => d.id)).orderBy('id').execute() : [];
    return rows.map((r) => ({
      ...withoutFanout(toEvent(r)),
      deliveries: deliveries
        .filter((d) => d.event_id === r.id)
        .map((d) => ({
          id: d.id,
          destination: d.destination,
          state: d.state as DeliveryState,
          attempts: attempts.filter((a) => a.delivery_id === d.id).map((a) => ({ at: a.at, status: a.status, durationMs: a.duration_ms, error: a.error })),
          nextAttemptAt: d.state === 'pending' ? d.next_attempt_at : null,
          lastStatus: d.last_status,
          lastError: d.last_error,
          finishedAt: d.finished_at,
        })),
    }));
  }
}

/** Pending and due, or leased by a deliverer whose lease ran out. */
function dueNow(eb: ExpressionBuilder<Tables, 'outbox_deliveries'>, now: string) {
  return eb.or([eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('state', '=', 'delivering'), eb('lease_until', '<=', now)])]);
}

function toEvent(r: EventRow): OutboxEvent {
  return { id: r.id, agent: r.agent, type: r.type as EventType, data: JSON.parse(r.data), conversationId: r.conversation_id, createdAt: r.created_at };
}

function withoutFanout(e: OutboxEvent): Omit<EventView, 'deliveries'> {
  return { id: e.id, agent: e.agent, type: e.type, conversationId: e.conversationId, createdAt: e.createdAt, data: e.data };
}
