import { Temporal } from 'temporal-polyfill';

// Calendar days in a time zone as UTC instant ranges: what the owner's charts bucket by. A day is
// midnight to midnight in the zone, so a daylight-saving day is 23 or 25 hours long.

/** One local day: its date, and its start (inclusive) and end (exclusive) as ISO instants. */
export interface ZonedDay {
  day: string;
  start: string;
  end: string;
}

/** The most days one range may cover. */
export const MAX_DAYS = 366;

/** Every day from `from` to `to` (both `YYYY-MM-DD`, inclusive) in `zone`; throws RangeError on a bad range. */
export function zonedDays(from: string, to: string, zone: string): ZonedDay[] {
  let first: Temporal.PlainDate;
  let last: Temporal.PlainDate;
  try {
    first = Temporal.PlainDate.from(from);
    last = Temporal.PlainDate.from(to);
  } catch {
    throw new RangeError('from and to must be dates, YYYY-MM-DD');
  }
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
  } catch {
    throw new RangeError(`tz must be an IANA time zone, e.g. Europe/Warsaw (got ${zone})`);
  }
  const n = first.until(last, { largestUnit: 'days' }).days + 1;
  if (n < 1) throw new RangeError('to must not be before from');
  if (n > MAX_DAYS) throw new RangeError(`at most ${MAX_DAYS} days at once`);
  const midnight = (d: Temporal.PlainDate) => new Date(d.toZonedDateTime({ timeZone: zone }).epochMilliseconds).toISOString();
  const days: ZonedDay[] = [];
  for (let i = 0, d = first; i < n; i++, d = d.add({ days: 1 })) days.push({ day: d.toString(), start: midnight(d), end: midnight(d.add({ days: 1 })) });
  return days;
}

/** Today's date in `zone`, `YYYY-MM-DD`. */
export function todayIn(zone: string, nowMs = Date.now()): string {
  return Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/** The date `days` before `date`. */
export function daysBefore(date: string, days: number): string {
  return Temporal.PlainDate.from(date).subtract({ days }).toString();
}
