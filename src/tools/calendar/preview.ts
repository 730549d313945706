import { getExampleNumber, type CountryCode } from 'libphonenumber-js';
import mobileExamples from 'libphonenumber-js/examples.mobile.json';
import { Temporal } from 'temporal-polyfill';
import type { Agent } from '../../agent/load.ts';
import type { CollectSpec } from '../../agent/collect.ts';
import { Calendar, type CalendarConfig } from '../../agent/schema.ts';
import { bookingAttendee } from '../collect/attendee.ts';
import { checkValue } from '../collect/values.ts';
import { CalcomCalendar } from './calcom.ts';
import { CalendlyCalendar } from './calendly.ts';
import type { Attendee, CollectedField, HttpExchange } from './types.ts';

// `parley calendar preview`: what each calendar provider, the built-in calendar's store and the
// webhooks would receive from a booking with the agent's `collect` fields, built by the real
// adapters against a stand-in that answers like the vendor, so nothing leaves the machine.

/** The providers a preview can show. */
export const PREVIEW_TARGETS = ['calcom', 'calendly', 'builtin', 'webhook'] as const;
export type PreviewTarget = (typeof PREVIEW_TARGETS)[number];

/** What one target would receive. */
export interface PreviewEntry {
  target: PreviewTarget;
  /** The booking request (cal.com, Calendly), the stored row (builtin), or the event payloads (webhook). */
  receives: unknown;
}

/** A value for each type, for fields the caller of preview gives none. */
function sampleValue(spec: CollectSpec, today: Temporal.PlainDate): string {
  switch (spec.type) {
    case 'name':
      return 'Ada Lovelace';
    case 'email':
      return 'ada@example.com';
    case 'phone':
      return samplePhone(spec.country);
    case 'company':
      return 'Analytical Engines Ltd';
    case 'choice':
      return spec.options?.[0] ?? 'option';
    case 'date':
      return today.add({ days: 7 }).toString();
    case 'number':
      return String(spec.min ?? 3);
    case 'money':
      return `${spec.min ?? 180} ${spec.currency}`;
    default:
      if (spec.pattern) return ['1234567890', '123456789', '12345678', '123456', 'AB123456'].find((s) => new RegExp(spec.pattern!, 'u').test(s)) ?? `sample ${spec.field.replace(/_/g, ' ')}`;
      return `sample ${spec.field.replace(/_/g, ' ')}`;
  }
}

/** A mobile number of the agent's country (the field's `country`, else the time zone's), so a US agent's preview shows a US number; +447911123456 without one. */
export function samplePhone(country: string | undefined): string {
  if (!country || country === 'GB') return '+447911123456';
  return getExampleNumber(country as CountryCode, mobileExamples)?.number ?? '+447911123456';
}

