import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { isClosed } from '../../agent/closed-dates.ts';
import type { CalendarConfig } from '../../agent/schema.ts';
import type { Store } from '../../store/store.ts';
import type { BookingTable, Tables } from '../../store/tables.ts';
import { icsCalendar } from './ics.ts';
import { SlotUnavailableError, type Attendee, type Booking, type CalendarCall, type CalendarProvider, type Slot } from './types.ts';

// A calendar with no account: open slots come from the weekly hours in agent.yaml, read as
// wall-clock times in the business time zone (09:00 is 09:00 local on both sides of a DST
// change), and bookings live in the store's `bookings` table.
// Slots start every slotMinutes from the opening time; a slot is free when it keeps
// bufferMinutes clear of every booking on both sides.
// Two conversations racing for one slot: book() checks and inserts in one write transaction
// (SQLite: BEGIN IMMEDIATE, so another process waits for the write lock; Postgres: serializable),
// and the UNIQUE (agent, start) index over live bookings refuses whatever still slips through.
// The loser gets SlotUnavailableError.

/** The `calendar:` block of an agent using the built-in calendar. */
export type BuiltinConfig = Extract<CalendarConfig, { provider: 'builtin' }>;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The built-in calendar of one agent. */
export class BuiltinCalendar implements CalendarProvider {
  readonly id = 'builtin';
  readonly #agent: string;
  readonly #timeZone: string;
  readonly #config: BuiltinConfig;
  readonly #store: Store;
  readonly #now: () => Date;

  constructor(o: { agent: string; timeZone: string; config: BuiltinConfig; store: Store; now?: () => Date }) {
    this.#agent = o.agent;
    this.#timeZone = o.timeZone;
    this.#config = o.config;
    this.#store = o.store;
    this.#now = o.now ?? (() => new Date());
  }

