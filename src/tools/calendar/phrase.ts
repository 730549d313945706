import { Temporal } from 'temporal-polyfill';
import { CLOCK, MONTH, MONTH_NAMES, MONTHS, type Part, WEEKDAY, leftovers, weekdayIndex } from './vocabulary.ts';

// Reads one stretch of a caller's words (already normalized, zone words removed) into what it
// names: days, a weekday, a week, parts of the day, clock times. It computes nothing about
// instants; the resolver (when.ts) decides what the pieces mean together.

/** A phrase that could not be understood; `error` says what to ask the caller. */
export interface WhenError {
  error: string;
}

/** A clock time as said: "3" (no am/pm), "3pm", "15:00", "noon", "midnight" (24:00). */
export interface Clock {
  h: number;
  m: number;
  meridiem?: 'am' | 'pm';
  /** 24-hour, noon or midnight: no am/pm guessing. */
  fixed?: boolean;
}
export type Bound = 'after' | 'before';

/** A calendar date the words named, with the words, for questions back. */
export interface DaySaid {
  date: Temporal.PlainDate;
  said: string;
}

/** What one stretch of words named. Empty fields: not said. */
export interface Said {
  /** "in 30 minutes": minutes from now. */
  rel?: { minutes: number; said: string };
  days: DaySaid[];
  /** "next week", "early next week", "the weekend". */
  week?: { which: 'this' | 'next'; span: 'week' | 'weekend' | 'early' | 'mid' | 'late'; said: string };
  /** "Tuesday", "next Tuesday", "a week from Tuesday" (weeksAfter 1), "the other Tuesday". */
  weekday?: { index: number; qualifier?: 'this' | 'next'; weeksAfter: number; other: boolean; said: string };
  parts: Part[];
  /** One clock time, or two for a span ("between 2 and 4", "after 2 but before 5"). */
  clocks: Clock[];
  bound?: Bound;
  tonight: boolean;
}

/** Whether the words named a day (or a span of days). */
export const namesDay = (s: Said): boolean => s.days.length > 0 || !!s.week || !!s.weekday;
/** Whether the words named a time of day. */
export const namesTime = (s: Said): boolean => s.parts.length > 0 || s.clocks.length > 0;

