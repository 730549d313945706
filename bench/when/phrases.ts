import { Temporal } from 'temporal-polyfill';
import { ASK, BUSINESS, CALLER, MINE, bareWeekday, businessHour, callerSays, comingDow, dt, exact, mondayOf, named, nextDate, span, wholeDays, type ClockRule, type Ctx, type Expected, type Labelled } from './label.ts';

// The evaluation set: how callers say when, each phrase labelled with what it means as wall-clock
// times on the clock it is read on. Labels are written from the documented rules (docs/booking.md),
// never by calling the resolver.

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const PARTS: Record<string, [number, number]> = { morning: [8, 12], afternoon: [12, 17], evening: [17, 21], 'first thing': [8, 10], 'after lunch': [13, 17], lunchtime: [12, 14] };
const ord = (n: number): string => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
const tomorrow = (c: Ctx): Temporal.PlainDate => c.today.add({ days: 1 });
const plus12 = (h: number): number => (h === 12 ? 12 : h + 12);
const am = (h: number): number => (h === 12 ? 0 : h);

const set: Labelled[] = [];
function add(template: string, phrase: string, expect: (c: Ctx) => Expected, clock: ClockRule = CALLER): void {
  set.push({ template, phrase, expect, clock });
}

// Exact clock times tomorrow, every spelling of the hour.
for (let h = 1; h <= 12; h++) {
  add('tomorrow at H am/pm', `tomorrow at ${h} pm`, (c) => exact(tomorrow(c), plus12(h)));
  add('tomorrow at H am/pm', `tomorrow at ${h}am`, (c) => exact(tomorrow(c), am(h)));
  add('tomorrow at H (business hours)', `tomorrow at ${h}`, (c) => exact(tomorrow(c), businessHour(h)));
}
for (let h = 1; h <= 11; h++) add('H:30 pm tomorrow', `${h}:30 p.m. tomorrow`, (c) => exact(tomorrow(c), h + 12, 30));
for (const [word, h] of [['two', 2], ['three', 3], ['four', 4], ['nine', 9], ['ten', 10]] as const) add('spelled hour', `tomorrow at ${word} o'clock`, (c) => exact(tomorrow(c), businessHour(h)));
add('DST-prone hour', 'tomorrow at 2:30am', (c) => exact(tomorrow(c), 2, 30));
add('DST-prone hour', 'tomorrow at 1:30 am', (c) => exact(tomorrow(c), 1, 30));
add('quarter/half', 'half past three tomorrow', (c) => exact(tomorrow(c), 15, 30));
add('quarter/half', 'quarter to four tomorrow', (c) => exact(tomorrow(c), 15, 45));

// Parts of the day.
for (const [part, [a, b]] of Object.entries(PARTS)) {
  add('tomorrow PART', `tomorrow ${part === 'lunchtime' ? 'at lunchtime' : part}`, (c) => span(tomorrow(c), a, b));
  add('PART tomorrow', `${part === 'morning' || part === 'afternoon' || part === 'evening' ? 'in the ' : ''}${part} tomorrow`, (c) => span(tomorrow(c), a, b));
  add('day after tomorrow PART', `the day after tomorrow ${part === 'lunchtime' ? 'at lunch' : part}`, (c) => span(c.today.add({ days: 2 }), a, b));
}
add('tonight', 'tonight', (c) => span(c.today, 17, 21));
add('tonight', 'this evening', (c) => span(c.today, 17, 21));
add('tonight', 'this afternoon', (c) => span(c.today, 12, 17));
for (const h of [8, 9, 10, 11]) add('tonight at H', `tonight at ${h}`, (c) => exact(c.today, h + 12));
add('midnight tonight', 'midnight tonight', (c) => exact(c.today, 24));
add('midnight tonight', 'tonight at midnight', (c) => exact(c.today, 24));