  /** Free slots in [from, to); the hours are the business's, so `q.timeZone` does not change them. */
  async availability(q: { from: string; to: string; timeZone: string }, call: CalendarCall): Promise<Slot[]> {
    const open = this.#openSlots(Temporal.Instant.from(q.from), Temporal.Instant.from(q.to));
    if (!open.length) return [];
    const buffer = this.#config.bufferMinutes;
    const first = Temporal.Instant.from(open[0].start).subtract({ minutes: buffer });
    const last = Temporal.Instant.from(open[open.length - 1].end).add({ minutes: buffer });
    const booked = await this.#store.db
      .selectFrom('bookings')
      .select(['start', 'end'])
      .where('agent', '=', this.#agent)
      .where('status', '<>', 'cancelled')
      .where('start', '<', iso(last))
      .where('end', '>', iso(first))
      .execute({ signal: call.signal });
    return open.filter((s) => !booked.some((b) => clashes(s, b, buffer)));
  }

  /** Books an open slot; `conversationId`, when given, is stored with the booking. */
  async book(b: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string; conversationId?: string }, call: CalendarCall): Promise<Booking> {
    const earlier = await this.#byKey(this.#store.db, b.idempotencyKey, call.signal);
    if (earlier) return earlier;

    const begins = Temporal.Instant.from(b.start);
    const slot = this.#openSlots(begins, begins.add({ seconds: 1 })).find((s) => s.start === iso(begins));
    if (!slot) throw new SlotUnavailableError('that time is not one of the open times');

    call.signal.throwIfAborted();
    // From here on the booking is not abandoned half-way: the write runs to its end.
    try {
      return await writeTransaction(this.#store, this.#agent, async (db) => {
        const raced = await this.#byKey(db, b.idempotencyKey);
        if (raced) return raced;
        const buffer = this.#config.bufferMinutes;
        const neighbours = await db
          .selectFrom('bookings')
          .select(['start', 'end'])
          .where('agent', '=', this.#agent)
          .where('status', '<>', 'cancelled')
          .where('start', '<', iso(Temporal.Instant.from(slot.end).add({ minutes: buffer })))
          .where('end', '>', iso(begins.subtract({ minutes: buffer })))
          .execute();
        if (neighbours.some((n) => clashes(slot, n, buffer))) throw new SlotUnavailableError();
        const row: Insertable<BookingTable> & { id: string; start: string; end: string } = {
          id: randomUUID(),
          agent: this.#agent,
          conversation_id: b.conversationId ?? null,
          start: slot.start,
          end: slot.end,
          attendee: JSON.stringify(b.attendee),
          notes: b.notes ?? null,
          idempotency_key: b.idempotencyKey,
          status: 'confirmed',
          created_at: iso(Temporal.Instant.fromEpochMilliseconds(this.#now().getTime())),
        };
        await db.insertInto('bookings').values(row).execute();
        return toBooking(row);
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Another process won: either with this very key (return its booking) or with this slot.
      const winner = await this.#byKey(this.#store.db, b.idempotencyKey);
      if (winner) return winner;
      throw new SlotUnavailableError();
    }
  }

  async #byKey(db: Kysely<Tables>, key: string, signal?: AbortSignal): Promise<Booking | undefined> {
    const row = await db
      .selectFrom('bookings')
      .select(['id', 'start', 'end'])
      .where('agent', '=', this.#agent)
      .where('idempotency_key', '=', key)
      .executeTakeFirst({ signal });
    return row && toBooking(row);
  }

  /** Slots the hours offer in [from, to), inside the notice and horizon, before bookings are taken out. */
  #openSlots(from: Temporal.Instant, to: Temporal.Instant): Slot[] {
    const now = Temporal.Instant.fromEpochMilliseconds(this.#now().getTime());
    const earliest = now.add({ minutes: this.#config.minNoticeMinutes });
    const horizon = now.toZonedDateTimeISO(this.#timeZone).add({ days: this.#config.horizonDays }).toInstant();
    const start = Temporal.Instant.compare(from, earliest) > 0 ? from : earliest;
    const end = Temporal.Instant.compare(to, horizon) < 0 ? to : horizon;
    if (Temporal.Instant.compare(start, end) >= 0) return [];
    return weeklySlots(this.#config, this.#timeZone, start, end);
  }
}

/** Slots of the weekly hours starting in [from, to), in local wall-clock time of `timeZone`. */
export function weeklySlots(config: Pick<BuiltinConfig, 'hours' | 'slotMinutes' | 'closedDates'>, timeZone: string, from: Temporal.Instant, to: Temporal.Instant): Slot[] {
  const slots: Slot[] = [];
  const last = to.toZonedDateTimeISO(timeZone).toPlainDate();
  for (let date = from.toZonedDateTimeISO(timeZone).toPlainDate(); Temporal.PlainDate.compare(date, last) <= 0; date = date.add({ days: 1 })) {
    if (isClosed(config.closedDates, date)) continue;
    for (const range of config.hours[WEEKDAYS[date.dayOfWeek - 1]] ?? []) {
      const [opens, closes] = range.split('-').map((t) => Temporal.PlainTime.from(t));
      const closing = date.toZonedDateTime({ timeZone, plainTime: closes }).toInstant();
      for (let t = opens; ; ) {
        const local = date.toZonedDateTime({ timeZone, plainTime: t });
        const begins = local.toInstant();
        const ends = begins.add({ minutes: config.slotMinutes });
        if (Temporal.Instant.compare(ends, closing) > 0) break;
        // A wall-clock time the DST jump skips does not exist that day: no slot there.
        const exists = local.toPlainTime().equals(t);
        if (exists && Temporal.Instant.compare(begins, from) >= 0 && Temporal.Instant.compare(begins, to) < 0) slots.push({ start: iso(begins), end: iso(ends) });
        const next = t.add({ minutes: config.slotMinutes });
        if (Temporal.PlainTime.compare(next, t) <= 0) break; // wrapped past midnight
        t = next;
      }
    }
  }
  return slots.sort((a, b) => a.start.localeCompare(b.start));
}

/** An iCalendar (RFC 5545) feed of an agent's bookings, for subscribing from any calendar app. */
export async function bookingsIcs(store: Store, agent: string, o: { signal: AbortSignal; name?: string; location?: string }): Promise<string> {
  const rows = await store.db
    .selectFrom('bookings')
    .selectAll()
    .where('agent', '=', agent)
    .where('status', '<>', 'cancelled')
    .orderBy('start')
    .execute({ signal: o.signal });
  const events = rows.map((r) => {
    const a = JSON.parse(r.attendee) as Attendee;
    const contact = [a.email, a.phone, a.company].filter(Boolean).join(', ');
    return {
      uid: `${r.id}@parley`,
      stamp: r.created_at,
      start: r.start,
      end: r.end,
      summary: `Call with ${a.name}${a.company ? ` (${a.company})` : ''}`,
      description: [contact, r.notes].filter(Boolean).join('\n'),
      ...(o.location ? { location: o.location } : {}),
      attendee: { name: a.name, email: a.email },
      status: 'CONFIRMED' as const,
    };
  });
  return icsCalendar(events, { name: o.name ?? `${agent} bookings` });
}

/** A built-in booking as stored, with its iCalendar SEQUENCE. */
export interface StoredBooking {
  id: string;
  agent: string;
  conversationId: string | null;
  start: string;
  end: string;
  attendee: Attendee;
  notes: string | null;
  status: 'confirmed' | 'cancelled';
  sequence: number;
}

/** What cancelling came to: done (once, whoever asks twice), or why not. */
export type CancelOutcome = { kind: 'cancelled'; booking: StoredBooking } | { kind: 'already-cancelled'; booking: StoredBooking } | { kind: 'past'; booking: StoredBooking } | { kind: 'missing' };

/** One built-in booking by id. */
export async function builtinBooking(store: Store, id: string, signal?: AbortSignal): Promise<StoredBooking | undefined> {
  const r = await store.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst({ signal });
  return r && storedBooking(r);
}

/**
 * Cancels a built-in booking that has not started: frees its slot and raises its SEQUENCE (the
 * cancellation sent to calendars must be newer than the invitation). One conditional UPDATE, so
 * two cancels racing (a double click, two nodes) cancel it once.
 */
export async function cancelBuiltinBooking(store: Store, id: string, now: Date): Promise<CancelOutcome> {
  const r = await store.db
    .updateTable('bookings')
    .set((eb) => ({ status: 'cancelled', sequence: eb('sequence', '+', 1) }))
    .where('id', '=', id)
    .where('status', '<>', 'cancelled')
    .where('start', '>', iso(Temporal.Instant.fromEpochMilliseconds(now.getTime())))
    .returningAll()
    .executeTakeFirst();
  if (r) return { kind: 'cancelled', booking: storedBooking(r) };
  const booking = await builtinBooking(store, id);
  if (!booking) return { kind: 'missing' };
  return booking.status === 'cancelled' ? { kind: 'already-cancelled', booking } : { kind: 'past', booking };
}

function storedBooking(r: { id: string; agent: string; conversation_id: string | null; start: string; end: string; attendee: string; notes: string | null; status: string; sequence: number }): StoredBooking {
  return { id: r.id, agent: r.agent, conversationId: r.conversation_id, start: r.start, end: r.end, attendee: JSON.parse(r.attendee) as Attendee, notes: r.notes, status: r.status === 'cancelled' ? 'cancelled' : 'confirmed', sequence: Number(r.sequence) };
}

/** True when `slot` comes closer than `buffer` minutes to `booked` (or overlaps it). */
function clashes(slot: Slot, booked: { start: string; end: string }, buffer: number): boolean {
  const ms = buffer * 60_000;
  return Date.parse(slot.start) < Date.parse(booked.end) + ms && Date.parse(slot.end) + ms > Date.parse(booked.start);
}

/**
 * Runs `fn` in a transaction that holds the agent's booking lock from its first statement, so two
 * nodes racing for a slot (or for neighbouring slots inside the buffer) take turns instead of both
 * seeing it free. The lock lives in the database that holds the bookings, so it is released by the
 * same commit that makes the booking visible — a lock kept elsewhere (Redis) could expire between.
 */
async function writeTransaction<T>(store: Store, agent: string, fn: (db: Kysely<Tables>) => Promise<T>): Promise<T> {
  if (store.kind === 'postgres') {
    return store.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`parley.bookings:${agent}`}))`.execute(tx);
      return fn(tx);
    });
  }
  // Kysely's SQLite `begin` is deferred: a second process could read the same free slot before
  // either writes. BEGIN IMMEDIATE makes it wait (busy_timeout) for the first to commit instead.
  return store.db.connection().execute(async (db) => {
    await sql`begin immediate`.execute(db);
    try {
      const result = await fn(db);
      await sql`commit`.execute(db);
      return result;
    } catch (e) {
      await sql`rollback`.execute(db);
      throw e;
    }
  });
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; errcode?: unknown; message?: unknown } | null;
  // Postgres: 23505 (unique violation).
  // node:sqlite: SQLITE_CONSTRAINT_UNIQUE (2067) or SQLITE_CONSTRAINT_PRIMARYKEY (1555).
  return err?.code === '23505' || err?.errcode === 2067 || err?.errcode === 1555 || (typeof err?.message === 'string' && /UNIQUE constraint failed/i.test(err.message));
}

function toBooking(r: Pick<BookingTable, 'id' | 'start' | 'end'>): Booking {
  return { id: r.id, start: r.start, end: r.end, status: 'confirmed' };
}

function iso(i: Temporal.Instant): string {
  return i.toString({ smallestUnit: 'second' });
}
