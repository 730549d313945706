// A protocol-faithful fake of cal.com's API v2 for tests: the documented slots, bookings and
// event-type endpoints, the `cal-api-version` and Bearer checks, and cal.com's error bodies
// ({ status: "error", timestamp, path, error: { code, message } }). Only free slots in the
// requested range are offered; a booking takes its slot, and a second booking of it gets 409.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { Temporal } from 'temporal-polyfill';

/** A request the fake received. */
export interface FakeCalcomRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A booking the fake made, as cal.com returns it. */
export interface FakeCalcomBooking {
  uid: string;
  start: string;
  end: string;
  status: 'accepted' | 'pending';
  attendee: { name: string; email: string; timeZone: string; language?: string; phoneNumber?: string };
  metadata: Record<string, string>;
  bookingFieldsResponses: Record<string, unknown>;
}

/** Options for startFakeCalcom. */
export interface FakeCalcomOptions {
  /** Start instants (ISO-8601) of the open slots. */
  slots: string[];
  /** The only API key accepted (`Authorization: Bearer <apiKey>`). */
  apiKey: string;
  eventTypeId?: number;
  lengthMinutes?: number;
  /** Bookings wait for the host's confirmation (status "pending"). */
  requiresConfirmation?: boolean;
  /** Answer slots as start times only, ignoring `format=range` (as older cal.com did). */
  startsOnly?: boolean;
}

/** A running fake cal.com. */
export interface FakeCalcom {
  /** Base URL for `calendar.baseURL`. */
  url: string;
  eventTypeId: number;
  requests: FakeCalcomRequest[];
  bookings: FakeCalcomBooking[];
  /** Marks a slot taken, as if someone booked it elsewhere. */
  take(start: string): void;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeCalcom(o: FakeCalcomOptions): Promise<FakeCalcom> {
  const eventTypeId = o.eventTypeId ?? 1001;
  const length = o.lengthMinutes ?? 30;
  const open = new Set(o.slots.map(instant));
  const taken = new Set<string>();
  const requests: FakeCalcomRequest[] = [];
  const bookings: FakeCalcomBooking[] = [];

  function slots(req: FakeCalcomRequest, res: ServerResponse): void {
    const q = req.query;
    if (!q.start || !q.end) return error(res, req, 400, 'BadRequestException', 'start and end are required');
    if (Number(q.eventTypeId) !== eventTypeId) return error(res, req, 404, 'NotFoundException', `Event type with id=${q.eventTypeId} not found`);
    const zone = q.timeZone || 'UTC';
    // Dates without a time mean the start and the end of that (UTC) day, as the docs say.
    const from = parseInstant(/^\d{4}-\d{2}-\d{2}$/.test(q.start) ? `${q.start}T00:00:00Z` : q.start);
    const to = parseInstant(/^\d{4}-\d{2}-\d{2}$/.test(q.end) ? `${q.end}T23:59:59Z` : q.end);
    if (!from || !to) return error(res, req, 400, 'BadRequestException', 'start and end must be ISO 8601 date strings');
    const range = q.format === 'range' && !o.startsOnly;
    const data: Record<string, { start: string; end?: string }[]> = {};
    for (const s of [...open].sort()) {
      const at = Temporal.Instant.from(s);
      if (taken.has(s) || Temporal.Instant.compare(at, from) < 0 || Temporal.Instant.compare(at, to) > 0) continue;
      const local = at.toZonedDateTimeISO(zone);
      const stamp = (z: Temporal.ZonedDateTime) => z.toString({ timeZoneName: 'never', smallestUnit: 'millisecond' });
      (data[local.toPlainDate().toString()] ??= []).push(range ? { start: stamp(local), end: stamp(local.add({ minutes: length })) } : { start: stamp(local) });
    }
    send(res, 200, { status: 'success', data });
  }

  function book(req: FakeCalcomRequest, res: ServerResponse): void {
    const b = req.body as { start?: unknown; eventTypeId?: unknown; attendee?: Record<string, unknown>; metadata?: unknown; bookingFieldsResponses?: unknown } | null;
    const a = b?.attendee;
    if (!b || typeof b.start !== 'string' || !parseInstant(b.start)) return error(res, req, 400, 'BadRequestException', 'start must be a valid ISO 8601 date string');
    if (b.eventTypeId !== eventTypeId) return error(res, req, 404, 'NotFoundException', `Event type with id=${String(b.eventTypeId)} not found`);
    if (!a || typeof a.name !== 'string' || typeof a.timeZone !== 'string') return error(res, req, 400, 'BadRequestException', 'attendee.name and attendee.timeZone are required');
    if (typeof a.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.email)) return error(res, req, 400, 'BadRequestException', 'Invalid email format');
    // Documented: phoneNumber in international format, metadata at most 50 keys of at most 40 characters with values of at most 500.
    if (a.phoneNumber !== undefined && (typeof a.phoneNumber !== 'string' || !isValidPhoneNumber(a.phoneNumber))) return error(res, req, 400, 'BadRequestException', 'attendee.phoneNumber must be a valid phone number');
    const metadata = b.metadata ?? {};
    if (typeof metadata !== 'object' || Array.isArray(metadata)) return error(res, req, 400, 'BadRequestException', 'metadata must be an object');
    const entries = Object.entries(metadata as Record<string, unknown>);
    if (entries.length > 50) return error(res, req, 400, 'BadRequestException', 'metadata can have at most 50 keys');
    for (const [k, v] of entries) {
      if (k.length > 40) return error(res, req, 400, 'BadRequestException', `metadata key "${k}" is longer than 40 characters`);
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return error(res, req, 400, 'BadRequestException', `metadata value of "${k}" must be a string, number or boolean`);
      if (typeof v === 'string' && v.length > 500) return error(res, req, 400, 'BadRequestException', `metadata value of "${k}" is longer than 500 characters`);
    }
    const start = instant(b.start);
    if (!open.has(start) || taken.has(start)) return error(res, req, 409, 'no_available_users_found_error', 'No available users found.');
    taken.add(start);
    const end = Temporal.Instant.from(start).add({ minutes: length }).toString();
    const booking: FakeCalcomBooking = {
      uid: randomUUID().replace(/-/g, '').slice(0, 22),
      start,
      end,
      status: o.requiresConfirmation ? 'pending' : 'accepted',
      attendee: { name: a.name, email: a.email, timeZone: a.timeZone, ...(typeof a.language === 'string' ? { language: a.language } : {}), ...(typeof a.phoneNumber === 'string' ? { phoneNumber: a.phoneNumber } : {}) },
      metadata: (b.metadata ?? {}) as Record<string, string>,
      bookingFieldsResponses: (b.bookingFieldsResponses ?? {}) as Record<string, unknown>,
    };
    bookings.push(booking);
    send(res, 201, {
      status: 'success',
      data: {
        id: bookings.length,
        uid: booking.uid,
        title: `Intro call between Host and ${a.name}`,
        description: '',
        hosts: [{ id: 1, name: 'Host', email: 'host@example.com', username: 'host', timeZone: 'Europe/Warsaw' }],
        status: booking.status,
        start: booking.start.replace('Z', '.000Z'),
        end: booking.end.replace('Z', '.000Z'),
        duration: length,
        eventTypeId,
        eventType: { id: eventTypeId, slug: 'intro' },
        location: 'integrations:daily',
        absentHost: false,
        attendees: [{ ...booking.attendee, language: booking.attendee.language ?? 'en', absent: false }],
        guests: [],
        bookingFieldsResponses: { name: a.name, email: a.email, ...booking.bookingFieldsResponses },
        metadata: booking.metadata,
        createdAt: new Date().toISOString(),
      },
    });
  }

