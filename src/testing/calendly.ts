// A protocol-faithful fake of Calendly's API v2 for tests: event type, event type available
// times (future start, window of at most `maxWindowDays`), the Scheduling API's POST /invitees
// (refused with 403 when the account may not book directly) and single-use scheduling links.
// Errors have Calendly's shape: { title, message, details?: [{ parameter, message }] }.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Temporal } from 'temporal-polyfill';

const API = 'https://api.calendly.com';

/** A request the fake received. */
export interface FakeCalendlyRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** An invitee the fake scheduled. */
export interface FakeCalendlyInvitee {
  uri: string;
  event: string;
  startTime: string;
  name: string;
  email: string;
  timezone: string;
  textReminderNumber: string | null;
  questionsAndAnswers: { question: string; answer: string; position: number }[];
}

/** Options for startFakeCalendly. */
export interface FakeCalendlyOptions {
  /** Start instants (ISO-8601) of the available times. */
  availableTimes: string[];
  /** The only personal access token accepted. */
  token: string;
  /** The account may use the Scheduling API (a paid plan); otherwise POST /invitees answers 403. Default true. */
  allowDirectBooking?: boolean;
  duration?: number;
  eventTypeUuid?: string;
  /** Longest start_time–end_time span accepted. Default 7. */
  maxWindowDays?: number;
  /** The fake's clock, for refusing a start_time in the past. */
  now?: () => Date;
  /** The event type's custom questions (their text), in order; answers to any other question are refused. */
  questions?: string[];
}