/** The exact requests and records a booking of the agent would produce, for `values` (field → what the caller said) and samples for the rest. */
export async function previewBooking(agent: Agent, o: { values?: Record<string, string>; targets?: PreviewTarget[]; now?: Date } = {}): Promise<{ entries: PreviewEntry[]; problems: string[] }> {
  const now = o.now ?? new Date();
  const zone = agent.config.timeZone;
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate();
  const problems: string[] = [];
  for (const field of Object.keys(o.values ?? {})) if (!agent.collect.some((c) => c.field === field) && field !== 'name' && field !== 'email') problems.push(`${field}: not a collect field of ${agent.name}`);

  const value = (spec: CollectSpec): string | undefined => {
    const checked = checkValue(spec, o.values?.[spec.field] ?? sampleValue(spec, today), { now, timeZone: zone });
    if ('error' in checked) problems.push(`${spec.field}: ${checked.error}`);
    return 'error' in checked ? undefined : checked.value;
  };
  const named = (field: 'name' | 'email') => agent.collect.find((c) => c.field === field) ?? ({ field, required: true, type: field, confirm: 'spell' } as CollectSpec);
  const name = value(named('name')) ?? 'Ada Lovelace';
  const email = value(named('email')) ?? 'ada@example.com';
  const fields: CollectedField[] = [];
  for (const spec of agent.collect) {
    if (spec.field === 'name' || spec.field === 'email') continue;
    const v = value(spec);
    if (v !== undefined) fields.push({ field: spec.field, type: spec.type, value: v, ...(spec.question ? { question: spec.question } : {}) });
  }
  const attendee = bookingAttendee({ name, email, timeZone: zone, fields });
  const notes = fields.find((f) => f.field === 'problem')?.value;
  const start = today.add({ days: 1 }).toZonedDateTime({ timeZone: zone, plainTime: '10:00' }).toInstant().toString();
  const booking = { start, attendee, ...(notes ? { notes } : {}), idempotencyKey: 'preview:booking:0' };

  const entries: PreviewEntry[] = [];
  for (const target of o.targets ?? PREVIEW_TARGETS) {
    if (target === 'calcom' || target === 'calendly') entries.push({ target, receives: await vendorRequest(agent, target, booking, now) });
    if (target === 'builtin') entries.push({ target, receives: { table: 'bookings', attendee, notes: notes ?? null } });
    if (target === 'webhook') {
      const lead = { name, email, ...Object.fromEntries(fields.map((f) => [f.field, f.value])) };
      entries.push({ target, receives: { 'lead.saved': { saved: lead, lead }, 'booking.created': { booking: { provider: agent.config.calendar?.provider ?? 'builtin', start, attendee, timeZone: zone } } } });
    }
  }
  return { entries, problems };
}

/** The booking request the real adapter sends, answered by a stand-in; the agent's own calendar block when it is that provider. */
async function vendorRequest(agent: Agent, provider: 'calcom' | 'calendly', booking: { start: string; attendee: Attendee; notes?: string; idempotencyKey: string }, now: Date): Promise<HttpExchange['request'] | undefined> {
  const own = agent.config.calendar?.provider === provider ? agent.config.calendar : undefined;
  const config = own ?? Calendar.parse(provider === 'calcom' ? { provider, eventTypeId: 1001 } : { provider, eventType: 'https://api.calendly.com/event_types/EVENTTYPE' });
  // The Calendly event type is assumed to have every question the collect fields name, in collect order.
  const questions = (booking.attendee.fields ?? []).flatMap((f) => (f.question ? [f.question] : []));
  const env = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? `preview-${key}` : undefined), has: () => true }) as NodeJS.ProcessEnv;
  const exchanges: HttpExchange[] = [];
  const call = { signal: new AbortController().signal, trace: (x: HttpExchange) => exchanges.push(x) };
  const standIn = (async (url: string | URL | Request) => {
    const path = new URL(String(url)).pathname;
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (path === '/v2/bookings') return json(201, { status: 'success', data: { uid: 'preview', start: booking.start, end: booking.start, status: 'accepted' } });
    if (path.startsWith('/event_types/')) return json(200, { resource: { duration: 30, custom_questions: questions.map((name, position) => ({ name, position, enabled: true })) } });
    if (path === '/invitees') return json(201, { resource: { uri: 'https://api.calendly.com/scheduled_events/preview/invitees/preview' } });
    return json(404, { message: 'not part of a booking' });
  }) as typeof fetch;
  const c = config as Extract<CalendarConfig, { provider: typeof provider }>;
  const calendar =
    provider === 'calcom'
      ? new CalcomCalendar({ config: c as Extract<CalendarConfig, { provider: 'calcom' }>, env, fetch: standIn, now: () => now, language: agent.config.persona.language })
      : new CalendlyCalendar({ config: c as Extract<CalendarConfig, { provider: 'calendly' }>, env, fetch: standIn, now: () => now });
  await calendar.book(booking, call);
  return exchanges.find((x) => x.request.method === 'POST')?.request;
}
