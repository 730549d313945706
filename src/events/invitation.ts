import { foldLine, icsText, icsUtc, locationLines, paramValue } from '../tools/calendar/ics.ts';

// The iCalendar (RFC 5546 iTIP) part of a booking email: METHOD:REQUEST invites the caller,
// METHOD:CANCEL with the same UID and a higher SEQUENCE takes the event out of their calendar.
// Times are UTC instants (…Z), so no VTIMEZONE is needed and every calendar app shows them in
// its own zone. The UID is the one the .ics feed uses, so the owner's subscription and the
// caller's invitation are the same event.

/** A booking as the invitation describes it. */
export interface InvitationBooking {
  id: string;
  start: string;
  end: string;
  summary: string;
  description: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  /** 0 for the invitation; the cancellation carries the booking's raised sequence. */
  sequence: number;
  /** A page where the caller can cancel, when links are signed (PARLEY_LINK_SECRET). */
  url?: string;
  /** Where the meeting happens (calendar.location): an address or a link to join. */
  location?: string;
}

/** The UID of a built-in booking, the same in invitations and in the feed. */
export function bookingUid(id: string): string {
  return `${id}@parley`;
}

/** A VCALENDAR with one VEVENT: the invitation (`REQUEST`) or its cancellation (`CANCEL`). */
export function invitationIcs(b: InvitationBooking, method: 'REQUEST' | 'CANCEL', stamp: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Parley//Bookings//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${icsText(bookingUid(b.id))}`,
    `SEQUENCE:${b.sequence}`,
    `DTSTAMP:${icsUtc(stamp.toISOString())}`,
    `DTSTART:${icsUtc(b.start)}`,
    `DTEND:${icsUtc(b.end)}`,
    `SUMMARY:${icsText(b.summary)}`,
    `DESCRIPTION:${icsText(b.description)}`,
    `ORGANIZER;CN=${paramValue(b.organizer.name)}:mailto:${b.organizer.email}`,
    `ATTENDEE;CN=${paramValue(b.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${method === 'REQUEST' ? 'NEEDS-ACTION' : 'DECLINED'};RSVP=FALSE:mailto:${b.attendee.email}`,
    ...(b.location ? locationLines(b.location) : []),
    ...(b.url ? [`URL:${b.url}`] : []),
    `STATUS:${method === 'REQUEST' ? 'CONFIRMED' : 'CANCELLED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
