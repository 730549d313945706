import { Temporal } from 'temporal-polyfill';
import type { WhenError } from './phrase.ts';

// Instants as the booking tools store and compare them: UTC on the wire, the zone kept beside it.

/** Whether `instant` is before `now`. */
export function isPast(instant: Temporal.Instant | string, now: Temporal.Instant): boolean {
  return Temporal.Instant.compare(typeof instant === 'string' ? Temporal.Instant.from(instant) : instant, now) < 0;
}

/** An error when `instant` is not in the future, for tools that receive a time to book. */
export function refusePast(instant: Temporal.Instant | string, now: Temporal.Instant): WhenError | undefined {
  const at = typeof instant === 'string' ? Temporal.Instant.from(instant) : instant;
  return Temporal.Instant.compare(at, now) <= 0 ? { error: 'that time has already passed' } : undefined;
}

/** "2026-12-01T14:00:00Z": the instant as stored and sent to calendars. */
export function toUtc(time: Temporal.ZonedDateTime | Temporal.Instant): string {
  return (time instanceof Temporal.ZonedDateTime ? time.toInstant() : time).toString();
}

/** A stored UTC instant seen in a zone. */
export function fromUtc(utc: string, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.from(utc).toZonedDateTimeISO(timeZone);
}

/** How a time is stored: the UTC instant, the zone it was meant in, and the wall clock there. */
export interface StoredTime {
  utc: string;
  timeZone: string;
  /** "2026-12-01T15:00:00+01:00[Europe/Warsaw]", for people reading records. */
  local: string;
}

/** The stored form of a zoned time: UTC plus zone. */
export function toStored(zdt: Temporal.ZonedDateTime): StoredTime {
  return { utc: toUtc(zdt), timeZone: zdt.timeZoneId, local: zdt.toString() };
}
