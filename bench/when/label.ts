import { Temporal } from 'temporal-polyfill';

// How an expected answer is written and turned into UTC, without the resolver: each phrase of the
// set says, in wall-clock terms on the clock it is read on, what the caller meant ("tomorrow at
// 15:00", "Monday 00:00 to Wednesday 00:00", "ask"). Here that is converted with Temporal alone.

/** The wall clock where a phrase is read, as the labels see it. */
export interface Ctx {
  now: Temporal.PlainDateTime;
  today: Temporal.PlainDate;
}

/** What a phrase means, on its clock. */
export type Expected =
  | { kind: 'exact'; at: Temporal.PlainDateTime }
  | { kind: 'span'; from: Temporal.PlainDateTime; to: Temporal.PlainDateTime }
  | { kind: 'in'; minutes: number }
  | { kind: 'ask' };

/** Which clock a phrase is read on, given the caller's zone (if known) and the business's. 'ask' when it cannot be told. */
export type ClockRule = (callerZone: string | undefined, business: string) => string | 'ask';

/** One phrase of the set with its label. */
export interface Labelled {
  phrase: string;
  /** The template it came from, for reports. */
  template: string;
  clock: ClockRule;
  expect(c: Ctx): Expected;
}

/** The expected window in UTC, or that the caller must be asked. */
export type Window = { ask: true } | { ask?: false; from: Temporal.Instant; to: Temporal.Instant; exact?: Temporal.Instant; zone: string };

/** The expected window of a labelled phrase said at `now`. */
export function expectedWindow(l: Labelled, o: { now: Temporal.Instant; business: string; callerZone?: string }): Window {
  const zone = l.clock(o.callerZone, o.business);
  if (zone === 'ask') return { ask: true };
  const now = o.now.toZonedDateTimeISO(zone);
  const e = l.expect({ now: now.toPlainDateTime(), today: now.toPlainDate() });
  const at = (p: Temporal.PlainDateTime): Temporal.ZonedDateTime => p.toZonedDateTime(zone, { disambiguation: 'compatible' });
  const nextDay = (z: Temporal.ZonedDateTime): Temporal.Instant => z.toPlainDate().add({ days: 1 }).toZonedDateTime({ timeZone: zone }).toInstant();
  switch (e.kind) {
    case 'ask':
      return { ask: true };
    case 'in': {
      const exact = now.add({ minutes: e.minutes });
      return { from: exact.toInstant(), to: nextDay(exact), exact: exact.toInstant(), zone };
    }
    case 'exact': {
      const exact = at(e.at);
      if (Temporal.ZonedDateTime.compare(exact, now) <= 0) return { ask: true };
      return { from: exact.toInstant(), to: nextDay(exact), exact: exact.toInstant(), zone };
    }
    case 'span': {
      const [from, to] = [at(e.from), at(e.to)];
      if (Temporal.ZonedDateTime.compare(to, now) <= 0) return { ask: true };
      return { from: Temporal.ZonedDateTime.compare(from, now) < 0 ? o.now : from.toInstant(), to: to.toInstant(), zone };
    }
  }
}

// Helpers the labels are written with.

/** A wall-clock time on a date; hour 24 is the next day's midnight. */
export const dt = (d: Temporal.PlainDate, h: number, m = 0): Temporal.PlainDateTime => (h === 24 ? d.add({ days: 1 }).toPlainDateTime() : d.toPlainDateTime({ hour: h, minute: m }));
export const exact = (d: Temporal.PlainDate, h: number, m = 0): Expected => ({ kind: 'exact', at: dt(d, h, m) });
export const span = (d: Temporal.PlainDate, fromH: number, toH: number, d2 = d): Expected => ({ kind: 'span', from: dt(d, fromH), to: dt(d2, toH) });
export const wholeDays = (from: Temporal.PlainDate, days = 1): Expected => ({ kind: 'span', from: dt(from, 0), to: dt(from.add({ days }), 0) });
export const ASK: Expected = { kind: 'ask' };
/** The coming date with weekday `wd` (1 = Monday), today included. */
export const comingDow = (today: Temporal.PlainDate, wd: number): Temporal.PlainDate => today.add({ days: (wd - today.dayOfWeek + 7) % 7 });
/** A bare weekday: the coming one, or a week later when today's has no time left for `end`. */
export function bareWeekday(c: Ctx, wd: number, end: (d: Temporal.PlainDate) => Temporal.PlainDateTime): Temporal.PlainDate {
  const d = comingDow(c.today, wd);
  return d.equals(c.today) && Temporal.PlainDateTime.compare(end(d), c.now) <= 0 ? d.add({ days: 7 }) : d;
}
/** The Monday of the week `today` is in. */
export const mondayOf = (today: Temporal.PlainDate): Temporal.PlainDate => today.subtract({ days: today.dayOfWeek - 1 });
/** A bare hour in business hours: 1–7 are PM, 8–11 AM, 12 noon. */
export const businessHour = (h: number): number => (h >= 1 && h <= 7 ? h + 12 : h);
/** The next occurrence of a month and day (today included), or undefined when it is not on the calendar. */
export function nextDate(today: Temporal.PlainDate, month: number, day: number): Temporal.PlainDate | undefined {
  for (const year of [today.year, today.year + 1]) {
    try {
      const d = Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' });
      if (Temporal.PlainDate.compare(d, today) >= 0) return d;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Clock rules. */
export const CALLER: ClockRule = (caller, business) => caller ?? business;
export const BUSINESS: ClockRule = (_caller, business) => business;
export const MINE: ClockRule = (caller) => caller ?? 'ask';
export const named =
  (zone: string): ClockRule =>
  () =>
    zone;
/** The caller says they are in `zone`: a different known caller zone is a question. */
export const callerSays =
  (zone: string): ClockRule =>
  (caller) =>
    !caller || caller === zone ? zone : 'ask';