// Weekdays.
WEEKDAYS.forEach((name, i) => {
  const wd = i + 1;
  const Name = name[0].toUpperCase() + name.slice(1);
  add('WEEKDAY', Name, (c) => wholeDays(bareWeekday(c, wd, (d) => dt(d, 17))));
  for (const [said, h, m] of [['2 pm', 14, 0], ['4', 16, 0], ['9am', 9, 0], ['10:30 am', 10, 30]] as const) {
    add('WEEKDAY at H', `${name} at ${said}`, (c) => exact(bareWeekday(c, wd, (d) => dt(d, h, m)), h, m));
  }
  for (const part of ['morning', 'afternoon', 'evening'] as const) {
    const [a, b] = PARTS[part];
    add('WEEKDAY PART', `${Name} ${part}`, (c) => span(bareWeekday(c, wd, (d) => dt(d, b)), a, b));
  }
  add('WEEKDAY at noon', `${name} at noon`, (c) => exact(bareWeekday(c, wd, (d) => dt(d, 12)), 12));
  add('next WEEKDAY', `next ${Name}`, (c) => wholeDays(mondayOf(c.today).add({ days: 7 + wd - 1 })));
  add('next WEEKDAY at 11am', `next ${name} at 11am`, (c) => exact(mondayOf(c.today).add({ days: 7 + wd - 1 }), 11));
  add('this WEEKDAY', `this ${name}`, (c) => {
    const d = mondayOf(c.today).add({ days: wd - 1 });
    return Temporal.PlainDate.compare(d, c.today) < 0 ? ASK : wholeDays(d);
  });
  add('a week from WEEKDAY', `a week from ${name}`, (c) => wholeDays(comingDow(c.today, wd).add({ days: 7 })));
  add('after H on WEEKDAY', `after 5 on ${name}`, (c) => {
    const d = bareWeekday(c, wd, (x) => dt(x, 24));
    return span(d, 17, 24);
  });
  add('between 2 and 4 on WEEKDAY', `from 2 to 4 on ${name}`, (c) => span(bareWeekday(c, wd, (x) => dt(x, 16)), 14, 16));
  add('WEEKDAY your time', `${name} at 10am your time`, (c) => exact(bareWeekday(c, wd, (d) => dt(d, 10)), 10), BUSINESS);
  add('WEEKDAY afternoon my time', `${name} afternoon my time`, (c) => span(bareWeekday(c, wd, (d) => dt(d, 17)), 12, 17), MINE);
  add('repeated', `${name} ${name}`, (c) => wholeDays(bareWeekday(c, wd, (d) => dt(d, 17))));
  const other = WEEKDAYS[(i + 2) % 7];
  add('correction: WEEKDAY at 3, no, OTHER', `${name} at 3, no, ${other}`, (c) => {
    const owd = ((i + 2) % 7) + 1;
    return exact(bareWeekday(c, owd, (d) => dt(d, 15)), 15);
  });
});
add('a week from today', 'a week from today', (c) => wholeDays(c.today.add({ days: 7 })));
add('a week from today', 'a week tomorrow', (c) => wholeDays(c.today.add({ days: 8 })));
add('a week from today', 'two weeks from friday', (c) => wholeDays(comingDow(c.today, 5).add({ days: 14 })));
add('in N weeks', 'in a week', (c) => wholeDays(c.today.add({ days: 7 })));
add('in N weeks', 'in 2 weeks', (c) => wholeDays(c.today.add({ days: 14 })));

// Weeks.
const weekSpan = (which: 0 | 1, a: number, b: number) => (c: Ctx) => {
  const monday = mondayOf(c.today).add({ days: 7 * which });
  return span(monday.add({ days: a }), 0, 0, monday.add({ days: b }));
};
add('week', 'early next week', weekSpan(1, 0, 2));
add('week', 'late next week', weekSpan(1, 3, 5));
add('week', 'later next week', weekSpan(1, 3, 5));
add('week', 'end of next week', weekSpan(1, 3, 5));
add('week', 'at the end of the week', weekSpan(0, 3, 5));
add('week', 'end of this week', weekSpan(0, 3, 5));
add('week', 'middle of next week', weekSpan(1, 2, 4));
add('week', 'mid next week', weekSpan(1, 2, 4));
add('week', 'next week', weekSpan(1, 0, 7));
add('week', 'this week', weekSpan(0, 0, 7));
add('week', 'later this week', weekSpan(0, 0, 7));
add('week', 'this weekend', weekSpan(0, 5, 7));
add('week', 'the weekend', weekSpan(0, 5, 7));
add('week', 'next weekend', weekSpan(1, 5, 7));
add('week', 'early this week', weekSpan(0, 0, 2));

