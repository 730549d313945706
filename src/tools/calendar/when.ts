import { Temporal } from 'temporal-polyfill';
import { namesDay, namesTime, readSaid, type Clock, type DaySaid, type Said, type WhenError } from './phrase.ts';
import { CORRECTION, PARTS, WEEKDAYS, cap, normalize, partName, type Part } from './vocabulary.ts';
import { sayClock } from './say.ts';
import { whoseClock, type Whose } from './whose-clock.ts';
import { findTimeZone } from './zones.ts';
import { timeWordsInEnglish } from './languages.ts';

export { canonicalZone, zoneLabel } from './zones.ts';
export { sayTime } from './say.ts';
export { callerZoneFrom, type Whose } from './whose-clock.ts';
export { fromUtc, isPast, refusePast, toStored, toUtc, type StoredTime } from './instants.ts';
export type { WhenError } from './phrase.ts';

// What a caller says ("next Tuesday at 3", "tomorrow afternoon, my time") is turned into exact
// instants here, in code: a language model asked to do date arithmetic across time zones and
// daylight-saving changes gets it wrong often enough to book the wrong hour.
//
// Rules, chosen once and documented in docs/booking.md ("Whose clock", "The rules for what a caller says"):
// - Whose clock: the caller's when their zone is known, unless the words name another ("your
//   time", "Warsaw time", "Eastern"); without a caller zone, the business's (whose-clock.ts).
// - "Tuesday" = the next Tuesday; said on a Tuesday it means today while the asked-for time
//   (or, with no time, the 17:00 close of business) is still ahead, else a week later.
//   "this Tuesday" = the Tuesday of this week (a question once it has passed); "next Tuesday" =
//   the Tuesday of next week (weeks start on Monday); "a week from Tuesday" = seven days after
//   the coming one; "the other Tuesday" = whichever of the coming two was not discussed last.
// - A clock time without am/pm ("at 3") is read in business hours: 1–7 mean PM, 8–11 AM,
//   12 noon; a part of the day ("in the morning", "after lunch") decides instead when said.
// - Numeric dates are read only when unambiguous; "9/12" is a question.
// - A correction ("Tuesday, no, Wednesday", "no, make it 4") replaces what it names and keeps
//   the rest.

/** A time the caller asked for: the span to search and, when they named a clock time, that instant. */
export interface WhenRange {
  /** Start of the span to search (never earlier than now). */
  from: Temporal.ZonedDateTime;
  /** End of the span; for an exact time, the end of that day, so later times that day can be offered too. */
  to: Temporal.ZonedDateTime;
  /** The instant named ("at 3 PM"), when one was. */
  exact?: Temporal.ZonedDateTime;
  /** The zone the words were read in. */
  zone: string;
  /** Whose clock that is: the caller's, the business's, or one the words named. */
  whose: Whose;
  /** The caller's zone, when known (passed in or said in the words). */
  callerZone?: string;
  /** What was understood, unambiguous ("Tuesday 2026-12-01 15:00 Europe/Warsaw (UTC+01:00)"). */
  description: string;
  /** Set when a daylight-saving change moved the time (gap) or it happens twice (overlap). */
  dst?: { kind: 'gap' | 'overlap'; note: string };
}

/** What was settled earlier in the conversation, for corrections ("no, the other Tuesday"). */
export interface PreviousWhen {
  /** The single date last resolved, ISO. */
  date: string;
  zone: string;
}

/** Without a time, "Tuesday" said on a Tuesday still means today until close of business. */
const CLOSE_OF_BUSINESS = 17;
/** Longer than anyone says a time; longer input is refused rather than searched. */
const MAX_PHRASE = 300;

type Span = readonly [number, number];
type Window = Omit<WhenRange, 'zone' | 'whose' | 'callerZone'>;