/** A running fake Calendly. */
export interface FakeCalendly {
  /** Base URL for `calendar.baseURL`. */
  url: string;
  /** The event type URI for `calendar.eventType` (as Calendly writes it: https://api.calendly.com/event_types/…). */
  eventType: string;
  requests: FakeCalendlyRequest[];
  invitees: FakeCalendlyInvitee[];
  /** Booking URLs of the single-use links created. */
  schedulingLinks: string[];
  /** Marks a time taken, as if someone booked it elsewhere. */
  take(start: string): void;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeCalendly(o: FakeCalendlyOptions): Promise<FakeCalendly> {
  const uuid = o.eventTypeUuid ?? 'ETFAKE0000000001';
  const eventType = `${API}/event_types/${uuid}`;
  const duration = o.duration ?? 30;
  const maxWindowDays = o.maxWindowDays ?? 7;
  const now = o.now ?? (() => new Date());
  const open = new Set(o.availableTimes.map(instant));
  const taken = new Set<string>();
  const requests: FakeCalendlyRequest[] = [];
  const invitees: FakeCalendlyInvitee[] = [];
  const schedulingLinks: string[] = [];
  const isOurs = (uri: unknown) => typeof uri === 'string' && uri.endsWith(`/event_types/${uuid}`);
  const invalid = (res: ServerResponse, parameter: string, message: string) =>
    send(res, 400, { title: 'Invalid Argument', message: 'The supplied parameters are invalid.', details: [{ parameter, message }] });

  function getEventType(res: ServerResponse): void {
    send(res, 200, {
      resource: {
        uri: eventType,
        name: 'Intro call',
        active: true,
        slug: 'intro-call',
        scheduling_url: 'https://calendly.com/fake-host/intro-call',
        duration,
        custom_questions: (o.questions ?? []).map((name, position) => ({ name, type: 'string', position, enabled: true, required: false, answer_choices: [], include_other: false })),
        kind: 'solo',
        pooling_type: null,
        type: 'StandardEventType',
        color: '#8247f5',
        created_at: '2026-01-01T00:00:00.000000Z',
        updated_at: '2026-01-01T00:00:00.000000Z',
        internal_note: null,
        description_plain: null,
        description_html: null,
        profile: { type: 'User', name: 'Fake Host', owner: `${API}/users/FAKEUSER` },
        secret: false,
      },
    });
  }

  function availableTimes(req: FakeCalendlyRequest, res: ServerResponse): void {
    const q = req.query;
    if (!isOurs(q.event_type)) return invalid(res, 'event_type', 'is invalid');
    const from = parseInstant(q.start_time ?? '');
    const to = parseInstant(q.end_time ?? '');
    if (!from) return invalid(res, 'start_time', 'is required and must be a date-time');
    if (!to) return invalid(res, 'end_time', 'is required and must be a date-time');
    if (from.epochMilliseconds < now().getTime()) return invalid(res, 'start_time', 'must be in the future');
    if (Temporal.Instant.compare(to, from) <= 0) return invalid(res, 'end_time', 'must be after start_time');
    if (to.epochMilliseconds - from.epochMilliseconds > maxWindowDays * 86_400_000) return invalid(res, 'end_time', `date range can be no greater than ${maxWindowDays} days`);
    const collection = [...open]
      .sort()
      .filter((s) => !taken.has(s) && Temporal.Instant.compare(Temporal.Instant.from(s), from) >= 0 && Temporal.Instant.compare(Temporal.Instant.from(s), to) <= 0)
      // Calendly writes times with microseconds: 2026-12-02T08:00:00.000000Z.
      .map((s) => ({ status: 'available', invitees_remaining: 1, start_time: s.replace('Z', '.000000Z'), scheduling_url: `https://calendly.com/fake-host/intro-call/${s.replace(/:\d\dZ$/, '+00:00')}` }));
    send(res, 200, { collection });
  }

  function createInvitee(req: FakeCalendlyRequest, res: ServerResponse): void {
    if (o.allowDirectBooking === false) return send(res, 403, { title: 'Permission Denied', message: 'The Scheduling API is only available on paid plans.' });
    const b = req.body as { event_type?: unknown; start_time?: unknown; invitee?: Record<string, unknown> } | null;
    const i = b?.invitee;
    if (!isOurs(b?.event_type)) return invalid(res, 'event_type', 'is invalid');
    const at = typeof b?.start_time === 'string' ? parseInstant(b.start_time) : undefined;
    if (!at) return invalid(res, 'start_time', 'is required and must be a date-time');
    if (!i || typeof i.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(i.email)) return invalid(res, 'invitee.email', 'is invalid');
    if (typeof i.timezone !== 'string') return invalid(res, 'invitee.timezone', 'is required');
    if (typeof i.name !== 'string' && typeof i.first_name !== 'string') return invalid(res, 'invitee.name', 'is required when first_name is not given');
    // Documented: an SMS number must be a valid phone number in international form (+14155551234).
    if (i.text_reminder_number !== undefined && (typeof i.text_reminder_number !== 'string' || !/^\+[1-9]\d{6,14}$/.test(i.text_reminder_number.replace(/[\s-]/g, '')))) return invalid(res, 'invitee.text_reminder_number', 'is invalid');
    const qa = (b as { questions_and_answers?: unknown }).questions_and_answers ?? [];
    if (!Array.isArray(qa)) return invalid(res, 'questions_and_answers', 'must be an array');
    for (const [k, x] of qa.entries()) {
      const e = x as { question?: unknown; answer?: unknown; position?: unknown } | null;
      if (typeof e?.question !== 'string' || typeof e.answer !== 'string' || typeof e.position !== 'number') return invalid(res, `questions_and_answers[${k}]`, 'needs question, answer and position');
      const at = (o.questions ?? []).indexOf(e.question);
      if (at < 0) return invalid(res, `questions_and_answers[${k}].question`, 'is not a question of this event type');
      if (at !== e.position) return invalid(res, `questions_and_answers[${k}].position`, `must be ${at} for this question`);
    }
    const answers = (qa as { question: string; answer: string; position: number }[]).map(({ question, answer, position }) => ({ question, answer, position }));
    const start = instant(at.toString());
    if (!open.has(start) || taken.has(start)) return invalid(res, 'start_time', 'The selected time is no longer available.');
    taken.add(start);
    const event = `${API}/scheduled_events/${randomUUID()}`;
    const uri = `${event}/invitees/${randomUUID()}`;
    const name = typeof i.name === 'string' ? i.name : `${String(i.first_name)} ${String(i.last_name ?? '')}`.trim();
    const sms = typeof i.text_reminder_number === 'string' ? i.text_reminder_number : null;
    invitees.push({ uri, event, startTime: start, name, email: i.email, timezone: i.timezone, textReminderNumber: sms, questionsAndAnswers: answers });
    const stamp = new Date().toISOString();
    send(res, 201, {
      resource: {
        uri,
        email: i.email,
        first_name: typeof i.first_name === 'string' ? i.first_name : null,
        last_name: typeof i.last_name === 'string' ? i.last_name : null,
        name,
        status: 'active',
        questions_and_answers: answers,
        timezone: i.timezone,
        event,
        created_at: stamp,
        updated_at: stamp,
        tracking: { utm_campaign: null, utm_source: null, utm_medium: null, utm_content: null, utm_term: null, salesforce_uuid: null },
        text_reminder_number: sms,
        rescheduled: false,
        old_invitee: null,
        new_invitee: null,
        cancel_url: `https://calendly.com/cancellations/${uri.split('/').pop()}`,
        reschedule_url: `https://calendly.com/reschedulings/${uri.split('/').pop()}`,
        routing_form_submission: null,
        payment: null,
        no_show: null,
        reconfirmation: null,
        scheduling_method: 'instant_book',
        invitee_scheduled_by: null,
      },
    });
  }

  function createSchedulingLink(req: FakeCalendlyRequest, res: ServerResponse): void {
    const b = req.body as { max_event_count?: unknown; owner?: unknown; owner_type?: unknown } | null;
    if (b?.max_event_count !== 1) return invalid(res, 'max_event_count', 'must be 1');
    if (b.owner_type !== 'EventType') return invalid(res, 'owner_type', 'must be EventType');
    if (!isOurs(b.owner)) return send(res, 404, { title: 'Resource Not Found', message: 'The server could not find the requested resource.' });
    const url = `https://calendly.com/d/${randomUUID().slice(0, 4)}-${randomUUID().slice(0, 3)}/intro-call`;
    schedulingLinks.push(url);
    send(res, 201, { resource: { booking_url: url, owner: b.owner, owner_type: 'EventType' } });
  }

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(raw.url ?? '/', 'http://fake');
    const req: FakeCalendlyRequest = { method: raw.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: raw.headers, body: await readJson(raw) };
    requests.push(req);
    if (raw.headers.authorization !== `Bearer ${o.token}`) return send(res, 401, { title: 'Unauthenticated', message: 'The access token is invalid' });
    if (req.method === 'GET' && req.path === `/event_types/${uuid}`) return getEventType(res);
    if (req.method === 'GET' && req.path === '/event_type_available_times') return availableTimes(req, res);
    if (req.method === 'POST' && req.path === '/invitees') return createInvitee(req, res);
    if (req.method === 'POST' && req.path === '/scheduling_links') return createSchedulingLink(req, res);
    send(res, 404, { title: 'Resource Not Found', message: 'The server could not find the requested resource.' });
  }

  const server = createServer((raw, res) => {
    handle(raw, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      send(res, 500, { title: 'Internal Server Error', message: String(e) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    eventType,
    requests,
    invitees,
    schedulingLinks,
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
