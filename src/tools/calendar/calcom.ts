import { Temporal } from 'temporal-polyfill';
import { OncePerKey } from './once-per-key.ts';
import type { CalendarConfig } from '../../agent/schema.ts';
import { bearer, exchange, templated, vendorMessage, type Secret } from './http.ts';
import { SlotUnavailableError, type Attendee, type Booking, type CalendarCall, type CalendarProvider, type Slot } from './types.ts';
import { baseLanguage } from '../../util/language.ts';

// cal.com API v2 (https://cal.com/docs/api-reference/v2), as documented:
//   GET  /v2/slots?eventTypeId&start&end&timeZone&format=range   cal-api-version: 2024-09-04
//        → { status: "success", data: { "YYYY-MM-DD": [{ start, end }] } }  (times carry the offset of timeZone)
//   POST /v2/bookings { start, eventTypeId, attendee: { name, email, timeZone, phoneNumber?, language? }, metadata?, bookingFieldsResponses? }
//        attendee.phoneNumber is international (E.164); metadata holds at most 50 keys (≤ 40 chars) of values ≤ 500 chars;
//        bookingFieldsResponses is keyed by the event type's booking field slugs (notes is always one).
//        cal-api-version: 2024-08-13 → 201 { status: "success", data: { uid, start, end, status, … } }
//   GET  /v2/event-types/{id}                                      cal-api-version: 2024-06-14
//        → { status: "success", data: { lengthInMinutes, … } }   (only when a slot comes without `end`)
// Errors are { status: "error", error: { code, message } }; a slot someone else took is 409
// (no_available_users_found_error and friends) on current cal.com, 400 on older versions.
// cal.com has no idempotency header, so this provider remembers each idempotency key's booking
// for its own lifetime; the booking tool above also refuses a second booking per conversation.

/** The `calendar:` block of an agent that books through cal.com. */
export type CalcomConfig = Extract<CalendarConfig, { provider: 'calcom' }>;

const SLOTS_VERSION = '2024-09-04';
const BOOKINGS_VERSION = '2024-08-13';
const EVENT_TYPES_VERSION = '2024-06-14';

/** The languages cal.com's booking API accepts for `attendee.language`; anything else is left out. */
const CALCOM_LANGUAGES = new Set('ar ca de es eu he id ja lv pl ro sr th vi az cs el es-419 fi hr it km nl pt ru sv tr zh-CN bg da en et fr hu iw ko no pt-BR sk ta uk zh-TW bn'.split(' '));

/** What a cal.com error says when the time is gone (codes of cal.com's ErrorCode enum, plus older wording). */
const TAKEN = /no_available_users_found|hosts?_unavailable|booking_conflict|seats_full|not_enough_available_seats|already_signed_up|already has booking|not available|no longer available|unavailable|out_of_bounds/i;

/** Books through a cal.com account (cloud or self-hosted) with an API key. */
export class CalcomCalendar implements CalendarProvider {
  readonly id = 'calcom';
  readonly #config: CalcomConfig;
  readonly #env: NodeJS.ProcessEnv;
  readonly #fetch: typeof fetch;
  readonly #now: () => Date;
  readonly #language: string | undefined;
  readonly #booked = new OncePerKey<Booking>();
  #lengthMinutes: number | undefined;

  constructor(o: { config: CalcomConfig; env: NodeJS.ProcessEnv; fetch?: typeof fetch; now?: () => Date; language?: string }) {
    this.#config = o.config;
    this.#env = o.env;
    this.#fetch = o.fetch ?? fetch;
    this.#now = o.now ?? (() => new Date());
    this.#language = calcomLanguage(o.language);
  }

