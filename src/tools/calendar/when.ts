import { Temporal } from 'temporal-polyfill';
import { canonicalZone, findTimeZone, zoneLabel } from './zones.ts';

export { canonicalZone, zoneLabel } from './zones.ts';

// What a caller says ("next Tuesday at 3", "tomorrow afternoon London time") is turned into
// exact instants here, in code: a language model asked to do date arithmetic across time
// zones and daylight-saving changes gets it wrong often enough to book the wrong hour.
//
// Rules, chosen once and documented for the booking docs:
// - Everything is read in `timeZone` (the business zone) unless the phrase names another;
//   "my time" / "local time" is `callerZone` when known, else the caller is asked where they are.
// - "Tuesday" = the next Tuesday; said on a Tuesday it means today while the asked-for time
//   (or, with no time, the 17:00 close of business) is still ahead, else a week later.
//   "this Tuesday" = the Tuesday of this week (an error once it has passed);
//   "next Tuesday" = the Tuesday of next week (weeks start on Monday), so said on a Monday it
//   is eight days later, not one.
// - A clock time without am/pm ("at 3") is read in business hours: 1–7 mean PM, 8–11 AM,
//   12 noon; "in the morning"/"afternoon"/"evening" decide instead when said.
// - Numeric dates are read only when unambiguous: "12/03" (12 March or 3 December?) is
//   refused, "12/25" is 25 December; ISO "2026-12-03" and month names are always fine.
//   A date without a year is its next occurrence.
// - "tomorrow" is the next calendar date in the zone, even a minute after midnight.

/** A time the caller asked for: the span to search and, when they named a clock time, that instant. */
export interface WhenRange {
  /** Start of the span to search (never earlier than now). */
  from: Temporal.ZonedDateTime;
  /** End of the span; for an exact time, the end of that day, so later times that day can be offered too. */
  to: Temporal.ZonedDateTime;
  /** The instant named ("at 3 PM"), when one was. */
  exact?: Temporal.ZonedDateTime;
  /** The zone the phrase was read in: the business zone unless the phrase named another. */
  zone: string;
  /** What was understood, unambiguous ("Tuesday 2026-12-01 15:00 Europe/Warsaw (UTC+01:00)"). */
  description: string;
  /** Set when a daylight-saving change moved the time (gap) or it happens twice (overlap). */
  dst?: { kind: 'gap' | 'overlap'; note: string };
}

/** A phrase that could not be turned into a time; `error` says what to ask the caller. */
export interface WhenError {
  error: string;
}

/** Parts of the day, as [start hour, end hour). */
const PARTS = { morning: [8, 12], afternoon: [12, 17], evening: [17, 21] } as const;
type Part = keyof typeof PARTS;
/** Without a time, "Tuesday" said on a Tuesday still means today until close of business. */
const CLOSE_OF_BUSINESS = 17;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAY = '(monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)';
const CLOCK = '(?:noon|midday|midnight|(?:(?:half|quarter|\\d{1,2})\\s+(?:minutes?\\s+)?(?:past|to)\\s+)?\\d{1,2}(?:[:.\\s]\\d{2})?\\s*(?:am|pm)?)';
/** Words that carry no time information. */
const FILLER = new Set(
  'at on the of in around about approximately roughly say maybe perhaps or so please for a an is it be would could can how what ish sometime anytime any time like then ok okay um uh well yes yeah lets do does work works good fine book call meeting me us we i im am you that and same day based here'.split(' '),
);

interface Clock {
  h: number;
  m: number;
  meridiem?: 'am' | 'pm';
  /** 24-hour or noon: no am/pm guessing. */
  fixed?: boolean;
}
type Bound = 'after' | 'before';

