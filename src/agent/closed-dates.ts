import { Temporal } from 'temporal-polyfill';

// The built-in calendar's closedDates: a day (2026-12-24), a day every year (12-24), or a range of
// either (2026-12-24..2026-12-31, 12-24..01-01 — a yearly range may run over New Year).

type Day = { year?: number; month: number; day: number };
/** One closedDates entry, read. */
export type ClosedSpan = { from: Day; to: Day };

const DAY = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/;

function readDay(text: string): Day | string {
  const m = DAY.exec(text.trim());
  if (!m) return `"${text}" is not YYYY-MM-DD (one day) or MM-DD (that day every year)`;
  const day: Day = { ...(m[1] ? { year: +m[1] } : {}), month: +m[2], day: +m[3] };
  try {
    // A yearly day is checked in a leap year, so 02-29 is allowed (closed when it exists).
    Temporal.PlainDate.from({ year: day.year ?? 2028, month: day.month, day: day.day }, { overflow: 'reject' });
  } catch {
    return `"${text}" is not a date that exists`;
  }
  return day;
}

/** Reads one entry, or says what is wrong with it. */
export function readClosedDates(entry: string): ClosedSpan | string {
  const [a, b, ...rest] = entry.split('..');
  if (rest.length) return `"${entry}" has more than one ".."`;
  const from = readDay(a);
  if (typeof from === 'string') return from;
  const to = b === undefined ? from : readDay(b);
  if (typeof to === 'string') return to;
  if ((from.year === undefined) !== (to.year === undefined)) return `"${entry}": both ends need a year, or neither (MM-DD..MM-DD for every year)`;
  if (from.year !== undefined && Temporal.PlainDate.compare(Temporal.PlainDate.from(from as Required<Day>), Temporal.PlainDate.from(to as Required<Day>)) > 0) return `"${entry}" ends before it starts`;
  return { from, to };
}

/** Whether `date` falls in one of the entries (each valid: the schema checked them). */
export function isClosed(entries: readonly string[], date: Temporal.PlainDate): boolean {
  const md = date.month * 100 + date.day;
  return entries.some((entry) => {
    const span = readClosedDates(entry);
    if (typeof span === 'string') return false;
    if (span.from.year !== undefined) {
      return Temporal.PlainDate.compare(date, Temporal.PlainDate.from(span.from as Required<Day>)) >= 0 && Temporal.PlainDate.compare(date, Temporal.PlainDate.from(span.to as Required<Day>)) <= 0;
    }
    const [a, b] = [span.from.month * 100 + span.from.day, span.to.month * 100 + span.to.day];
    // 12-24..01-01 wraps: closed from 24 December to the end of the year and from New Year's Day.
    return a <= b ? md >= a && md <= b : md >= a || md <= b;
  });
}
