import { Temporal } from 'temporal-polyfill';
import { OncePerKey } from './once-per-key.ts';
import type { CalendarConfig } from '../../agent/schema.ts';
import { bearer, exchange, templated, vendorMessage, type Secret, type VendorResponse } from './http.ts';
import { SlotUnavailableError, type Attendee, type Booking, type CalendarCall, type CalendarProvider, type Slot } from './types.ts';

// Calendly API v2 (https://developer.calendly.com), as documented:
//   GET  /event_types/{uuid}                       → { resource: { duration, scheduling_url, … } }
//   GET  /event_type_available_times?event_type&start_time&end_time
//        → { collection: [{ status: "available", start_time, invitees_remaining, scheduling_url }] }
//        start_time may not be in the past; the span was capped at 7 days (31 since July 2026),
//        so longer ranges are asked for in 7-day windows, which every account accepts.
//   POST /invitees { event_type, start_time, invitee: { name, email, timezone, text_reminder_number? }, questions_and_answers?: [{ question, answer, position }] }
//        text_reminder_number is an international number; each answer names one of the event type's custom_questions.
//        → 201 { resource: { uri, event, cancel_url, reschedule_url, status, … } }
//        The Scheduling API needs a paid plan and the scheduled_events:write scope: other accounts
//        get 403 (or 404 where the endpoint is not offered to them).
//   POST /scheduling_links { max_event_count: 1, owner: <event type URI>, owner_type: "EventType" }
//        → 201 { resource: { booking_url, owner, owner_type } }
// Errors are { title, message, details?: [{ parameter, message }] }.
// Booking notes are not sent: Calendly takes free text only as answers to the event type's own
// questions (questions_and_answers), which differ per account; a collect field with `question:`
// naming one of them is sent as its answer.
// When the account cannot book directly, book() creates a single-use scheduling link and returns
// { status: 'link', url } so the agent can offer to send it. Calendly has no idempotency header:
// each idempotency key's result is remembered for the provider's lifetime.

/** The `calendar:` block of an agent that books through Calendly. */
export type CalendlyConfig = Extract<CalendarConfig, { provider: 'calendly' }>;

/** Longest span asked for in one availability request. */
export const CALENDLY_WINDOW_DAYS = 7;

/** What a Calendly error says when the time is gone rather than the request being wrong. */
const TAKEN = /no longer available|not available|unavailable|already (been )?(booked|taken|scheduled)|taken|conflict/i;
/** What a Calendly error says when the account may not book through the API at all. */
const NOT_ALLOWED = /permission|forbidden|plan|upgrade|scope|not (allowed|authorized|permitted)/i;

/** Books through a Calendly account with a personal access token. */
export class CalendlyCalendar implements CalendarProvider {
  readonly id = 'calendly';
  readonly #config: CalendlyConfig;
  readonly #env: NodeJS.ProcessEnv;
  readonly #fetch: typeof fetch;
  readonly #now: () => Date;
  readonly #booked = new OncePerKey<Booking>();
  #durationMinutes: number | undefined;
  /** The event type's custom questions, read with its duration. */
  #questions: { name: string; position: number }[] | undefined;

  constructor(o: { config: CalendlyConfig; env: NodeJS.ProcessEnv; fetch?: typeof fetch; now?: () => Date }) {
    this.#config = o.config;
    this.#env = o.env;
    this.#fetch = o.fetch ?? fetch;
    this.#now = o.now ?? (() => new Date());
  }