  function eventType(req: FakeCalcomRequest, res: ServerResponse, id: string): void {
    if (Number(id) !== eventTypeId) return error(res, req, 404, 'NotFoundException', `Event type with id=${id} not found`);
    send(res, 200, { status: 'success', data: { id: eventTypeId, ownerId: 1, lengthInMinutes: length, title: 'Intro call', slug: 'intro', description: '', locations: [], bookingFields: [], disableGuests: false, hidden: false } });
  }

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(raw.url ?? '/', 'http://fake');
    const req: FakeCalcomRequest = { method: raw.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: raw.headers, body: await readJson(raw) };
    requests.push(req);
    if (raw.headers.authorization !== `Bearer ${o.apiKey}`) return error(res, req, 401, 'UnauthorizedException', 'ApiAuthStrategy - api key - Invalid API Key');
    // Each endpoint answers only the version it is documented for; others would expect other fields.
    const eventTypePath = /^\/v2\/event-types\/([^/]+)$/.exec(req.path);
    const route =
      req.method === 'GET' && req.path === '/v2/slots' ? { version: '2024-09-04', run: () => slots(req, res) }
      : req.method === 'POST' && req.path === '/v2/bookings' ? { version: '2024-08-13', run: () => book(req, res) }
      : req.method === 'GET' && eventTypePath ? { version: '2024-06-14', run: () => eventType(req, res, eventTypePath[1]) }
      : undefined;
    if (!route) return error(res, req, 404, 'NotFoundException', `Cannot ${req.method} ${req.path}`);
    if (raw.headers['cal-api-version'] !== route.version) return error(res, req, 400, 'BadRequestException', `this endpoint needs the header cal-api-version: ${route.version}`);
    route.run();
  }

  const server = createServer((raw, res) => {
    handle(raw, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      send(res, 500, { status: 'error', timestamp: new Date().toISOString(), path: raw.url, error: { code: 'InternalServerError', message: String(e) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    eventTypeId,
    requests,
    bookings,
    take: (start) => void taken.add(instant(start)),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function parseInstant(s: string): Temporal.Instant | undefined {
  try {
    return Temporal.Instant.from(s);
  } catch {
    return undefined;
  }
}

function instant(s: string): string {
  return Temporal.Instant.from(s).toString({ smallestUnit: 'second' });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, req: FakeCalcomRequest, status: number, code: string, message: string): void {
  send(res, status, { status: 'error', timestamp: new Date().toISOString(), path: req.path, error: { code, message } });
}
