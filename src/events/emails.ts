import { collectSpec } from '../agent/collect.ts';
import { isJoinLink, meetingLocation } from '../agent/meeting.ts';
import type { AgentFileData } from '../agent/schema.ts';
import type { EmailMessageKind } from '../store/outbox.ts';
import { cancelLink } from './booking-links.ts';
import { dateLocale, emailWords, fill, type EmailWords } from './email-words.ts';
import { ownerAddress } from './destinations.ts';
import { invitationIcs, type InvitationBooking } from './invitation.ts';
import { safeAddress } from './mail-config.ts';

// What each email says. The caller gets the invitation (and later its cancellation) with an
// iCalendar part calendar apps act on; the owner gets a short notice of each booking and,
// when asked, each lead. Anything the caller said is text in the body, never a header: names
// lose their line breaks and control characters before they reach a subject or display name.
// Everything is written in the agent's language (persona.language; ./email-words.ts).

/** A booking event's data: booking.created (from book_call) or booking.cancelled (from the cancel page). */
export interface BookingData {
  booking: { id: string; start: string; end: string; timeZone: string; attendee: { name: string; email: string; timeZone?: string; company?: string; phone?: string; fields?: { field: string; value: string }[] }; notes?: string | null };
  /** The booking's SEQUENCE after the change (0 when booked). */
  sequence?: number;
}

/** A composed email, or why it cannot be. */
export type Composed = { subject: string; text: string; icalEvent?: { method: string; filename: string; content: string } } | { error: string };