  async availability(q: { from: string; to: string; timeZone: string }, call: CalendarCall): Promise<Slot[]> {
    const from = Temporal.Instant.from(q.from);
    const to = Temporal.Instant.from(q.to);
    // Calendly refuses a start_time in the past: ask from a moment ahead of now.
    const soon = Temporal.Instant.fromEpochMilliseconds(this.#now().getTime()).add({ seconds: 30 });
    const start = Temporal.Instant.compare(from, soon) > 0 ? from : soon;
    if (Temporal.Instant.compare(start, to) >= 0) return [];
    const minutes = await this.#duration(call);

    const slots = new Map<string, Slot>();
    for (const [windowStart, windowEnd] of windows(start, to, CALENDLY_WINDOW_DAYS)) {
      const query = new URLSearchParams({ event_type: this.#config.eventType, start_time: iso(windowStart), end_time: iso(windowEnd) });
      const res = await exchange(this.#fetch, this.#request('GET', `/event_type_available_times?${query}`), call);
      if (!res.ok) throw new Error(`Calendly could not list available times (HTTP ${res.status}): ${vendorMessage(res.body)}`);
      const collection = (res.body as { collection?: { status?: unknown; start_time?: unknown }[] } | null)?.collection;
      if (!Array.isArray(collection)) throw new Error('Calendly answered without a `collection` of available times');
      for (const t of collection) {
        if (typeof t?.start_time !== 'string' || (t.status !== undefined && t.status !== 'available')) continue;
        const begins = Temporal.Instant.from(t.start_time);
        if (Temporal.Instant.compare(begins, start) < 0 || Temporal.Instant.compare(begins, to) >= 0) continue;
        slots.set(iso(begins), { start: iso(begins), end: iso(begins.add({ minutes })) });
      }
    }
    return [...slots.values()].sort((a, b) => a.start.localeCompare(b.start));
  }

  book(b: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string }, call: CalendarCall): Promise<Booking> {
    return this.#booked.run(b.idempotencyKey, () => this.#book(b, call));
  }

  async #book(b: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string }, call: CalendarCall): Promise<Booking> {
    const begins = Temporal.Instant.from(b.start);
    const minutes = await this.#duration(call);
    const body = calendlyInviteeBody(b, this.#config.eventType, this.#questions ?? []);
    const res = await exchange(this.#fetch, { ...this.#request('POST', '/invitees'), body }, call);
    if (res.ok) {
      const r = (res.body as { resource?: { uri?: unknown; reschedule_url?: unknown; cancel_url?: unknown } } | null)?.resource;
      if (!r || typeof r.uri !== 'string') throw new Error('Calendly answered the booking without an invitee uri');
      const url = typeof r.reschedule_url === 'string' ? r.reschedule_url : typeof r.cancel_url === 'string' ? r.cancel_url : undefined;
      return { id: r.uri, start: iso(begins), end: iso(begins.add({ minutes })), status: 'confirmed', ...(url ? { url } : {}) };
    }
    if (cannotBookDirectly(res)) return this.#link(begins, minutes, call);
    const message = vendorMessage(res.body);
    if (res.status === 409 || ((res.status === 400 || res.status === 422) && TAKEN.test(message))) throw new SlotUnavailableError();
    throw new Error(`Calendly refused the booking (HTTP ${res.status}): ${message}`);
  }

  /** A single-use scheduling link: the caller finishes the booking on Calendly's page. */
  async #link(begins: Temporal.Instant, minutes: number, call: CalendarCall): Promise<Booking> {
    const body = { max_event_count: 1, owner: this.#config.eventType, owner_type: 'EventType' };
    const res = await exchange(this.#fetch, { ...this.#request('POST', '/scheduling_links'), body }, call);
    const url = (res.body as { resource?: { booking_url?: unknown } } | null)?.resource?.booking_url;
    if (!res.ok || typeof url !== 'string') throw new Error(`Calendly could not book directly or create a scheduling link (HTTP ${res.status}): ${vendorMessage(res.body)}`);
    return { id: url, start: iso(begins), end: iso(begins.add({ minutes })), status: 'link', url };
  }

  /** The event type's length in minutes, read once from Calendly. */
  async #duration(call: CalendarCall): Promise<number> {
    if (this.#durationMinutes !== undefined) return this.#durationMinutes;
    // The event type URI names api.calendly.com; its path is read from baseURL so a proxy or a fake serves it too.
    const path = URL.canParse(this.#config.eventType) ? new URL(this.#config.eventType).pathname : `/event_types/${this.#config.eventType}`;
    const res = await exchange(this.#fetch, this.#request('GET', path), call);
    const resource = (res.body as { resource?: { duration?: unknown; custom_questions?: unknown } } | null)?.resource;
    const duration = resource?.duration;
    const questions = Array.isArray(resource?.custom_questions) ? (resource.custom_questions as { name?: unknown; position?: unknown; enabled?: unknown }[]) : [];
    this.#questions = questions.flatMap((q) => (typeof q?.name === 'string' && typeof q.position === 'number' && q.enabled !== false ? [{ name: q.name, position: q.position }] : []));
    if (!res.ok || typeof duration !== 'number' || duration <= 0) throw new Error(`Calendly did not say how long the event type is (HTTP ${res.status}): ${vendorMessage(res.body)}`);
    return (this.#durationMinutes = duration);
  }

  #request(method: 'GET' | 'POST', path: string): { method: 'GET' | 'POST'; base: Secret; path: string; headers: Record<string, string | Secret> } {
    // Resolved per call: a missing CALENDLY_TOKEN is reported when the calendar is used, naming the variable.
    return {
      method,
      base: templated(this.#config.baseURL, 'calendar.baseURL', this.#env),
      path,
      headers: { authorization: bearer(this.#config.token, 'calendar.token', this.#env) },
    };
  }
}

/**
 * The documented POST /invitees body: the phone as invitee.text_reminder_number, and each field with a
 * `question:` as an answer in questions_and_answers, matched to the event type's question of that text
 * (case and spacing ignored; a question the event type does not have is left out, as Calendly would refuse it).
 */
export function calendlyInviteeBody(b: { start: string; attendee: Attendee }, eventType: string, questions: { name: string; position: number }[]): Record<string, unknown> {
  const bare = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const answers = (b.attendee.fields ?? []).flatMap((f) => {
    const q = f.question ? questions.find((x) => bare(x.name) === bare(f.question!)) : undefined;
    return q ? [{ question: q.name, answer: f.value, position: q.position }] : [];
  });
  return {
    event_type: eventType,
    start_time: iso(Temporal.Instant.from(b.start)),
    invitee: {
      name: b.attendee.name,
      email: b.attendee.email,
      timezone: b.attendee.timeZone,
      ...(b.attendee.phone && /^\+[1-9]\d{6,14}$/.test(b.attendee.phone) ? { text_reminder_number: b.attendee.phone } : {}),
    },
    ...(answers.length ? { questions_and_answers: answers } : {}),
  };
}

/** Consecutive [start, end) windows of at most `days` days covering [from, to). */
export function windows(from: Temporal.Instant, to: Temporal.Instant, days: number): [Temporal.Instant, Temporal.Instant][] {
  const out: [Temporal.Instant, Temporal.Instant][] = [];
  for (let s = from; Temporal.Instant.compare(s, to) < 0; ) {
    const e = s.add({ hours: 24 * days });
    const end = Temporal.Instant.compare(e, to) < 0 ? e : to;
    out.push([s, end]);
    s = end;
  }
  return out;
}

/** The account is not allowed to use the Scheduling API (free plan, missing scope, endpoint not offered). */
function cannotBookDirectly(res: VendorResponse): boolean {
  if (res.status === 403 || res.status === 404) return true;
  return (res.status === 400 || res.status === 402) && NOT_ALLOWED.test(vendorMessage(res.body));
}

function iso(i: Temporal.Instant): string {
  return i.toString({ smallestUnit: 'second' });
}