/** Reads one stretch of normalized words; `today` is the date in the zone the words are read in. */
export function readSaid(text: string, today: Temporal.PlainDate, whole: string): Said | WhenError {
  let s = ` ${text} `;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(s);
    if (m) s = `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`;
    return m;
  };
  const said: Said = { days: [], parts: [], clocks: [], tonight: false };

  const rel = take(/\bin\s+(?:(half)\s+an?|(an?|\d+)(\s+and\s+a\s+half)?)\s+(minute|min|hour|hr)s?(\s+and\s+a\s+half)?\b/);
  if (rel) {
    const unit = rel[4].startsWith('h') ? 60 : 1;
    const count = rel[1] ? 0.5 : /^an?$/.test(rel[2]) ? 1 : Number(rel[2]);
    if (count > 24 * 60) return { error: `"${whole}" is too far ahead to count in ${rel[4]}s. Ask the caller for a day and a time.` };
    said.rel = { minutes: Math.ceil((count + (rel[3] || rel[5] ? 0.5 : 0)) * unit), said: rel[0].trim() };
  }

  // "a week from Tuesday", "two weeks from today", "a week tomorrow".
  const weeksFrom = take(new RegExp(`\\b(an?|\\d+)\\s+weeks?\\s+(?:from|after|on)?\\s*(today|tomorrow|${WEEKDAY})\\b`));
  const weeksCount = (w: string): number => (/^an?$/.test(w) ? 1 : Number(w));
  if (weeksFrom) {
    const n = weeksCount(weeksFrom[1]);
    if (weeksFrom[2] === 'today' || weeksFrom[2] === 'tomorrow') said.days.push({ date: today.add({ days: 7 * n + (weeksFrom[2] === 'tomorrow' ? 1 : 0) }), said: weeksFrom[0].trim() });
    else said.weekday = { index: weekdayIndex(weeksFrom[3]), weeksAfter: n, other: false, said: weeksFrom[0].trim() };
  }
  const inWeeks = take(/\bin\s+(an?|\d+)\s+weeks?(?:\s+time)?\b/);
  if (inWeeks) said.days.push({ date: today.add({ weeks: weeksCount(inWeeks[1]) }), said: inWeeks[0].trim() });

  for (let m; (m = take(/\b(?:the\s+)?day\s+after\s+tomorrow\b|\b(today|tonight|tomorrow|tmrw|yesterday)\b/)); ) {
    const offset = m[1] === undefined ? 2 : m[1] === 'yesterday' ? -1 : m[1] === 'today' || m[1] === 'tonight' ? 0 : 1;
    said.days.push({ date: today.add({ days: offset }), said: m[0].trim() });
    if (m[1] === 'tonight') {
      said.tonight = true;
      said.parts.push('evening');
    }
  }
  const inDays = take(/\bin\s+(an?|\d+)\s+days?\b/);
  if (inDays) said.days.push({ date: today.add({ days: /^an?$/.test(inDays[1]) ? 1 : Number(inDays[1]) }), said: inDays[0].trim() });

  const explicit = takeDate(take, today);
  if (explicit && 'error' in explicit) return explicit;
  if (explicit) said.days.push(explicit);

  const week = take(/\b(early|earlier|late|later|end\s+of|middle\s+of|mid)?\s*(?:in\s+|on\s+)?\b(this|next|the)\s+(week(?:end)?)\b|\b(weekend)\b/);
  if (week) {
    const which = week[2] === 'next' ? 'next' : 'this';
    const weekend = (week[3] ?? week[4]).endsWith('end');
    const q = week[1]?.replace(/\s+/g, ' ');
    const span = weekend ? 'weekend' : q === 'early' || q === 'earlier' ? 'early' : q === 'late' || q === 'end of' || (q === 'later' && which === 'next') ? 'late' : q === 'mid' || q === 'middle of' ? 'mid' : 'week';
    if (weekend && q) return { error: `"${whole}": "${week[0].trim()}" is not clear. Ask the caller whether Saturday or Sunday suits them.` };
    said.week = { which, span, said: week[0].trim() };
  }
  const weekday = take(new RegExp(`\\b(?:(this\\s+coming|coming|this|next|the\\s+other|other)\\s+)?${WEEKDAY}\\b`));
  if (weekday) {
    if (said.weekday) return { error: `"${whole}" names two weekdays. Ask the caller which day they mean.` };
    const q = weekday[1]?.replace(/\s+/g, ' ');
    said.weekday = { index: weekdayIndex(weekday[2]), weeksAfter: 0, other: q === 'the other' || q === 'other', qualifier: q === 'next' ? 'next' : q === 'this' ? 'this' : undefined, said: weekday[0].trim() };
  }
  // The same weekday said twice is one day; two different ones are a question.
  for (let again; (again = new RegExp(`\\b${WEEKDAY}\\b`).exec(s)); ) {
    if (!said.weekday || weekdayIndex(again[1]) !== said.weekday.index) return { error: `"${whole}" names two weekdays. Ask the caller which day they mean.` };
    take(new RegExp(`\\b${WEEKDAY}\\b`));
  }

  for (let m; (m = take(/\b(?:in\s+the\s+|this\s+|at\s+|at\s+the\s+)?(morning|afternoon|evening|night|firstthing|afterlunch|lunchtime)\b/)); ) {
    said.parts.push(m[1] === 'night' ? 'evening' : (m[1] as Part));
  }

  // Clock times: "between 2 and 4", "2-4pm", "after 3", "at 3:30 pm", "after 2 but before 5".
  const between =
    take(new RegExp(`\\b(?:between|from)\\s+(${CLOCK})\\s+(?:and|to|until|till)\\s+(${CLOCK})(?![\\w:/])`)) ??
    take(/\b(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s*-\s*(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)(?![\w:/])/);
  if (between) {
    const a = parseClock(between[1]);
    const b = parseClock(between[2]);
    if ('error' in a) return a;
    if ('error' in b) return b;
    said.clocks = [{ ...a, meridiem: a.meridiem ?? (a.fixed ? undefined : b.meridiem) }, b];
  } else {
    const bounded: { c: Clock; bound?: Bound }[] = [];
    const one = new RegExp(`\\b(?:(after|from|not\\s+before|no\\s+earlier\\s+than|later\\s+than|before|by|until|till|no\\s+later\\s+than|not\\s+after|earlier\\s+than)\\s+)?(${CLOCK})(?![\\w:/])`);
    for (let m; (m = take(one)); ) {
      const c = parseClock(m[2]);
      if ('error' in c) return c;
      const bound = m[1] === undefined ? undefined : /^(after|from|not before|no earlier than|later than)$/.test(m[1].replace(/\s+/g, ' ')) ? 'after' : 'before';
      if (!bounded.some((x) => x.bound === bound && sameClock(x.c, c))) bounded.push({ c, bound });
    }
    const after = bounded.find((x) => x.bound === 'after');
    const before = bounded.find((x) => x.bound === 'before');
    if (bounded.length === 2 && after && before) said.clocks = [after.c, before.c];
    else if (bounded.length > 1) return { error: `"${whole}" has more than one time in it. Ask the caller which time they mean.` };
    else if (bounded.length === 1) [said.clocks, said.bound] = [[bounded[0].c], bounded[0].bound];
  }
  const unknown = leftovers(s.replace(/\bbut\b/g, ' '));
  if (unknown.length) return { error: `Could not understand "${unknown.join(' ')}" in "${whole}". Ask the caller for a day and a time, for example "Tuesday at 3 PM".` };
  return said;
}

