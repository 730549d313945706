import { resolveSecrets } from '../agent/secrets.ts';
import type { AgentFileData } from '../agent/schema.ts';
import type { Destination, EmailMessageKind, OutboxEvent } from '../store/outbox.ts';
import { EVENT_TYPES, type EventType } from '../util/event-types.ts';
import { schedulingLinkOf } from './link-email.ts';
import { mailConfigured } from './mail-config.ts';

// Where each event goes, worked out once when it is fanned out: the agent's webhooks that take
// its type, the server's own webhook (PARLEY_EVENTS_URL), and — when email is configured — the
// built-in calendar's invitations and the owner's notices. URLs and secrets stay `${NAME}`
// references here; they are resolved at each attempt, so no secret value is ever stored.

/** The server-wide receiver, from the environment: every agent's events (PARLEY_EVENTS_TYPES narrows them). */
export function serverWebhook(env: NodeJS.ProcessEnv): Destination | undefined {
  if (!env.PARLEY_EVENTS_URL) return undefined;
  return { key: 'webhook:PARLEY_EVENTS_URL', target: { kind: 'webhook', url: '${PARLEY_EVENTS_URL}', secret: '${PARLEY_EVENTS_SECRET}', allowPrivate: env.PARLEY_EVENTS_ALLOW_PRIVATE === '1' || env.PARLEY_EVENTS_ALLOW_PRIVATE === 'true' } };
}

/** Event types PARLEY_EVENTS_TYPES lists (comma-separated), all when unset; throws on an unknown one. */
export function serverEventTypes(env: NodeJS.ProcessEnv): EventType[] {
  const list = env.PARLEY_EVENTS_TYPES?.split(',').map((t) => t.trim()).filter(Boolean);
  if (!list?.length) return [...EVENT_TYPES];
  const unknown = list.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) throw new Error(`PARLEY_EVENTS_TYPES: unknown event ${unknown.join(', ')}; the events are ${EVENT_TYPES.join(', ')}`);
  return list as EventType[];
}

/** The owner's address for notices: events.email.to, else the built-in calendar's ownerEmail; a `${NAME}` is read from `env` (unset: none). */
export function ownerAddress(config: AgentFileData, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const written = config.events.email.to ?? (config.calendar?.provider === 'builtin' ? config.calendar.ownerEmail : undefined);
  if (!written) return undefined;
  try {
    return resolveSecrets(written, 'the owner\'s address', env);
  } catch {
    return undefined; // unset: parley check names the variable; mail goes without the owner
  }
}

/**
 * The destinations of one event. `config` is the agent's file as loaded now (undefined when the
 * agent is gone: only the server's webhook then); `mail` says whether email is configured (mailConfigured).
 */
export function destinationsOf(event: OutboxEvent, o: { config: AgentFileData | undefined; env: NodeJS.ProcessEnv; mail: boolean }): Destination[] {
  const out: Destination[] = [];
  const server = serverWebhook(o.env);
  if (server && serverEventTypes(o.env).includes(event.type)) out.push(server);
  const config = o.config;
  if (!config) return out;
  for (const w of config.events.webhooks) {
    if (w.events && !w.events.includes(event.type)) continue;
    out.push({ key: `webhook:${w.url}`, target: { kind: 'webhook', url: w.url, ...(w.secret ? { secret: w.secret } : {}), allowPrivate: config.events.allowPrivateUrls } });
  }
  if (o.mail) out.push(...emails(event, config, o.env));
  return out;
}

function emails(event: OutboxEvent, config: AgentFileData, env: NodeJS.ProcessEnv): Destination[] {
  const owner = ownerAddress(config, env);
  const email = (message: EmailMessageKind, to: string | undefined): Destination[] => (to ? [{ key: `email:${message}`, target: { kind: 'email', message, to: [to] } }] : []);
  const booking = (event.data as { booking?: { provider?: string; attendee?: { email?: string } } } | null)?.booking;
  // Only the built-in calendar's bookings get Parley's invitations: cal.com and Calendly send their own.
  const builtin = booking?.provider === 'builtin' && config.calendar?.provider === 'builtin';
  switch (event.type) {
    case 'booking.created':
      // A calendar that gave a scheduling link instead of a booking (Calendly without a paid plan): the caller gets the link.
      if (schedulingLinkOf(event.data)) return email('booking-link', booking?.attendee?.email);
      return [...(builtin ? email('invitation', booking?.attendee?.email) : []), ...(config.events.email.bookings ? email('owner-booking', owner) : [])];
    case 'booking.cancelled':
      return [...(builtin ? email('cancellation', booking?.attendee?.email) : []), ...(config.events.email.bookings ? email('owner-booking', owner) : [])];
    case 'conversation.ended': {
      // One lead e-mail per caller, once the call is over and holds everything collected (not one
      // per save_lead); none when the booking notice, which lists the same fields, already went.
      const ended = event.data as { lead?: Record<string, string> | null; bookings?: { status?: string }[] } | null;
      const collected = Object.keys(ended?.lead ?? {}).length > 0;
      // A scheduling link is not a booking: no booking notice went out for it.
      const booked = (ended?.bookings ?? []).some((b) => b?.status !== 'link');
      const noticed = booked && config.events.email.bookings;
      return config.events.email.leads && collected && !noticed ? email('owner-lead', owner) : [];
    }
    default:
      return [];
  }
}

/** Whether a calendar's scheduling link is emailed to the caller (email configured): book_call's note says so only then. */
export function sendsBookingLinks(env: NodeJS.ProcessEnv): boolean {
  return mailConfigured(env);
}

/** Whether a booking by this agent will get an invitation by email: the book_call note promises one only then. */
export function sendsInvitations(config: AgentFileData, env: NodeJS.ProcessEnv): boolean {
  return mailConfigured(env) && config.calendar?.provider === 'builtin';
}