/** Resolves a caller's phrase ("next Tuesday at 3", "tomorrow afternoon my time"; "w środę rano" with `language` pl) into a span of time, or says what to ask. */
export function resolveWhen(phrase: string, o: { now: Temporal.Instant; timeZone: string; callerZone?: string; previous?: PreviousWhen; language?: string }): WhenRange | WhenError {
  const said = phrase.trim();
  const fail = (error: string): WhenError => ({ error });
  if (said.length > MAX_PHRASE) return fail(`The words for when are too long to read (${said.length} characters). Ask the caller for a day and a time, for example "Tuesday at 3 PM".`);
  const clock = whoseClock(normalize(timeWordsInEnglish(phrase, o.language)), { timeZone: o.timeZone, callerZone: o.callerZone, said });
  if ('error' in clock) return clock;
  const { zone, whose, callerZone } = clock;
  const now = o.now.toZonedDateTimeISO(zone);
  const today = now.toPlainDate();
  const range = (w: Window): WhenRange => ({ ...w, zone, whose, ...(callerZone ? { callerZone } : {}) });

  // A correction replaces what it names: "Tuesday at 3, no, Wednesday" keeps the 3.
  const corrected = new RegExp(CORRECTION.source).test(clock.rest);
  let s: Said = { days: [], parts: [], clocks: [], tonight: false };
  for (const piece of clock.rest.split(CORRECTION)) {
    if (!piece.trim()) continue;
    const r = readSaid(piece, today, said);
    if ('error' in r) return r;
    s = overlay(s, r);
  }
  if (corrected && !namesDay(s) && !s.rel && namesTime(s) && o.previous?.zone === zone) s.days = [{ date: Temporal.PlainDate.from(o.previous.date), said: 'the day discussed' }];

  if (s.rel) {
    if (namesDay(s) || namesTime(s)) return fail(`"${said}" mixes "${s.rel.said}" with a day or time. Ask the caller for one time.`);
    const exact = now.add({ minutes: s.rel.minutes }).round({ smallestUnit: 'minute', roundingMode: 'ceil' });
    return range({ from: exact, to: dayAfter(exact), exact, description: describeSpan(exact, exact, true) });
  }

  const part = partOf(s.parts, said);
  if (part && 'error' in part) return part;
  const span = part?.span;
  const minutes: number[] = [];
  for (const [i, c] of s.clocks.entries()) {
    const endOfSpan = (s.clocks.length === 2 && i === 1) || s.bound === 'before';
    if (c.h === 24 && !s.tonight && !endOfSpan) return fail(`"${said}": midnight is ambiguous (the start or the end of which day?). Ask the caller whether they mean tonight at midnight, or another time.`);
    const m = minuteOfDay(c, span);
    if (typeof m !== 'number') return m;
    minutes.push(m);
  }

  const days: DaySaid[] = [...s.days];
  const monday = today.subtract({ days: today.dayOfWeek - 1 });
  if (s.week) {
    const first = monday.add({ weeks: s.week.which === 'next' ? 1 : 0 });
    if (s.weekday) {
      days.push({ date: first.add({ days: s.weekday.index - 1 }), said: `${s.weekday.said} ${s.week.said}` });
    } else {
      if (days.length || minutes.length || part) return fail(`"${said}" does not say which day. Ask the caller which day ${s.week.said}.`);
      const [a, b] = { week: [0, 7], weekend: [5, 7], early: [0, 2], mid: [2, 4], late: [3, 5] }[s.week.span];
      const from = first.add({ days: a }).toZonedDateTime({ timeZone: zone });
      const to = first.add({ days: b }).toZonedDateTime({ timeZone: zone });
      return clip(range({ from, to, description: describeSpan(from, to) }), now);
    }
  } else if (s.weekday) {
    const wd = s.weekday.index;
    const name = cap(WEEKDAYS[wd - 1]);
    let date: Temporal.PlainDate;
    const coming = (): Temporal.PlainDate => {
      const d = today.add({ days: (wd - today.dayOfWeek + 7) % 7 });
      if (!d.equals(today)) return d;
      const w = window(d, zone, minutes, span, s.bound);
      return 'error' in w || !stillAhead(w, now, span || minutes.length ? undefined : CLOSE_OF_BUSINESS) ? d.add({ days: 7 }) : d;
    };
    if (s.weekday.qualifier) {
      date = today.add({ days: wd - today.dayOfWeek + (s.weekday.qualifier === 'next' ? 7 : 0) });
      if (Temporal.PlainDate.compare(date, today) < 0) return fail(`${name} this week has already passed. Ask whether the caller means next ${name}, ${date.add({ days: 7 }).toString()}.`);
    } else if (s.weekday.weeksAfter) {
      date = today.add({ days: (wd - today.dayOfWeek + 7) % 7 + 7 * s.weekday.weeksAfter });
    } else if (s.weekday.other) {
      const [near, far] = [coming(), coming().add({ days: 7 })];
      const last = o.previous?.zone === zone ? o.previous.date : undefined;
      if (last === near.toString()) date = far;
      else if (last === far.toString()) date = near;
      else return fail(`"${said}": which ${name}, ${near.toString()} or ${far.toString()}? Ask the caller.`);
    } else {
      date = coming();
    }
    // Another day word must agree with the weekday ("tomorrow, Tuesday").
    for (const d of days) if (d.date.dayOfWeek !== wd) return fail(`${d.date.toString()} (${d.said}) is a ${cap(WEEKDAYS[d.date.dayOfWeek - 1])}, not a ${name}. Ask the caller which day they mean.`);
    if (!days.length) days.push({ date, said: s.weekday.said });
  }

  if (!days.length && !minutes.length && !part) return fail(`No day or time found in "${said}". Ask the caller which day and time suit them.`);
  const date = days[0]?.date ?? today;
  const other = days.find((d) => !d.date.equals(date));
  if (other) return fail(`"${said}" names two different days (${days[0].said}: ${date.toString()}, ${other.said}: ${other.date.toString()}). Ask the caller which day they mean.`);

  const w = window(date, zone, minutes, span, s.bound);
  if ('error' in w) return w;
  if (w.exact && Temporal.ZonedDateTime.compare(w.exact, now) <= 0) {
    const hint = date.equals(today) ? ' Ask whether the caller means tomorrow or another day.' : ' Ask the caller for a later time.';
    return fail(`that time has already passed (${w.description} was before now, ${describeSpan(now, now, true)}).${hint}`);
  }
  return clip(range(w), now);
}

