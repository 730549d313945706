import { Temporal } from 'temporal-polyfill';
import { isJoinLink } from '../../agent/meeting.ts';

// RFC 5545 iCalendar text: just enough to publish a feed of bookings that calendar apps subscribe to.
// Lines end in CRLF, are folded at 75 octets, and TEXT values are escaped (§3.1, §3.3.11).

/** One event of a feed; instants are ISO-8601 strings. */
export interface IcsEvent {
  uid: string;
  /** When this event was last changed. */
  stamp: string;
  start: string;
  end: string;
  summary: string;
  description?: string;
  /** Where it happens: LOCATION, and a video-call link also as CONFERENCE (RFC 7986). */
  location?: string;
  attendee?: { name: string; email: string };
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
}

/** A complete VCALENDAR holding the given events. */
export function icsCalendar(events: IcsEvent[], o: { name?: string } = {}): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Parley//Bookings//EN', 'CALSCALE:GREGORIAN'];
  if (o.name) lines.push(`X-WR-CALNAME:${icsText(o.name)}`);
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${icsText(e.uid)}`,
      `DTSTAMP:${icsUtc(e.stamp)}`,
      `DTSTART:${icsUtc(e.start)}`,
      `DTEND:${icsUtc(e.end)}`,
      `SUMMARY:${icsText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${icsText(e.description)}`);
    if (e.location) lines.push(...locationLines(e.location));
    if (e.attendee) lines.push(`ATTENDEE;CN=${paramValue(e.attendee.name)};ROLE=REQ-PARTICIPANT:mailto:${e.attendee.email}`);
    if (e.status) lines.push(`STATUS:${e.status}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** LOCATION, and for a link to join (https://…) also CONFERENCE (RFC 7986), which calendar apps show as a join button. */
export function locationLines(location: string): string[] {
  return [`LOCATION:${icsText(location)}`, ...(isJoinLink(location) ? [`CONFERENCE;VALUE=URI;FEATURE=VIDEO:${location}`] : [])];
}

/** An instant in iCalendar's UTC form, `20261201T090000Z`. */
export function icsUtc(instant: string): string {
  const t = Temporal.Instant.from(instant).toZonedDateTimeISO('UTC');
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(t.year, 4)}${p(t.month)}${p(t.day)}T${p(t.hour)}${p(t.minute)}${p(t.second)}Z`;
}

/** A TEXT value: backslash, semicolon, comma and newlines escaped. */
export function icsText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** A quoted parameter value; DQUOTE and control characters cannot appear in one, so they are dropped. */
export function paramValue(text: string): string {
  return `"${text.replace(/["\x00-\x08\x0a-\x1f\x7f]/g, '')}"`;
}

/** Splits a content line into chunks of at most 75 octets, continuation lines starting with a space. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    // Never split a UTF-8 sequence: count whole code points. A continuation line's leading space counts too.
    const size = encoder.encode(ch).length;
    if (octets + size > 75) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}