// Counting from now.
for (const n of [5, 10, 15, 20, 30, 45, 90]) add('in N minutes', `in ${n} minutes`, () => ({ kind: 'in', minutes: n }));
for (const n of [2, 3, 4, 6]) add('in N hours', `in ${n} hours`, () => ({ kind: 'in', minutes: 60 * n }));
add('in N hours', 'in an hour', () => ({ kind: 'in', minutes: 60 }));
add('in N hours', 'in half an hour', () => ({ kind: 'in', minutes: 30 }));
add('in N hours', 'in an hour and a half', () => ({ kind: 'in', minutes: 90 }));
for (const n of [2, 3, 5, 10]) add('in N days', `in ${n} days`, (c) => wholeDays(c.today.add({ days: n })));
add('in N days', 'the day after tomorrow', (c) => wholeDays(c.today.add({ days: 2 })));
add('in N days', 'tomorrow', (c) => wholeDays(tomorrow(c)));
add('in N days', 'today', (c) => wholeDays(c.today));

// Dates.
MONTHS.forEach((Month, i) => {
  for (const day of [9, 15]) {
    add('MONTH D', `${Month} ${day}`, (c) => {
      const d = nextDate(c.today, i + 1, day);
      return d ? wholeDays(d) : ASK;
    });
    add('the Dth of MONTH', `the ${ord(day)} of ${Month}`, (c) => {
      const d = nextDate(c.today, i + 1, day);
      return d ? wholeDays(d) : ASK;
    });
  }
  add('MONTH D at H', `${Month} 20th at 10am`, (c) => {
    const d = nextDate(c.today, i + 1, 20);
    return d ? exact(d, 10) : ASK;
  });
});
for (const day of [1, 5, 9, 13, 20, 28, 30, 31]) {
  add('the Dth', `the ${ord(day)}`, (c) => {
    const month = day >= c.today.day ? c.today : c.today.add({ months: 1 }).with({ day: 1 });
    try {
      return wholeDays(Temporal.PlainDate.from({ year: month.year, month: month.month, day }, { overflow: 'reject' }));
    } catch {
      return ASK;
    }
  });
}
for (const [a, b] of [[9, 12], [12, 9], [25, 12], [12, 25], [13, 1], [1, 13], [31, 12], [7, 4], [4, 7], [30, 2], [6, 6]] as const) {
  add('numeric date', `${a}/${b}`, (c) => {
    const readings = [nextDate(c.today, b, a), nextDate(c.today, a, b)].filter((d) => d !== undefined);
    const distinct = new Set(readings.map((d) => d.toString()));
    return distinct.size === 1 ? wholeDays(readings[0]) : ASK;
  });
}
add('ISO date', '2027-01-15', () => wholeDays(Temporal.PlainDate.from('2027-01-15')));
add('ISO date', '2027-01-15 at 9:30', () => exact(Temporal.PlainDate.from('2027-01-15'), 9, 30));

// Ranges and bounds.
for (const [a, b, from, to] of [[2, 4, 14, 16], [9, 11, 9, 11], [10, 12, 10, 12], [1, 3, 13, 15], [3, 5, 15, 17]] as const) {
  add('between A and B tomorrow', `between ${a} and ${b} tomorrow`, (c) => span(tomorrow(c), from, to));
}
add('A-B pm tomorrow', '2-4pm tomorrow', (c) => span(tomorrow(c), 14, 16));
add('after A but before B', 'after 2 but before 5 tomorrow', (c) => span(tomorrow(c), 14, 17));
add('before H tomorrow', 'before 11 tomorrow', (c) => span(tomorrow(c), 0, 11));
add('before H tomorrow', 'before noon tomorrow', (c) => span(tomorrow(c), 0, 12));
add('before H tomorrow', 'tomorrow no later than 4', (c) => span(tomorrow(c), 0, 16));
add('after H tomorrow', 'tomorrow after 3', (c) => span(tomorrow(c), 15, 24));
add('after H tomorrow', 'tomorrow morning after 10', (c) => span(tomorrow(c), 10, 12));
add('noon', 'noon tomorrow', (c) => exact(tomorrow(c), 12));
add('noon', 'tomorrow at midday', (c) => exact(tomorrow(c), 12));