/** What `later` says replaces what `earlier` said about the same thing: the day, the time, or both. */
function overlay(earlier: Said, later: Said): Said {
  if (later.rel) return later;
  const day = namesDay(later) ? later : earlier;
  const time = namesTime(later) ? later : earlier;
  return { days: day.days, week: day.week, weekday: day.weekday, parts: time.parts, clocks: time.clocks, bound: time.bound, tonight: later.tonight || (earlier.tonight && !namesDay(later)) };
}

/** The parts of the day said, as one span: "first thing in the morning" is the narrower one. */
function partOf(parts: Part[], said: string): { span: Span } | WhenError | undefined {
  let span: Span | undefined;
  let name: Part | undefined;
  for (const p of parts) {
    const [a, b] = PARTS[p];
    if (!span || !name) [span, name] = [[a, b], p];
    else {
      const [lo, hi] = [Math.max(span[0], a), Math.min(span[1], b)];
      if (lo >= hi) return { error: `"${said}" names both ${partName(name)} and ${partName(p)}. Ask the caller which they mean.` };
      span = [lo, hi];
    }
  }
  return span && { span };
}

/** Minutes after midnight of a clock time, using the part of the day or the business-hours rule for a bare "3". */
function minuteOfDay(c: Clock, span: Span | undefined): number | WhenError {
  const morning = span !== undefined && span[1] <= 12 * 60;
  let h = c.h;
  if (c.meridiem === 'am') h = c.h === 12 ? 0 : c.h;
  else if (c.meridiem === 'pm') h = c.h === 12 ? 12 : c.h + 12;
  else if (!c.fixed) h = span ? (!morning && c.h < 12 ? c.h + 12 : c.h) : c.h >= 1 && c.h <= 7 ? c.h + 12 : c.h;
  const clash = span ? (morning ? h * 60 + c.m > 12 * 60 : h < 12) : false;
  if (clash) return { error: `${sayClock({ hour: h, minute: c.m })} is not in the ${morning ? 'morning' : 'afternoon or evening'}. Ask the caller which they mean.` };
  return h * 60 + c.m;
}

/** The span for one date: an exact time, a part of the day, a bounded span, or the whole day. */
function window(date: Temporal.PlainDate, zone: string, minutes: number[], span: Span | undefined, bound: 'after' | 'before' | undefined): Window | WhenError {
  const startOfDay = date.toZonedDateTime({ timeZone: zone });
  const endOfDay = date.add({ days: 1 }).toZonedDateTime({ timeZone: zone });
  const partFrom = span ? wall(date, span[0], zone).zdt : startOfDay;
  const partTo = span ? wall(date, span[1], zone).zdt : endOfDay;
  if (minutes.length === 2 || bound) {
    const [a, b] = minutes.map((m) => wall(date, m, zone).zdt);
    const from = minutes.length === 2 || bound === 'after' ? a : partFrom;
    const to = minutes.length === 2 ? b : bound === 'after' ? partTo : a;
    if (Temporal.ZonedDateTime.compare(from, to) >= 0) return { error: `The span ${describeSpan(from, to)} is empty. Ask the caller for the times again.` };
    return { from, to, description: describeSpan(from, to) };
  }
  if (minutes.length === 1) {
    const { zdt: exact, dst } = wall(date, minutes[0], zone);
    const description = describeSpan(exact, exact, true) + (dst ? `; ${dst.note}` : '');
    return { from: exact, to: dayAfter(exact), exact, description, ...(dst ? { dst } : {}) };
  }
  return { from: partFrom, to: partTo, description: describeSpan(partFrom, partTo) };
}