/** Resolves a caller's phrase ("next Tuesday at 3", "tomorrow afternoon") into a span of time, or says what to ask. */
export function resolveWhen(phrase: string, o: { now: Temporal.Instant; timeZone: string; callerZone?: string }): WhenRange | WhenError {
  let s = normalize(phrase);
  const fail = (error: string): WhenError => ({ error });
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(s);
    if (m) s = `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`;
    return m;
  };

  // "my time" is the caller's zone, when known; "your time" is the business's.
  const saidMine = take(/\b(?:my|local)\s+(?:local\s+)?time\b/) !== null;
  take(/\b(?:your|our)\s+(?:local\s+)?time\b/);
  const found = findTimeZone(s);
  if (found && 'error' in found) return found;
  if (found) s = found.rest;
  const mine = saidMine ? o.callerZone : undefined;
  if (saidMine && !found && !mine) return fail(`"${phrase.trim()}" depends on where the caller is. Ask which city or time zone they are in.`);
  if (found && mine && found.zone !== canonicalZone(mine)) return fail(`"${phrase.trim()}" names ${found.zone} but the caller is in ${mine}. Ask the caller which time zone they mean.`);
  const zone = found?.zone ?? mine ?? o.timeZone;
  const now = o.now.toZonedDateTimeISO(zone);
  const today = now.toPlainDate();
  const said = phrase.trim();

  // "in 2 hours": an exact instant counted from now, nothing else may be added to it.
  const rel = take(/\bin\s+(?:(half)\s+an?|(an?|\d+)(\s+and\s+a\s+half)?)\s+(minute|min|hour|hr)s?(\s+and\s+a\s+half)?\b/);
  if (rel) {
    const unit = rel[4].startsWith('h') ? 60 : 1;
    const count = rel[1] ? 0.5 : /^an?$/.test(rel[2]) ? 1 : Number(rel[2]);
    const minutes = Math.ceil((count + (rel[3] || rel[5] ? 0.5 : 0)) * unit);
    if (leftovers(s).length) return fail(`"${said}" mixes "in ${rel[2] ?? 'half an'} ${rel[4]}s" with a day or time. Ask the caller for one time.`);
    const exact = ceilMinute(now.add({ minutes }));
    return { from: exact, to: exact.add({ days: 1 }).startOfDay(), exact, zone, description: describe(exact, exact, true) };
  }

  // Every way the phrase names a day; they must all agree.
  const days: { date: Temporal.PlainDate; said: string }[] = [];
  for (let m; (m = take(/\b(?:the\s+)?day\s+after\s+tomorrow\b|\b(today|tonight|tomorrow|tmrw|yesterday)\b/)); ) {
    const offset = m[1] === undefined ? 2 : m[1] === 'yesterday' ? -1 : m[1] === 'today' || m[1] === 'tonight' ? 0 : 1;
    days.push({ date: today.add({ days: offset }), said: m[0] });
    if (m[1] === 'tonight') s += ' evening';
  }
  const inDays = take(/\bin\s+(an?|\d+)\s+days?\b/);
  if (inDays) days.push({ date: today.add({ days: /^an?$/.test(inDays[1]) ? 1 : Number(inDays[1]) }), said: inDays[0] });

  const explicit = takeDate(take, today);
  if (explicit && 'error' in explicit) return explicit;
  if (explicit) days.push(explicit);

  const week = take(/\b(?:later\s+)?(this|next|the)\s+(week(?:end)?)\b|\b(weekend)\b/);
  const weekday = take(new RegExp(`\\b(?:(this\\s+coming|coming|this|next)\\s+)?${WEEKDAY}\\b`));

  let part: Part | undefined;
  for (let m; (m = take(/\b(?:in\s+the\s+|this\s+|at\s+)?(morning|afternoon|evening|night)\b/)); ) {
    const p: Part = m[1] === 'night' ? 'evening' : (m[1] as Part);
    if (part && part !== p) return fail(`"${said}" names both the ${part} and the ${p}. Ask the caller which they mean.`);
    part = p;
  }

  // Clock times: "between 2 and 4", "after 3", "at 3:30 pm".
  let clocks: Clock[] = [];
  let bound: Bound | undefined;
  const between = take(new RegExp(`\\b(?:between|from)\\s+(${CLOCK})\\s+(?:and|to|until|till)\\s+(${CLOCK})\\b`));
  if (between) {
    const a = parseClock(between[1]);
    const b = parseClock(between[2]);
    if ('error' in a) return a;
    if ('error' in b) return b;
    clocks = [{ ...a, meridiem: a.meridiem ?? b.meridiem }, b];
  } else {
    const one = take(new RegExp(`\\b(?:(after|from|before|by|until|till)\\s+)?(${CLOCK})(?![\\w:/])`));
    if (one) {
      const c = parseClock(one[2]);
      if ('error' in c) return c;
      clocks = [c];
      bound = one[1] === undefined ? undefined : /^(after|from)$/.test(one[1]) ? 'after' : 'before';
    }
  }
  if (new RegExp(`(?:^|\\s)${CLOCK}(?![\\w:/])`).test(s)) return fail(`"${said}" has more than one time in it. Ask the caller which time they mean.`);
  const unknown = leftovers(s);
  if (unknown.length) return fail(`Could not understand "${unknown.join(' ')}" in "${said}". Ask the caller for a day and a time, for example "Tuesday at 3 PM".`);

  const minutes: number[] = [];
  for (const c of clocks) {
    const m = minuteOfDay(c, part);
    if (typeof m !== 'number') return m;
    minutes.push(m);
  }

  if (week) {
    const which = week[1] === 'next' ? 'next' : 'this';
    const isWeekend = (week[2] ?? week[3]).endsWith('end');
    const monday = today.subtract({ days: today.dayOfWeek - 1 }).add({ weeks: which === 'next' ? 1 : 0 });
    if (weekday) {
      days.push({ date: monday.add({ days: weekdayIndex(weekday[2]) - 1 }), said: `${weekday[0]} ${week[0]}` });
    } else {
      if (days.length || clocks.length || part) return fail(`"${said}" does not say which day. Ask the caller which day ${which} ${isWeekend ? 'weekend' : 'week'}.`);
      const start = isWeekend ? monday.add({ days: 5 }) : monday;
      const from = start.toZonedDateTime({ timeZone: zone });
      const to = monday.add({ weeks: 1 }).toZonedDateTime({ timeZone: zone });
      return clip({ from, to, zone, description: describe(from, to) }, now);
    }
  } else if (weekday) {
    const wd = weekdayIndex(weekday[2]);
    const name = WEEKDAYS[wd - 1];
    const qualifier = weekday[1]?.replace(/\s+/g, ' ');
    let date: Temporal.PlainDate;
    if (qualifier === 'next' || qualifier === 'this') {
      date = today.add({ days: wd - today.dayOfWeek + (qualifier === 'next' ? 7 : 0) });
      if (Temporal.PlainDate.compare(date, today) < 0) return fail(`${cap(name)} this week has already passed. Ask whether the caller means next ${cap(name)}, ${date.add({ days: 7 }).toString()}.`);
    } else {
      date = today.add({ days: (wd - today.dayOfWeek + 7) % 7 });
      if (date.equals(today)) {
        const w = window(date, zone, minutes, part, bound);
        if ('error' in w || !stillAhead(w, now, part || minutes.length ? undefined : CLOSE_OF_BUSINESS)) date = date.add({ days: 7 });
      }
    }
    // Another day word must agree with the weekday ("tomorrow, Tuesday").
    for (const d of days) if (d.date.dayOfWeek !== wd) return fail(`${d.date.toString()} (${d.said}) is a ${cap(WEEKDAYS[d.date.dayOfWeek - 1])}, not a ${cap(name)}. Ask the caller which day they mean.`);
    if (!days.length) days.push({ date, said: weekday[0] });
  }

  if (!days.length && !minutes.length && !part) return fail(`No day or time found in "${said}". Ask the caller which day and time suit them.`);
  const date = days[0]?.date ?? today;
  const other = days.find((d) => !d.date.equals(date));
  if (other) return fail(`"${said}" names two different days (${days[0].said}: ${date.toString()}, ${other.said}: ${other.date.toString()}). Ask the caller which day they mean.`);

  const w = window(date, zone, minutes, part, bound);
  if ('error' in w) return w;
  if (w.exact && Temporal.ZonedDateTime.compare(w.exact, now) <= 0) {
    const hint = date.equals(today) ? ' Ask whether the caller means tomorrow or another day.' : ' Ask the caller for a later time.';
    return fail(`that time has already passed (${w.description} was before now, ${describe(now, now, true)}).${hint}`);
  }
  return clip({ ...w, zone }, now);
}

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