  async availability(q: { from: string; to: string; timeZone: string }, call: CalendarCall): Promise<Slot[]> {
    const from = Temporal.Instant.from(q.from);
    const to = Temporal.Instant.from(q.to);
    const now = Temporal.Instant.fromEpochMilliseconds(this.#now().getTime());
    const start = Temporal.Instant.compare(from, now) > 0 ? from : now;
    if (Temporal.Instant.compare(start, to) >= 0) return [];

    const query = new URLSearchParams({ eventTypeId: String(this.#config.eventTypeId), start: iso(start), end: iso(to), timeZone: q.timeZone, format: 'range' });
    const res = await exchange(this.#fetch, this.#request('GET', `/v2/slots?${query}`, SLOTS_VERSION), call);
    if (!res.ok) throw new Error(`cal.com could not list slots (HTTP ${res.status}): ${vendorMessage(res.body)}`);
    const data = (res.body as { data?: Record<string, { start?: unknown; end?: unknown }[]> } | null)?.data;
    if (!data || typeof data !== 'object') throw new Error('cal.com answered without a `data` object of slots');

    const slots = new Map<string, Slot>();
    for (const day of Object.values(data)) {
      for (const s of Array.isArray(day) ? day : []) {
        if (typeof s?.start !== 'string') continue;
        const begins = Temporal.Instant.from(s.start);
        // The contract: future slots inside [from, to), whatever the vendor sends back.
        if (Temporal.Instant.compare(begins, start) < 0 || Temporal.Instant.compare(begins, to) >= 0) continue;
        const ends = typeof s.end === 'string' ? Temporal.Instant.from(s.end) : begins.add({ minutes: await this.#length(call) });
        slots.set(iso(begins), { start: iso(begins), end: iso(ends) });
      }
    }
    return [...slots.values()].sort((a, b) => a.start.localeCompare(b.start));
  }

  book(b: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string }, call: CalendarCall): Promise<Booking> {
    return this.#booked.run(b.idempotencyKey, () => this.#book(b, call));
  }

  async #book(b: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string }, call: CalendarCall): Promise<Booking> {
    const body = calcomBookingBody(b, this.#config.eventTypeId, this.#language);
    const res = await exchange(this.#fetch, { ...this.#request('POST', '/v2/bookings', BOOKINGS_VERSION), body }, call);
    if (!res.ok) {
      const message = vendorMessage(res.body);
      if (res.status === 409 || (res.status >= 400 && res.status < 500 && TAKEN.test(message))) throw new SlotUnavailableError();
      throw new Error(`cal.com refused the booking (HTTP ${res.status}): ${message}`);
    }
    const data = (res.body as { data?: { uid?: unknown; start?: unknown; end?: unknown; status?: unknown } } | null)?.data;
    if (!data || typeof data.uid !== 'string' || typeof data.start !== 'string' || typeof data.end !== 'string') {
      throw new Error('cal.com answered the booking without uid, start and end');
    }
    return {
      id: data.uid,
      start: iso(Temporal.Instant.from(data.start)),
      end: iso(Temporal.Instant.from(data.end)),
      status: data.status === 'pending' ? 'pending' : 'confirmed',
    };
  }

  /** The event type's length, read once: only needed when a server ignores `format=range`. */
  async #length(call: CalendarCall): Promise<number> {
    if (this.#lengthMinutes !== undefined) return this.#lengthMinutes;
    const res = await exchange(this.#fetch, this.#request('GET', `/v2/event-types/${this.#config.eventTypeId}`, EVENT_TYPES_VERSION), call);
    const minutes = (res.body as { data?: { lengthInMinutes?: unknown } } | null)?.data?.lengthInMinutes;
    if (!res.ok || typeof minutes !== 'number' || minutes <= 0) throw new Error(`cal.com did not say how long event type ${this.#config.eventTypeId} is (HTTP ${res.status}): ${vendorMessage(res.body)}`);
    return (this.#lengthMinutes = minutes);
  }

  #request(method: 'GET' | 'POST', path: string, version: string): { method: 'GET' | 'POST'; base: Secret; path: string; headers: Record<string, string | Secret> } {
    // Resolved per call: a missing CALCOM_API_KEY is reported when the calendar is used, naming the variable.
    return {
      method,
      base: templated(this.#config.baseURL, 'calendar.baseURL', this.#env),
      path,
      headers: { authorization: bearer(this.#config.apiKey, 'calendar.apiKey', this.#env), 'cal-api-version': version },
    };
  }
}

/** The documented POST /v2/bookings body: phone in attendee.phoneNumber, each collected field in metadata, answers to booking questions in bookingFieldsResponses. */
export function calcomBookingBody(b: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string }, eventTypeId: number, language?: string): Record<string, unknown> {
  // metadata: at most 50 keys of at most 40 characters, values of at most 500 (cal.com's limits).
  const metadata: Record<string, string> = { parleyIdempotencyKey: b.idempotencyKey.slice(0, 500) };
  const responses: Record<string, string> = {};
  for (const f of b.attendee.fields ?? []) {
    if (Object.keys(metadata).length < 50) metadata[f.field.slice(0, 40)] = f.value.slice(0, 500);
    if (f.question) responses[f.question] = f.value;
  }
  if (b.attendee.company && !metadata.company) metadata.company = b.attendee.company.slice(0, 500);
  if (b.attendee.phone && !metadata.phone) metadata.phone = b.attendee.phone.slice(0, 500);
  // cal.com refuses the whole booking for a phone it cannot parse: only an E.164 number goes in attendee.phoneNumber.
  const e164 = b.attendee.phone && /^\+[1-9]\d{6,14}$/.test(b.attendee.phone) ? b.attendee.phone : undefined;
  // `notes` is a booking field every event type has: the caller's problem goes there unless a field claims it.
  if (b.notes && responses.notes === undefined) responses.notes = b.notes;
  return {
    start: iso(Temporal.Instant.from(b.start)),
    eventTypeId,
    attendee: {
      name: b.attendee.name,
      email: b.attendee.email,
      timeZone: b.attendee.timeZone,
      ...(e164 ? { phoneNumber: e164 } : {}),
      ...(language ? { language } : {}),
    },
    metadata,
    ...(Object.keys(responses).length ? { bookingFieldsResponses: responses } : {}),
  };
}

/** cal.com's language code for a BCP-47 tag (`pl-PL` → `pl`, `pt-BR` stays), or undefined when it has none. */
function calcomLanguage(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const exact = [...CALCOM_LANGUAGES].find((l) => l.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const primary = baseLanguage(tag);
  return CALCOM_LANGUAGES.has(primary) ? primary : undefined;
}

function iso(i: Temporal.Instant): string {
  return i.toString({ smallestUnit: 'second' });
}
