// The calendar behind check_availability and book_call: cal.com, Calendly or the built-in
// one. Providers know only their vendor; the booking rules live in the tools above them.

/** An open slot. Instants are ISO-8601 UTC strings (`2026-12-01T09:00:00Z`). */
export interface Slot {
  start: string;
  end: string;
}

/** Who the call is with. */
export interface Attendee {
  name: string;
  email: string;
  /** IANA zone of the attendee, for the confirmation they receive. */
  timeZone: string;
  company?: string;
  /** The first phone-type field, E.164. */
  phone?: string;
  /** Every collected field but name and email, typed and normalised, in `collect` order. */
  fields?: CollectedField[];
}

/** One collected value as a calendar receives it. */
export interface CollectedField {
  field: string;
  /** The field's collect type (name, email, phone, company, text, choice, date). */
  type: string;
  /** Normalised: E.164 for a phone, YYYY-MM-DD for a date, the option as written for a choice. */
  value: string;
  /** The calendar's own booking question it answers (collect `question:`). */
  question?: string;
}

/** A booking the calendar confirmed, or a link the caller must use to finish booking. */
export interface Booking {
  id: string;
  start: string;
  end: string;
  status: 'confirmed' | 'pending' | 'link';
  /** Where the attendee can manage the booking, or (status `link`) finish it. */
  url?: string;
}

/** One HTTP exchange with a vendor, exactly as sent and received (secrets shown as `${NAME}`). */
export interface HttpExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; headers?: Record<string, string | null>; body: unknown } | { error: string };
}

/** Passed to every provider call: cancellation, and where to report each HTTP exchange. */
export interface CalendarCall {
  signal: AbortSignal;
  trace(exchange: HttpExchange): void;
}

/** A calendar provider, seen from the booking tools. */
export interface CalendarProvider {
  /** "calcom", "calendly", "builtin". */
  readonly id: string;
  /** Open slots between two instants; `timeZone` is the zone the vendor should reason in. */
  availability(q: { from: string; to: string; timeZone: string }, call: CalendarCall): Promise<Slot[]>;
  /** Books a slot; the same idempotency key never creates a second booking. */
  book(b: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string; conversationId?: string }, call: CalendarCall): Promise<Booking>;
}

/** The slot is gone or the vendor refused it; the message is safe to tell the caller about. */
export class SlotUnavailableError extends Error {
  constructor(message = 'that time is no longer available') {
    super(message);
    this.name = 'SlotUnavailableError';
  }
}