/**
 * How the agent says a time aloud: "Tuesday, December 1st at 3 PM", "tomorrow at 9:30 AM",
 * "today at noon"; with a caller in another zone, theirs first: "9 AM your time, 3 PM in Warsaw".
 */
export function sayTime(instant: string | Temporal.Instant, o: { timeZone: string; callerZone?: string; now: Temporal.Instant }): string {
  const at = typeof instant === 'string' ? Temporal.Instant.from(instant) : instant;
  const business = at.toZonedDateTimeISO(o.timeZone);
  const plain = `${sayDay(business, o.now)} at ${sayClock(business)}`;
  if (!o.callerZone) return plain;
  const caller = at.toZonedDateTimeISO(o.callerZone);
  if (caller.toPlainDateTime().equals(business.toPlainDateTime())) return plain;
  const sameDate = caller.toPlainDate().equals(business.toPlainDate());
  const there = sameDate ? sayClock(business) : `${sayDay(business, o.now)} at ${sayClock(business)}`;
  return `${sayDay(caller, o.now)} at ${sayClock(caller)} your time, ${there} in ${zoneLabel(o.timeZone)}`;
}

/** "today", "tomorrow", or "Tuesday, December 1st" (with the year when it is not within the coming year). */
function sayDay(zdt: Temporal.ZonedDateTime, now: Temporal.Instant): string {
  const today = now.toZonedDateTimeISO(zdt.timeZoneId).toPlainDate();
  const date = zdt.toPlainDate();
  const days = today.until(date, { largestUnit: 'days' }).days;
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  const year = days < 0 || Temporal.PlainDate.compare(date, today.add({ years: 1 })) >= 0 ? `, ${date.year}` : '';
  return `${cap(WEEKDAYS[date.dayOfWeek - 1])}, ${MONTH_NAMES[date.month - 1]} ${ordinal(date.day)}${year}`;
}