/** The start of the day after the one `z` falls on: the search for an exact time runs to there. */
const dayAfter = (z: Temporal.ZonedDateTime): Temporal.ZonedDateTime => z.toPlainDate().add({ days: 1 }).toZonedDateTime({ timeZone: z.timeZoneId });

/** A wall-clock time on a date, DST-correct: a skipped time moves forward, a repeated one takes the earlier. */
function wall(date: Temporal.PlainDate, minutes: number, zone: string): { zdt: Temporal.ZonedDateTime; dst?: WhenRange['dst'] } {
  if (minutes >= 24 * 60) return { zdt: date.add({ days: 1 }).toZonedDateTime({ timeZone: zone }) };
  const pdt = date.toPlainDateTime({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  const zdt = pdt.toZonedDateTime(zone, { disambiguation: 'compatible' });
  const hhmm = (p: Temporal.PlainDateTime): string => p.toPlainTime().toString({ smallestUnit: 'minute' });
  if (!zdt.toPlainDateTime().equals(pdt)) {
    return { zdt, dst: { kind: 'gap', note: `${hhmm(pdt)} does not exist on ${date.toString()} in ${zone} (the clocks go forward), so it is ${hhmm(zdt.toPlainDateTime())} (UTC${zdt.offset})` } };
  }
  const later = pdt.toZonedDateTime(zone, { disambiguation: 'later' });
  if (later.epochNanoseconds !== zdt.epochNanoseconds) {
    return { zdt, dst: { kind: 'overlap', note: `${hhmm(pdt)} happens twice on ${date.toString()} in ${zone} (the clocks go back); this is the first one (UTC${zdt.offset}), the second is UTC${later.offset}` } };
  }
  return { zdt };
}

/** Whether a span on today is still (partly) ahead; `closeHour` limits a whole-day span. */
function stillAhead(w: Window, now: Temporal.ZonedDateTime, closeHour?: number): boolean {
  const end = w.exact ?? (closeHour === undefined ? w.to : now.startOfDay().add({ hours: closeHour }));
  return Temporal.ZonedDateTime.compare(end, now) > 0;
}

/** Starts the span no earlier than now; a span wholly in the past is refused. */
function clip(r: WhenRange, now: Temporal.ZonedDateTime): WhenRange | WhenError {
  if (!r.exact && Temporal.ZonedDateTime.compare(r.to, now) <= 0) return { error: `that time has already passed (${r.description}). Ask the caller for a later time.` };
  if (r.exact || Temporal.ZonedDateTime.compare(r.from, now) >= 0) return r;
  return { ...r, from: now, description: describeSpan(now, r.to) };
}

/** "Tuesday 2026-12-01 15:00 Europe/Warsaw (UTC+01:00)", or a span "… 12:00–17:00 …". */
export function describeSpan(from: Temporal.ZonedDateTime, to: Temporal.ZonedDateTime, exact = false): string {
  const day = (z: Temporal.ZonedDateTime): string => `${cap(WEEKDAYS[z.dayOfWeek - 1])} ${z.toPlainDate().toString()}`;
  const hhmm = (z: Temporal.ZonedDateTime): string => z.toPlainTime().toString({ smallestUnit: 'minute' });
  const zone = `${from.timeZoneId} (UTC${from.offset})`;
  if (exact) return `${day(from)} ${hhmm(from)} ${zone}`;
  const endsAtMidnight = to.toPlainDate().equals(from.toPlainDate().add({ days: 1 })) && hhmm(to) === '00:00';
  if (from.toPlainDate().equals(to.toPlainDate()) || endsAtMidnight) return `${day(from)} ${hhmm(from)}–${endsAtMidnight ? '24:00' : hhmm(to)} ${zone}`;
  return `${day(from)} ${hhmm(from)} to ${day(to)} ${hhmm(to)} ${zone}`;
}

/** The zone named in what a caller said ("I'm in New York", "Eastern", "Europe/London"), if any. */
export function parseTimeZone(text: string): string | undefined {
  const found = findTimeZone(normalize(text));
  return found && !('error' in found) ? found.zone : undefined;
}
