import { Temporal } from 'temporal-polyfill';
import { SlotUnavailableError, type Attendee, type Booking, type CalendarCall, type CalendarProvider, type Slot } from '../tools/calendar/types.ts';
import type { CalendarStubData } from './format.ts';
import { scenarioInstant } from './time.ts';

// The calendar of a scenario: it offers exactly the slots the scenario lists, books them in
// memory, and traces each call like a vendor exchange, so the booking tools run their real
// rules (offered slots only, re-check before booking, idempotency) against a known calendar.
// `book` says how a booking is answered: confirmed, pending (the team confirms later), or a
// single-use scheduling link like Calendly's without a paid plan — which, like Calendly's, holds
// no slot: nothing is booked until the caller picks the time on the page.

/** How the stub calendar answers a booking. */
export type StubBookAnswer = 'confirmed' | 'pending' | 'link';

/** Where the stub's scheduling links point: a domain that never resolves. */
export const STUB_LINK_BASE = 'https://calendar.stub.invalid/link/';

/** A booking the stub calendar took, with what the tool sent. */
export interface StubBooking {
  booking: Booking;
  attendee: Attendee;
  notes?: string;
  idempotencyKey: string;
}

/** A CalendarProvider answering from a fixed list of slots. */
export class StubCalendar implements CalendarProvider {
  readonly id = 'stub';
  readonly bookings: StubBooking[] = [];
  readonly #slots: Slot[];
  readonly #answer: StubBookAnswer;

  constructor(slots: Slot[], answer: StubBookAnswer = 'confirmed') {
    this.#answer = answer;
    this.#slots = slots.map((s) => ({ start: instant(s.start), end: instant(s.end) })).sort((a, b) => a.start.localeCompare(b.start));
  }

  /** The slots of a scenario's `stubs.calendar`, times read in the agent's zone when they have no offset. */
  static fromScenario(stub: CalendarStubData, timeZone: string): StubCalendar {
    const at = (text: string) => {
      const i = scenarioInstant(text, timeZone);
      if (!i) throw new Error(`not a time: ${text}`);
      return i;
    };
    return new StubCalendar(
      stub.slots.map((s) => {
        const start = at(typeof s === 'string' ? s : s.start);
        const end = typeof s === 'string' ? start.add({ minutes: stub.slotMinutes }) : at(s.end);
        return { start: start.toString(), end: end.toString() };
      }),
      stub.book,
    );
  }

  async availability(q: { from: string; to: string; timeZone: string }, call: CalendarCall): Promise<Slot[]> {
    call.signal.throwIfAborted();
    const from = instant(q.from);
    const to = instant(q.to);
    const free = this.#slots.filter((s) => s.start < to && s.end > from && !this.#taken(s.start));
    call.trace({ request: { method: 'GET', url: `stub:calendar/availability?from=${from}&to=${to}&timeZone=${q.timeZone}`, headers: {} }, response: { status: 200, body: { slots: free } } });
    return free;
  }

  async book(b: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string }, call: CalendarCall): Promise<Booking> {
    call.signal.throwIfAborted();
    const request = { method: 'POST', url: 'stub:calendar/bookings', headers: {}, body: b };
    const earlier = this.bookings.find((x) => x.idempotencyKey === b.idempotencyKey);
    if (earlier) {
      call.trace({ request, response: { status: 200, body: earlier.booking } });
      return earlier.booking;
    }
    const start = instant(b.start);
    const slot = this.#slots.find((s) => s.start === start);
    if (!slot || this.#taken(start)) {
      call.trace({ request, response: { status: 409, body: { error: 'slot not available' } } });
      throw new SlotUnavailableError();
    }
    const n = this.bookings.length + 1;
    const booking: Booking =
      this.#answer === 'link'
        ? { id: `stub-link-${n}`, start: slot.start, end: slot.end, status: 'link', url: `${STUB_LINK_BASE}${n}` }
        : { id: `stub-booking-${n}`, start: slot.start, end: slot.end, status: this.#answer };
    this.bookings.push({ booking, attendee: b.attendee, notes: b.notes, idempotencyKey: b.idempotencyKey });
    call.trace({ request, response: { status: 201, body: booking } });
    return booking;
  }

  #taken(start: string): boolean {
    // A scheduling link holds no slot (as Calendly's does not).
    return this.bookings.some((x) => x.booking.start === start && x.booking.status !== 'link');
  }
}

/** ISO instants compared as text must be written one way. */
function instant(text: string): string {
  return Temporal.Instant.from(text).toString();
}