const sameClock = (a: Clock, b: Clock): boolean => a.h === b.h && a.m === b.m && a.meridiem === b.meridiem;

/** "3", "3:30pm", "15:00", "half past 3", "quarter to 4", "noon", "midnight". */
export function parseClock(text: string): Clock | WhenError {
  const t = text.trim();
  if (t === 'noon') return { h: 12, m: 0, fixed: true };
  if (t === 'midnight') return { h: 24, m: 0, fixed: true };
  const m = /^(?:(half|quarter|\d{1,2})\s+(?:minutes?\s+)?(past|to)\s+)?(\d{1,2})(?:[:.\s](\d{2}))?\s*(am|pm)?$/.exec(t);
  if (!m) return { error: `Could not read the time "${t}". Ask the caller for the time again, for example "3 PM".` };
  let h = Number(m[3]);
  let min = m[4] ? Number(m[4]) : 0;
  if (m[1]) {
    const offset = m[1] === 'half' ? 30 : m[1] === 'quarter' ? 15 : Number(m[1]);
    if (offset >= 60) return { error: `"${t}" is not a time of day. Ask the caller for the time again.` };
    if (m[2] === 'past') min = offset;
    else [h, min] = [h === 1 ? 12 : h === 0 ? 23 : h - 1, 60 - offset];
  }
  if (h > 23 || min > 59) return { error: `"${t}" is not a time of day. Ask the caller for the time again.` };
  const meridiem = m[5] as Clock['meridiem'];
  if (meridiem && (h > 12 || h === 0)) return { error: `"${t}" mixes a 24-hour time with AM/PM. Ask the caller for the time again.` };
  return { h, m: min, meridiem, fixed: !meridiem && (h === 0 || h >= 13 || /^0\d/.test(m[3])) };
}

/** The explicit calendar date in the words, if any: ISO, month names, unambiguous numeric, "the 3rd". */
function takeDate(take: (re: RegExp) => RegExpExecArray | null, today: Temporal.PlainDate): DaySaid | WhenError | undefined {
  const build = (said: string, year: number | undefined, month: number, day: number): DaySaid | WhenError => {
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
    // 9/12 is 9 December in most of the world and September 12 in the US: ask, never guess.
    const [a, b, year] = [Number(m[1]), Number(m[2]), fullYear(m[3])];
    const readings = [build(m[0], year, b, a), build(m[0], year, a, b)].filter((r) => !('error' in r)) as DaySaid[];
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