/** "3 PM", "9:30 AM", "noon", "midnight". */
function sayClock({ hour, minute }: { hour: number; minute: number }): string {
  if (minute === 0 && hour === 12) return 'noon';
  if (minute === 0 && hour === 0) return 'midnight';
  const h = hour % 12 || 12;
  return `${h}${minute ? `:${String(minute).padStart(2, '0')}` : ''} ${hour < 12 ? 'AM' : 'PM'}`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** Lower case, spelled-out numbers as digits, "p.m." as "pm", punctuation dropped. */
function normalize(phrase: string): string {
  let s = ` ${phrase.normalize('NFKC').toLowerCase()} `
    .replace(/[’‘`']/g, '')
    .replace(/\bo\s?clock\b/g, ' ')
    .replace(/(\d{4}-\d{2}-\d{2})t(\d)/g, '$1 $2')
    .replace(/[,;!?()"]/g, ' ')
    .replace(/\.(?!\d)/g, ' ')
    .replace(/([a-z])-(?=[a-z])/g, '$1 ');
  s = numberWords(s)
    .replace(/(\d)\s*([ap])\s?m(?![a-z])/g, '$1$2m')
    .replace(/\b(?:12\s+)?(noon|mid\s?day)\b/g, 'noon');
  return s.replace(/\s+/g, ' ').trim();
}

const SMALL = 'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'.split(' ');
const ORDINALS = 'zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth'.split(' ');
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, twentieth: 20, thirtieth: 30 };

/** "three thirty" → "3 30", "twenty first" → "21st", "nine oh five" → "9 05". */
function numberWords(s: string): string {
  const value = (w: string): { n: number; ord: boolean } | undefined => {
    if (SMALL.includes(w)) return { n: SMALL.indexOf(w), ord: false };
    if (ORDINALS.includes(w)) return { n: ORDINALS.indexOf(w), ord: true };
    if (w in TENS) return { n: TENS[w], ord: w.endsWith('th') };
  };
  const units = [...SMALL.slice(1, 10), ...ORDINALS.slice(1, 10)].join('|');
  const words = [...SMALL, ...ORDINALS.slice(1), ...Object.keys(TENS)].join('|');
  return s
    .replace(new RegExp(`\\boh\\s+(${SMALL.slice(1, 10).join('|')})\\b`, 'g'), (_, u: string) => `0${SMALL.indexOf(u)}`)
    .replace(new RegExp(`\\b(twenty|thirty|forty|fifty)\\s+(${units})\\b|\\b(${words})\\b`, 'g'), (_, tens?: string, unit?: string, single?: string) => {
      const parts = (single ? [single] : [tens!, unit!]).map((w) => value(w)!);
      const n = parts.reduce((sum, p) => sum + p.n, 0);
      return parts.at(-1)!.ord ? ordinal(n) : String(n);
    });
}

/** "3", "3:30pm", "15:00", "half past 3", "quarter to 4", "noon". */
function parseClock(text: string): Clock | WhenError {
  const t = text.trim();
  if (t === 'noon') return { h: 12, m: 0, fixed: true };
  if (t === 'midnight') return { error: 'Midnight is ambiguous (the start or the end of which day?). Ask the caller for another time or the exact day.' };
  const m = /^(?:(half|quarter|\d{1,2})\s+(?:minutes?\s+)?(past|to)\s+)?(\d{1,2})(?:[:.\s](\d{2}))?\s*(am|pm)?$/.exec(t);
  if (!m) return { error: `Could not read the time "${t}". Ask the caller for the time again, for example "3 PM".` };
  let h = Number(m[3]);
  let min = m[4] ? Number(m[4]) : 0;
  if (m[1]) {
    const offset = m[1] === 'half' ? 30 : m[1] === 'quarter' ? 15 : Number(m[1]);
    if (m[2] === 'past') min = offset;
    else [h, min] = [h === 1 ? 12 : h === 0 ? 23 : h - 1, 60 - offset];
  }
  if (h > 23 || min > 59) return { error: `"${t}" is not a time of day. Ask the caller for the time again.` };
  const meridiem = m[5] as Clock['meridiem'];
  if (meridiem && (h > 12 || h === 0)) return { error: `"${t}" mixes a 24-hour time with AM/PM. Ask the caller for the time again.` };
  return { h, m: min, meridiem, fixed: !meridiem && (h === 0 || h >= 13 || /^0\d/.test(m[3])) };
}

/** Minutes after midnight of a clock time, using the part of day or the business-hours rule for a bare "3". */
function minuteOfDay(c: Clock, part: Part | undefined): number | WhenError {
  let h = c.h;
  if (c.meridiem === 'am') h = c.h === 12 ? 0 : c.h;
  else if (c.meridiem === 'pm') h = c.h === 12 ? 12 : c.h + 12;
  else if (!c.fixed) h = part ? (part !== 'morning' && c.h < 12 ? c.h + 12 : c.h) : c.h >= 1 && c.h <= 7 ? c.h + 12 : c.h;
  const clash = part === 'morning' ? h > 12 || (h === 12 && c.m > 0) : part ? h < 12 : false;
  if (clash) return { error: `${sayClock({ hour: h, minute: c.m })} is not in the ${part}. Ask the caller which they mean.` };
  return h * 60 + c.m;
}

/** The explicit calendar date in the phrase, if any: ISO, month names, unambiguous numeric, "the 3rd". */
function takeDate(take: (re: RegExp) => RegExpExecArray | null, today: Temporal.PlainDate): { date: Temporal.PlainDate; said: string } | WhenError | undefined {
  const build = (said: string, year: number | undefined, month: number, day: number): { date: Temporal.PlainDate; said: string } | WhenError => {
    try {
      const date = Temporal.PlainDate.from({ year: year ?? today.year, month, day }, { overflow: 'reject' });
      if (year === undefined && Temporal.PlainDate.compare(date, today) < 0) return build(said, today.year + 1, month, day);
      if (Temporal.PlainDate.compare(date, today) < 0) return { error: `that time has already passed (${date.toString()} is before today, ${today.toString()}). Ask the caller for a later date.` };
      return { date, said };
    } catch {
      return { error: `"${said}" is not a date on the calendar. Ask the caller for the date again.` };
    }
  };
  const fullYear = (y: string | undefined): number | undefined => (y === undefined ? undefined : y.length === 2 ? 2000 + Number(y) : Number(y));
  let m = take(/\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b/);
  if (m) return build(m[0], Number(m[1]), Number(m[2]), Number(m[3]));
  m = take(/\b(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?\b/) ?? take(/\b(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\b/);
  if (m) {
    const [a, b, year] = [Number(m[1]), Number(m[2]), fullYear(m[3])];
    const readings = [build(m[0], year, b, a), build(m[0], year, a, b)].filter((r) => !('error' in r)) as { date: Temporal.PlainDate; said: string }[];
    const distinct = new Set(readings.map((r) => r.date.toString()));
    if (distinct.size > 1) return { error: `"${m[0]}" could be ${sayDate(readings[0].date)} or ${sayDate(readings[1].date)}. Ask the caller to say the month by name.` };
    return readings[0] ?? { error: `"${m[0]}" is not a date on the calendar. Ask the caller to say the date with the month by name.` };
  }
  const notClock = '(?![:.]\\d|\\s?[ap]m\\b|\\d)';
  m = take(new RegExp(`\\b${MONTH}\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?${notClock}(?:\\s+(\\d{4}))?\\b`));
  if (m) return build(m[0], fullYear(m[3]), MONTHS.indexOf(m[1].slice(0, 3)) + 1, Number(m[2]));
  m = take(new RegExp(`\\b(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:\\s+(\\d{4}))?\\b`));
  if (m) return build(m[0], fullYear(m[3]), MONTHS.indexOf(m[2].slice(0, 3)) + 1, Number(m[1]));
  m = take(/\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b/);
  if (m) {
    const day = Number(m[1]);
    const month = day >= today.day ? today : today.add({ months: 1 }).with({ day: 1 });
    return build(m[0], month.year, month.month, day);
  }
  return undefined;
}

const sayDate = (d: Temporal.PlainDate): string => `${d.day} ${MONTH_NAMES[d.month - 1]}`;

/** The span for one date: an exact time, a part of the day, a bounded span, or the whole day. */
function window(date: Temporal.PlainDate, zone: string, minutes: number[], part: Part | undefined, bound: Bound | undefined): Omit<WhenRange, 'zone'> | WhenError {
  const startOfDay = date.toZonedDateTime({ timeZone: zone });
  const endOfDay = date.add({ days: 1 }).toZonedDateTime({ timeZone: zone });
  const partFrom = part ? wall(date, PARTS[part][0] * 60, zone).zdt : startOfDay;
  const partTo = part ? wall(date, PARTS[part][1] * 60, zone).zdt : endOfDay;
  if (minutes.length === 2 || bound) {
    const [a, b] = minutes.map((m) => wall(date, m, zone).zdt);
    const from = minutes.length === 2 || bound === 'after' ? a : partFrom;
    const to = minutes.length === 2 ? b : bound === 'after' ? partTo : a;
    if (Temporal.ZonedDateTime.compare(from, to) >= 0) return { error: `The span ${describe(from, to)} is empty. Ask the caller for the times again.` };
    return { from, to, description: describe(from, to) };
  }
  if (minutes.length === 1) {
    const { zdt: exact, dst } = wall(date, minutes[0], zone);
    const description = describe(exact, exact, true) + (dst ? `; ${dst.note}` : '');
    return { from: exact, to: endOfDay, exact, description, ...(dst ? { dst } : {}) };
  }
  return { from: partFrom, to: partTo, description: describe(partFrom, partTo) };
}

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
function stillAhead(w: Omit<WhenRange, 'zone'>, now: Temporal.ZonedDateTime, closeHour?: number): boolean {
  const end = w.exact ?? (closeHour === undefined ? w.to : now.startOfDay().add({ hours: closeHour }));
  return Temporal.ZonedDateTime.compare(end, now) > 0;
}

/** Starts the span no earlier than now; a span wholly in the past is refused. */
function clip(r: WhenRange, now: Temporal.ZonedDateTime): WhenRange | WhenError {
  if (!r.exact && Temporal.ZonedDateTime.compare(r.to, now) <= 0) return { error: `that time has already passed (${r.description}). Ask the caller for a later time.` };
  if (r.exact || Temporal.ZonedDateTime.compare(r.from, now) >= 0) return r;
  return { ...r, from: now, description: describe(now, r.to) };
}

/** "Tuesday 2026-12-01 15:00 Europe/Warsaw (UTC+01:00)", or a span "… 12:00–17:00 …". */
function describe(from: Temporal.ZonedDateTime, to: Temporal.ZonedDateTime, exact = false): string {
  const day = (z: Temporal.ZonedDateTime): string => `${cap(WEEKDAYS[z.dayOfWeek - 1])} ${z.toPlainDate().toString()}`;
  const hhmm = (z: Temporal.ZonedDateTime): string => z.toPlainTime().toString({ smallestUnit: 'minute' });
  const zone = `${from.timeZoneId} (UTC${from.offset})`;
  if (exact) return `${day(from)} ${hhmm(from)} ${zone}`;
  const endsAtMidnight = to.toPlainDate().equals(from.toPlainDate().add({ days: 1 })) && hhmm(to) === '00:00';
  if (from.toPlainDate().equals(to.toPlainDate()) || endsAtMidnight) return `${day(from)} ${hhmm(from)}–${endsAtMidnight ? '24:00' : hhmm(to)} ${zone}`;
  return `${day(from)} ${hhmm(from)} to ${day(to)} ${hhmm(to)} ${zone}`;
}

const ceilMinute = (z: Temporal.ZonedDateTime): Temporal.ZonedDateTime => z.round({ smallestUnit: 'minute', roundingMode: 'ceil' });

function weekdayIndex(word: string): number {
  return WEEKDAYS.findIndex((d) => d.startsWith(word.slice(0, 3))) + 1;
}

function leftovers(s: string): string[] {
  return s.split(/\s+/).filter((w) => w && !FILLER.has(w));
}

/** The zone named in what a caller said ("I'm in New York", "Eastern", "Europe/London"), if any. */
export function parseTimeZone(text: string): string | undefined {
  const found = findTimeZone(normalize(text));
  return found && !('error' in found) ? found.zone : undefined;
}