// Whose clock.
for (const h of [1, 2, 3, 4, 5]) add('tomorrow at H pm your time', `tomorrow at ${h} pm your time`, (c) => exact(tomorrow(c), h + 12), BUSINESS);
for (const h of [9, 10, 11, 2, 3, 4]) add('tomorrow at H my time', `tomorrow at ${h} my time`, (c) => exact(tomorrow(c), businessHour(h)), MINE);
add('after 5 my time on thursday', 'after 5 my time on thursday', (c) => span(bareWeekday(c, 4, (d) => dt(d, 24)), 17, 24), MINE);
const NAMED: [string, string][] = [['London time', 'Europe/London'], ['Eastern', 'America/New_York'], ['Pacific time', 'America/Los_Angeles'], ['New York time', 'America/New_York'], ['Tokyo time', 'Asia/Tokyo'], ['UTC', 'UTC'], ['CET', 'Europe/Berlin'], ['Warsaw time', 'Europe/Warsaw']];
for (const [said, zone] of NAMED) {
  for (const h of [1, 3]) add('tomorrow at H pm ZONE', `tomorrow at ${h}pm ${said}`, (c) => exact(tomorrow(c), h + 12), named(zone));
}
add('caller says where', "tomorrow at 3, I'm in Chicago", (c) => exact(tomorrow(c), 15), callerSays('America/Chicago'));
add('caller says where', 'here in Berlin, friday at 10', (c) => exact(bareWeekday(c, 5, (d) => dt(d, 10)), 10), callerSays('Europe/Berlin'));
add('caller says where', "I'm calling from Tokyo, tomorrow morning", (c) => span(tomorrow(c), 8, 12), callerSays('Asia/Tokyo'));
add('contradictory zones', '3 pm my time, Warsaw time', (c) => exact(c.today, 15), callerSays('Europe/Warsaw'));

// Corrections within one phrase.
add('correction', 'tomorrow at 10, sorry, 11', (c) => exact(tomorrow(c), 11));
add('correction', 'tomorrow morning, actually afternoon', (c) => span(tomorrow(c), 12, 17));
add('correction', 'friday, I mean thursday', (c) => wholeDays(bareWeekday(c, 4, (d) => dt(d, 17))));
add('correction', 'tomorrow at 3, no wait, 4', (c) => exact(tomorrow(c), 16));
add('repeated', 'tomorrow at 3 tomorrow at 3', (c) => exact(tomorrow(c), 15));
add('politeness', 'tomorrow at 3 works for me', (c) => exact(tomorrow(c), 15));
add('politeness', 'friday morning if that works for you', (c) => span(bareWeekday(c, 5, (d) => dt(d, 12)), 8, 12));
add('politeness', 'maybe around 4 tomorrow please', (c) => exact(tomorrow(c), 16));

// What must be asked, never guessed.
const ASKS = [
  'midnight',
  'sometime',
  'whenever',
  'tomorrow morning at 3pm',
  'at 3 or 4',
  'next week at 3',
  'early next week in the morning',
  'the other tuesday',
  'tomorrow at 25:00',
  'february 30',
  'yesterday',
  'teatime',
  'tomorrow teatime',
  'in 2 hours tomorrow',
  '3pm London time or 4pm Paris time',
  '3 pm my time your time',
  'monday or tuesday',
  'the morning or the afternoon',
  'tomorrow at midnight',
];
for (const phrase of ASKS) add('ask', phrase, () => ASK);
add('two days that may agree', 'tomorrow, thursday', (c) => (tomorrow(c).dayOfWeek === 4 ? wholeDays(tomorrow(c)) : ASK));

/** The labelled evaluation set. */
export const PHRASES: readonly Labelled[] = set;
