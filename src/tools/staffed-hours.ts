import { Temporal } from 'temporal-polyfill';
import type { WeeklyHoursConfig } from '../agent/schema.ts';

// Whether a destination is staffed now, from weekly hours in the business's zone (the calendar's
// format: mon: ['09:00-17:00']). A range that ends before it starts runs past midnight.

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** True when `at` falls inside one of the day's ranges, read on the wall clock of `zone`. */
export function staffedAt(hours: WeeklyHoursConfig, zone: string, at: Temporal.Instant): boolean {
  const local = at.toZonedDateTimeISO(zone);
  const minute = local.hour * 60 + local.minute;
  const day = DAYS[local.dayOfWeek - 1]!;
  const yesterday = DAYS[(local.dayOfWeek + 5) % 7]!;
  for (const [from, to] of (hours[day] ?? []).map(range)) if (from < to ? minute >= from && minute < to : minute >= from) return true;
  // Yesterday's overnight range still open this morning.
  for (const [from, to] of (hours[yesterday] ?? []).map(range)) if (from >= to && minute < to) return true;
  return false;
}

/** The hours as one line for the model: "mon 09:00-17:00, tue 09:00-17:00". */
export function describeHours(hours: WeeklyHoursConfig): string {
  const parts = DAYS.filter((d) => hours[d]?.length).map((d) => `${d} ${hours[d]!.join(' and ')}`);
  return parts.length ? parts.join(', ') : 'never';
}

/** When the next staffed range opens after `at`, as local "weekday HH:MM", within a week; null if never. */
export function nextOpening(hours: WeeklyHoursConfig, zone: string, at: Temporal.Instant): string | null {
  const start = at.toZonedDateTimeISO(zone);
  for (let d = 0; d <= 7; d++) {
    const date = start.toPlainDate().add({ days: d });
    const day = DAYS[date.dayOfWeek - 1]!;
    const opens = (hours[day] ?? []).map((r) => r.split('-')[0]!).sort();
    for (const o of opens) {
      const when = date.toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from(o) });
      if (Temporal.Instant.compare(when.toInstant(), at) > 0) return `${when.toLocaleString('en-US', { weekday: 'long' })} ${o}`;
    }
  }
  return null;
}

function range(r: string): [number, number] {
  const [a, b] = r.split('-').map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  return [a!, b!];
}