/** One line of plain text from something a caller said: no line breaks or control characters, at most `max` characters. */
export function oneLine(text: string | undefined, max = 120): string {
  return (text ?? '').replace(/[\x00-\x1f\x7f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** When a booking is, for people: "Tuesday 1 December 2026, 15:00 (Europe/Warsaw)", or "wtorek, 1 grudnia 2026 15:00 (Europe/Warsaw)" for pl-PL. */
export function whenText(instant: string, timeZone: string, language?: string): string {
  const f = new Intl.DateTimeFormat(dateLocale(language), { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return `${f.format(new Date(instant))} (${timeZone})`;
}

export function bookingEmail(kind: Exclude<EmailMessageKind, 'owner-lead'>, data: BookingData, o: { config: AgentFileData; agent: string; env: NodeJS.ProcessEnv; from: string; now: Date }): Composed {
  const b = data?.booking;
  if (!b?.id || !b.start || !b.end) return { error: 'the event carries no booking' };
  const language = o.config.persona.language;
  const w = emailWords(language);
  const caller = { name: oneLine(b.attendee?.name) || w.callerName, email: safeAddress(b.attendee?.email) };
  if (!caller.email) return { error: 'refused: the caller\'s address is not a plain email address' };
  const business = oneLine(o.config.description ?? o.agent, 80);
  const owner = safeAddress(ownerAddress(o.config, o.env)) ?? safeAddress(/<([^>]+)>/.exec(o.from)?.[1] ?? o.from);
  if (!owner) return { error: 'no organizer address: set calendar.ownerEmail (or a plain PARLEY_MAIL_FROM)' };
  const cancelled = data.sequence !== undefined && data.sequence > 0;
  const link = cancelled ? undefined : cancelLink(o.env, b.id);
  const callerZone = b.attendee?.timeZone || b.timeZone;
  const company = oneLine(b.attendee?.company, 80);
  const location = meetingLocation(o.config.calendar, o.env);
  const where = location ? fill(isJoinLink(location) ? w.join : w.where, { location }) : '';
  const invitation: InvitationBooking = {
    id: b.id,
    start: b.start,
    end: b.end,
    summary: kind === 'owner-booking' ? fill(w.ownerSummary, { caller: caller.name }) + (company ? ` (${company})` : '') : fill(w.callerSummary, { business }),
    description: [
      kind === 'owner-booking' ? `${caller.name} <${caller.email}>${company ? `, ${company}` : ''}` : fill(w.callerDescription, { business }),
      where,
      b.notes ? oneLine(b.notes, 500) : '',
      link ? fill(w.toCancel, { link }) : '',
    ].filter(Boolean).join('\n'),
    organizer: { name: business, email: owner },
    attendee: { name: caller.name, email: caller.email },
    sequence: data.sequence ?? 0,
    url: link,
    ...(location ? { location } : {}),
  };
  const method = cancelled ? 'CANCEL' : 'REQUEST';
  const icalEvent = { method, filename: cancelled ? 'cancel.ics' : 'invite.ics', content: invitationIcs(invitation, method, o.now) };
  if (kind === 'owner-booking') {
    const said = { caller: caller.name, when: whenText(b.start, b.timeZone, language) };
    // The name is in the first line; every other collected field follows, labelled as in the lead e-mail.
    const given = Object.fromEntries((b.attendee?.fields ?? []).filter((f) => f?.field && f.field !== 'name' && f.value).map((f) => [f.field, f.value]));
    // A booking from before attendee.fields (or a provider without them) still shows its address, company and phone; a value already listed is not repeated.
    const known = new Set(Object.values(given));
    const attendee = Object.entries({ email: caller.email, company, phone: oneLine(b.attendee?.phone, 40) }).filter(([k, v]) => v && !known.has(v) && !(k in given));
    const fields: Record<string, string> = { ...Object.fromEntries(attendee), ...given };
    return {
      subject: fill(cancelled ? w.ownerCancelledSubject : w.ownerBookedSubject, said),
      text: [
        fill(cancelled ? w.ownerCancelled : w.ownerBooked, said),
        ...leadLines(fields, o.config, w),
        where,
        b.notes ? `${w.notes}: ${oneLine(b.notes, 2000)}` : '',
      ].filter(Boolean).join('\n'),
      icalEvent,
    };
  }
  const said = { business, caller: caller.name, when: whenText(b.start, callerZone, language), link: link ?? '' };
  return cancelled
    ? { subject: fill(w.callerCancelledSubject, said), text: `${fill(w.callerCancelled, said)}\n`, icalEvent }
    : {
        subject: fill(w.callerBookedSubject, said),
        text: [fill(w.hello, said), '', fill(w.callerBooked, said), where, link ? `\n${fill(w.cancelHere, said)}` : '', ''].join('\n'),
        icalEvent,
      };
}

/** The owner's label of a lead field: a built-in type in the agent's language, else the description the owner wrote, else the field's name. */
export function leadFieldLabel(field: string, config: AgentFileData, w: EmailWords): string {
  const entry = (config.collect ?? []).find((e) => (typeof e === 'string' ? e : e.field) === field);
  const type = entry === undefined ? (field in BUILT_IN ? field : undefined) : collectSpec(entry, config.timeZone).type;
  const builtIn = type !== undefined && type in BUILT_IN ? w[BUILT_IN[type as keyof typeof BUILT_IN]] : undefined;
  const described = typeof entry === 'object' ? oneLine(entry.description, 60) : '';
  return builtIn ?? (described || oneLine(field, 40));
}
const BUILT_IN = { name: 'name', email: 'email', phone: 'phone', company: 'company' } as const;

export function leadEmail(data: { lead?: Record<string, string> }, config: AgentFileData, agent: string): Composed {
  const lead = data?.lead ?? {};
  const w = emailWords(config.persona.language);
  const name = oneLine(lead.name) || w.someone;
  return {
    subject: fill(w.newLeadSubject, { business: oneLine(config.description ?? agent, 80), name }),
    text: leadLines(lead, config, w).join('\n') + '\n',
  };
}

/** One `Label: value` line per field, in the order given: the lead e-mail's body, and the owner's booking notice's fields. */
export function leadLines(fields: Record<string, string>, config: AgentFileData, w: EmailWords): string[] {
  return Object.entries(fields).map(([k, v]) => `${leadFieldLabel(k, config, w)}: ${oneLine(v, 2000)}`);
}
