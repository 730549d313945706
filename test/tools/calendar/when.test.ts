import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { fromUtc, isPast, parseTimeZone, refusePast, resolveWhen, sayTime, toStored, toUtc, zoneLabel, type WhenError, type WhenRange } from '../../../src/tools/calendar/when.ts';

const WARSAW = 'Europe/Warsaw';
const NEW_YORK = 'America/New_York';
/** Tuesday 2026-11-24, 10:00 in Warsaw. */
const TUESDAY_10 = Temporal.Instant.from('2026-11-24T09:00:00Z');

function resolve(phrase: string, now: Temporal.Instant | string = TUESDAY_10, timeZone = WARSAW): WhenRange {
  const r = resolveWhen(phrase, { now: typeof now === 'string' ? Temporal.Instant.from(now) : now, timeZone });
  if ('error' in r) assert.fail(`"${phrase}" → ${r.error}`);
  return r;
}

function refused(phrase: string, now: Temporal.Instant | string = TUESDAY_10, timeZone = WARSAW): string {
  const r: WhenRange | WhenError = resolveWhen(phrase, { now: typeof now === 'string' ? Temporal.Instant.from(now) : now, timeZone });
  assert.ok('error' in r, `"${phrase}" should be refused, got ${'error' in r ? '' : r.description}`);
  return r.error;
}

/** The wall clock with its offset, e.g. "2026-03-29T09:00:00+02:00". */
const wall = (z: Temporal.ZonedDateTime | undefined): string | undefined => z?.toString({ timeZoneName: 'never' });
const exactOf = (phrase: string, now?: Temporal.Instant | string, zone?: string): string | undefined => wall(resolve(phrase, now, zone).exact);
const dateOf = (phrase: string, now?: Temporal.Instant | string, zone?: string): string => resolve(phrase, now, zone).from.toPlainDate().toString();

describe('resolveWhen: clock times', () => {
  it('reads "3 PM" in every spelling as 15:00, never 03:00', () => {
    for (const phrase of ['3 PM', '3pm', '3 p.m.', '3 P.M.', 'three pm', '15:00', 'at 3', '3', "3 o'clock", 'three in the afternoon']) {
      assert.equal(exactOf(phrase), '2026-11-24T15:00:00+01:00', phrase);
    }
  });

  it('reads minutes, noon and "half past"', () => {
    assert.equal(exactOf('3:30 p.m.'), '2026-11-24T15:30:00+01:00');
    assert.equal(exactOf('tomorrow at noon'), '2026-11-25T12:00:00+01:00');
    assert.equal(exactOf('midday tomorrow'), '2026-11-25T12:00:00+01:00');
    assert.equal(exactOf('half past three'), '2026-11-24T15:30:00+01:00');
    assert.equal(exactOf('quarter to four tomorrow'), '2026-11-25T15:45:00+01:00');
    assert.equal(exactOf('nine oh five tomorrow morning'), '2026-11-25T09:05:00+01:00');
  });

  it('reads a bare hour in business hours: 1–7 are PM, 8–11 AM, 12 is noon', () => {
    assert.equal(exactOf('tomorrow at 7'), '2026-11-25T19:00:00+01:00');
    assert.equal(exactOf('tomorrow at 1'), '2026-11-25T13:00:00+01:00');
    assert.equal(exactOf('tomorrow at 8'), '2026-11-25T08:00:00+01:00');
    assert.equal(exactOf('tomorrow at 11'), '2026-11-25T11:00:00+01:00');
    assert.equal(exactOf('tomorrow at 12'), '2026-11-25T12:00:00+01:00');
  });

  it('lets am/pm or the part of the day overrule the business-hours guess', () => {
    assert.equal(exactOf('tomorrow at 3 in the morning'), '2026-11-25T03:00:00+01:00');
    assert.equal(exactOf('tomorrow at 3am'), '2026-11-25T03:00:00+01:00');
    assert.equal(exactOf('tomorrow evening at 9'), '2026-11-25T21:00:00+01:00');
    assert.equal(exactOf('tonight at 10'), '2026-11-24T22:00:00+01:00');
    assert.equal(exactOf('12 am tomorrow'), '2026-11-25T00:00:00+01:00');
  });

  it('refuses times that contradict themselves or cannot be read', () => {
    assert.match(refused('tomorrow morning at 3pm'), /not in the morning/);
    assert.match(refused('tomorrow at 25:00'), /not a time of day/);
    assert.match(refused('tomorrow at 3 or 4'), /more than one time/);
    assert.match(refused('midnight'), /ambiguous/i);
    assert.match(refused('tomorrow teatime'), /"teatime".*Ask the caller/);
    assert.match(refused('whenever'), /Ask the caller/);
  });
});

describe('resolveWhen: days and parts of the day', () => {
  it('spans the rest of today, from now', () => {
    const r = resolve('today');
    assert.equal(wall(r.from), '2026-11-24T10:00:00+01:00');
    assert.equal(wall(r.to), '2026-11-25T00:00:00+01:00');
    assert.equal(r.exact, undefined);
    assert.equal(r.zone, WARSAW);
  });

  it('spans whole days for tomorrow and the day after', () => {
    const r = resolve('tomorrow');
    assert.equal(wall(r.from), '2026-11-25T00:00:00+01:00');
    assert.equal(wall(r.to), '2026-11-26T00:00:00+01:00');
    assert.equal(dateOf('the day after tomorrow'), '2026-11-26');
    assert.equal(dateOf('in 3 days'), '2026-11-27');
  });

  it('uses morning 08–12, afternoon 12–17, evening 17–21', () => {
    const span = (p: string): string => `${wall(resolve(p).from)} ${wall(resolve(p).to)}`;
    assert.equal(span('tomorrow morning'), '2026-11-25T08:00:00+01:00 2026-11-25T12:00:00+01:00');
    assert.equal(span('tomorrow afternoon'), '2026-11-25T12:00:00+01:00 2026-11-25T17:00:00+01:00');
    assert.equal(span('tomorrow evening'), '2026-11-25T17:00:00+01:00 2026-11-25T21:00:00+01:00');
    assert.equal(span('tonight'), '2026-11-24T17:00:00+01:00 2026-11-24T21:00:00+01:00');
    assert.equal(span('this afternoon'), '2026-11-24T12:00:00+01:00 2026-11-24T17:00:00+01:00');
  });

  it('starts a part of today that has begun at now, and refuses one that is over', () => {
    assert.equal(wall(resolve('this afternoon', '2026-11-24T13:30:00Z').from), '2026-11-24T14:30:00+01:00');
    assert.match(refused('this morning', '2026-11-24T12:00:00Z'), /^that time has already passed/);
  });

  it('spans this week from now and next week Monday to Monday', () => {
    const thisWeek = resolve('this week');
    assert.equal(wall(thisWeek.from), '2026-11-24T10:00:00+01:00');
    assert.equal(wall(thisWeek.to), '2026-11-30T00:00:00+01:00');
    const nextWeek = resolve('next week');
    assert.equal(wall(nextWeek.from), '2026-11-30T00:00:00+01:00');
    assert.equal(wall(nextWeek.to), '2026-12-07T00:00:00+01:00');
    assert.match(refused('next week at 3'), /which day/);
  });

  it('reads spans bounded by a time', () => {
    const after = resolve('tomorrow after 3');
    assert.equal(wall(after.from), '2026-11-25T15:00:00+01:00');
    assert.equal(wall(after.to), '2026-11-26T00:00:00+01:00');
    const between = resolve('between 2 and 4 tomorrow');
    assert.equal(wall(between.from), '2026-11-25T14:00:00+01:00');
    assert.equal(wall(between.to), '2026-11-25T16:00:00+01:00');
  });

  it('gives an exact time a search span to the end of its day', () => {
    const r = resolve('tomorrow at 3pm');
    assert.equal(wall(r.from), '2026-11-25T15:00:00+01:00');
    assert.equal(wall(r.to), '2026-11-26T00:00:00+01:00');
    assert.match(r.description, /Wednesday 2026-11-25 15:00 Europe\/Warsaw \(UTC\+01:00\)/);
  });
});

describe('resolveWhen: weekdays', () => {
  it('reads a bare weekday as the next one', () => {
    assert.equal(dateOf('Wednesday'), '2026-11-25');
    assert.equal(dateOf('Monday'), '2026-11-30');
    assert.equal(dateOf('friday'), '2026-11-27');
  });

  it('reads today’s weekday as today while the asked-for time is still ahead, else next week', () => {
    assert.equal(exactOf('Tuesday at 3'), '2026-11-24T15:00:00+01:00');
    assert.equal(exactOf('Tuesday at 9'), '2026-12-01T09:00:00+01:00');
    assert.equal(dateOf('Tuesday'), '2026-11-24');
    assert.equal(dateOf('Tuesday morning', '2026-11-24T11:30:00Z'), '2026-12-01');
    // With no time, "still ahead" means before the 17:00 close of business.
    assert.equal(dateOf('Tuesday', '2026-11-24T15:59:00Z'), '2026-11-24');
    assert.equal(dateOf('Tuesday', '2026-11-24T16:00:00Z'), '2026-12-01');
  });

  it('reads "next Tuesday" as the Tuesday of next week, even said on a Monday', () => {
    assert.equal(dateOf('next Tuesday'), '2026-12-01');
    assert.equal(dateOf('next Wednesday'), '2026-12-02');
    const monday = '2026-11-23T09:00:00Z';
    assert.equal(dateOf('Tuesday', monday), '2026-11-24');
    assert.equal(dateOf('next Tuesday', monday), '2026-12-01');
    assert.equal(exactOf('next Tuesday at 3', monday), '2026-12-01T15:00:00+01:00');
    assert.equal(dateOf('Tuesday next week', monday), '2026-12-01');
  });

  it('reads "this Friday" in this week and refuses a "this Monday" that has passed', () => {
    assert.equal(dateOf('this Friday'), '2026-11-27');
    assert.match(refused('this Monday'), /already passed.*next Monday, 2026-11-30/);
  });

  it('requires a weekday to agree with the other day words', () => {
    assert.equal(dateOf('tomorrow, Wednesday'), '2026-11-25');
    assert.equal(dateOf('Friday the 27th'), '2026-11-27');
    assert.match(refused('tomorrow Thursday'), /is a Wednesday, not a Thursday/);
    assert.match(refused('Friday the 28th'), /is a Saturday, not a Friday/);
  });
});

describe('resolveWhen: dates', () => {
  it('reads month names in either order and ISO dates', () => {
    for (const phrase of ['December 3', '3 December', '3rd of December', 'the third of December', 'Dec. 3rd', '2026-12-03', 'Thursday, December 3rd']) {
      assert.equal(dateOf(phrase), '2026-12-03', phrase);
    }
    assert.equal(exactOf('December 3 at 10am'), '2026-12-03T10:00:00+01:00');
    assert.equal(exactOf('2026-12-03T15:00'), '2026-12-03T15:00:00+01:00');
  });

  it('takes the next occurrence of a date without a year', () => {
    assert.equal(dateOf('January 5'), '2027-01-05');
    assert.equal(dateOf('the 30th'), '2026-11-30');
    assert.equal(dateOf('the 2nd'), '2026-12-02');
  });

  it('refuses numeric dates that read two ways, and accepts those that read one way', () => {
    assert.match(refused('12/03'), /12 March or 3 December.*month by name/);
    assert.equal(dateOf('12/25'), '2026-12-25');
    assert.equal(dateOf('25/12'), '2026-12-25');
  });

  it('refuses dates that do not exist or have passed', () => {
    assert.match(refused('February 30'), /not a date/);
    assert.match(refused('2026-11-01'), /^that time has already passed/);
    assert.match(refused('yesterday'), /^that time has already passed/);
  });
});

describe('resolveWhen: time zones', () => {
  it('reads the phrase in the business zone unless it names another', () => {
    const r = resolve('tomorrow at 3pm New York time');
    assert.equal(r.zone, NEW_YORK);
    assert.equal(wall(r.exact), '2026-11-25T15:00:00-05:00');
    assert.equal(toUtc(r.exact!), '2026-11-25T20:00:00Z');
    assert.equal(wall(r.exact!.withTimeZone(WARSAW)), '2026-11-25T21:00:00+01:00');
  });

  it('knows cities, regions, abbreviations, offsets and IANA names', () => {
    const cases: [string, string, string][] = [
      ['Friday 10am London time', 'Europe/London', '2026-11-27T10:00:00+00:00'],
      ['tomorrow at 3pm in London', 'Europe/London', '2026-11-25T15:00:00+00:00'],
      ['tomorrow 3pm CET', 'Europe/Berlin', '2026-11-25T15:00:00+01:00'],
      ['tomorrow 2pm Eastern', NEW_YORK, '2026-11-25T14:00:00-05:00'],
      ['tomorrow 9am PT', 'America/Los_Angeles', '2026-11-25T09:00:00-08:00'],
      ['tomorrow 3pm UTC', 'UTC', '2026-11-25T15:00:00+00:00'],
      ['tomorrow 3pm GMT+2', '+02:00', '2026-11-25T15:00:00+02:00'],
      ['tomorrow 3pm utc minus 5', '-05:00', '2026-11-25T15:00:00-05:00'],
      ['tomorrow at 15:00 America/Chicago', 'America/Chicago', '2026-11-25T15:00:00-06:00'],
    ];
    for (const [phrase, zone, exact] of cases) {
      const r = resolve(phrase);
      assert.equal(r.zone, zone, phrase);
      assert.equal(wall(r.exact), exact, phrase);
    }
  });

  it('counts "tomorrow" and weekdays from the named zone’s own date', () => {
    // 01:00 Wednesday in Warsaw is still 19:00 Tuesday in New York.
    const now = '2026-11-25T00:00:00Z';
    assert.equal(exactOf('tomorrow at 9am', now), '2026-11-26T09:00:00+01:00');
    assert.equal(exactOf('tomorrow at 9am New York time', now), '2026-11-25T09:00:00-05:00');
  });

  it('asks where the caller is for "my time" and refuses two zones', () => {
    assert.match(refused('3pm my time'), /which city or time zone/);
    assert.equal(exactOf("tomorrow 3pm my time, I'm in New York"), '2026-11-25T15:00:00-05:00');
    assert.match(refused('3pm London time or 4pm Paris time'), /more than one time zone/);
  });

  it('reads "my time" in the caller’s zone when it is known, "your time" in the business zone', () => {
    const now = TUESDAY_10;
    const mine = resolveWhen('tomorrow at 3pm my time', { now, timeZone: WARSAW, callerZone: NEW_YORK });
    assert.ok(!('error' in mine));
    assert.equal(wall(mine.exact), '2026-11-25T15:00:00-05:00');
    const yours = resolveWhen('tomorrow at 3pm your time', { now, timeZone: WARSAW, callerZone: NEW_YORK });
    assert.ok(!('error' in yours));
    assert.equal(wall(yours.exact), '2026-11-25T15:00:00+01:00');
    const clash = resolveWhen('3pm my time, London', { now, timeZone: WARSAW, callerZone: NEW_YORK });
    assert.match('error' in clash ? clash.error : '', /which time zone/);
  });

  it('finds a zone in what a caller says about where they are', () => {
    assert.equal(parseTimeZone("I'm in New York"), NEW_YORK);
    assert.equal(parseTimeZone('Pacific time'), 'America/Los_Angeles');
    assert.equal(parseTimeZone('europe/lisbon'), 'Europe/Lisbon');
    assert.equal(parseTimeZone('somewhere nice'), undefined);
    assert.equal(zoneLabel(NEW_YORK), 'New York');
    assert.equal(zoneLabel('+05:30'), 'UTC+5:30');
  });
});

describe('resolveWhen: relative times and the past', () => {
  it('counts "in 2 hours" and "in an hour" from now', () => {
    assert.equal(exactOf('in 2 hours'), '2026-11-24T12:00:00+01:00');
    assert.equal(exactOf('in an hour'), '2026-11-24T11:00:00+01:00');
    assert.equal(exactOf('in half an hour'), '2026-11-24T10:30:00+01:00');
    assert.equal(exactOf('in an hour and a half'), '2026-11-24T11:30:00+01:00');
    assert.match(refused('in 2 hours tomorrow'), /one time/);
  });

  it('refuses an exact time that has passed, suggesting tomorrow', () => {
    const error = refused('at 9');
    assert.match(error, /^that time has already passed/);
    assert.match(error, /tomorrow/);
    assert.match(refused('today at 10am'), /^that time has already passed/);
  });

  it('tells past from future instants', () => {
    assert.equal(isPast('2026-11-24T08:59:59Z', TUESDAY_10), true);
    assert.equal(isPast(Temporal.Instant.from('2026-11-24T09:00:01Z'), TUESDAY_10), false);
    assert.deepEqual(refusePast('2026-11-24T09:00:00Z', TUESDAY_10), { error: 'that time has already passed' });
    assert.equal(refusePast('2026-11-24T10:00:00Z', TUESDAY_10), undefined);
  });
});

describe('resolveWhen: daylight saving', () => {
  it('gives "tomorrow at 9am" the new offset the day clocks go forward (Warsaw, 2026-03-29)', () => {
    const r = resolve('tomorrow at 9am', '2026-03-28T11:00:00Z');
    assert.equal(wall(r.exact), '2026-03-29T09:00:00+02:00');
    assert.equal(toUtc(r.exact!), '2026-03-29T07:00:00Z');
    assert.equal(r.dst, undefined);
    const day = resolve('tomorrow', '2026-03-28T11:00:00Z');
    assert.equal(day.from.until(day.to).total('hours'), 23);
  });

  it('moves a skipped time forward and flags it (Warsaw, 2:30 on 2026-03-29)', () => {
    const r = resolve('tomorrow at 2:30 am', '2026-03-28T11:00:00Z');
    assert.equal(wall(r.exact), '2026-03-29T03:30:00+02:00');
    assert.equal(r.dst?.kind, 'gap');
    assert.match(r.dst!.note, /02:30 does not exist/);
    assert.match(r.description, /does not exist/);
    // Said on the day itself, half an hour after midnight.
    const same = resolve('2:30 am', '2026-03-28T23:30:00Z');
    assert.equal(wall(same.exact), '2026-03-29T03:30:00+02:00');
    assert.equal(same.dst?.kind, 'gap');
  });

  it('takes the earlier of a repeated time and flags it (Warsaw, 2:30 on 2026-10-25)', () => {
    const r = resolve('tomorrow at 2:30am', '2026-10-24T10:00:00Z');
    assert.equal(wall(r.exact), '2026-10-25T02:30:00+02:00');
    assert.equal(toUtc(r.exact!), '2026-10-25T00:30:00Z');
    assert.equal(r.dst?.kind, 'overlap');
    assert.equal(wall(resolve('tomorrow at 9am', '2026-10-24T10:00:00Z').exact), '2026-10-25T09:00:00+01:00');
    const day = resolve('tomorrow', '2026-10-24T10:00:00Z');
    assert.equal(day.from.until(day.to).total('hours'), 25);
  });

  it('handles New York’s changes (2026-03-08 forward, 2026-11-01 back)', () => {
    assert.equal(exactOf('tomorrow at 9am', '2026-03-07T17:00:00Z', NEW_YORK), '2026-03-08T09:00:00-04:00');
    const gap = resolve('tomorrow at 2:30am', '2026-03-07T17:00:00Z', NEW_YORK);
    assert.equal(wall(gap.exact), '2026-03-08T03:30:00-04:00');
    assert.equal(gap.dst?.kind, 'gap');
    assert.equal(exactOf('tomorrow at 9am', '2026-10-31T16:00:00Z', NEW_YORK), '2026-11-01T09:00:00-05:00');
    const overlap = resolve('tomorrow at 1:30am', '2026-10-31T16:00:00Z', NEW_YORK);
    assert.equal(wall(overlap.exact), '2026-11-01T01:30:00-04:00');
    assert.equal(overlap.dst?.kind, 'overlap');
  });

  it('converts between zones whose clocks change on different weeks', () => {
    // 2026-03-08: New York is already on summer time, Warsaw not until the 29th.
    const r = resolve('tomorrow at 9am New York time', '2026-03-07T12:00:00Z');
    assert.equal(toUtc(r.exact!), '2026-03-08T13:00:00Z');
    assert.equal(wall(r.exact!.withTimeZone(WARSAW)), '2026-03-08T14:00:00+01:00');
  });
});

describe('resolveWhen: around midnight', () => {
  it('reads "tomorrow" at 23:59 local as the next date', () => {
    assert.equal(dateOf('tomorrow', '2026-11-24T22:59:00Z'), '2026-11-25');
  });

  it('reads "tomorrow" at 00:01 local by the local date, not the UTC one', () => {
    // 00:01 on Wednesday in Warsaw is 23:01 on Tuesday in UTC.
    assert.equal(dateOf('tomorrow', '2026-11-24T23:01:00Z'), '2026-11-26');
    assert.equal(dateOf('today', '2026-11-24T23:01:00Z'), '2026-11-25');
    // 21:00 on Tuesday in New York is already Wednesday in UTC.
    assert.equal(dateOf('tomorrow', '2026-11-25T02:00:00Z', NEW_YORK), '2026-11-25');
  });
});

describe('sayTime', () => {
  const now = TUESDAY_10;
  it('says today, tomorrow, or the weekday and date', () => {
    assert.equal(sayTime('2026-11-24T15:00:00Z', { timeZone: WARSAW, now }), 'today at 4 PM');
    assert.equal(sayTime('2026-11-25T08:30:00Z', { timeZone: WARSAW, now }), 'tomorrow at 9:30 AM');
    assert.equal(sayTime('2026-12-01T14:00:00Z', { timeZone: WARSAW, now }), 'Tuesday, December 1st at 3 PM');
    assert.equal(sayTime(Temporal.Instant.from('2026-12-22T13:05:00Z'), { timeZone: WARSAW, now }), 'Tuesday, December 22nd at 2:05 PM');
    assert.equal(sayTime('2027-01-08T09:00:00Z', { timeZone: WARSAW, now }), 'Friday, January 8th at 10 AM');
    assert.equal(sayTime('2027-12-03T09:00:00Z', { timeZone: WARSAW, now }), 'Friday, December 3rd, 2027 at 10 AM');
  });

  it('says noon and omits zero minutes', () => {
    assert.equal(sayTime('2026-11-25T11:00:00Z', { timeZone: WARSAW, now }), 'tomorrow at noon');
    assert.equal(sayTime('2026-11-25T12:00:00Z', { timeZone: WARSAW, now }), 'tomorrow at 1 PM');
  });

  it('says the caller’s time first, then the business time', () => {
    assert.equal(sayTime('2026-11-25T14:00:00Z', { timeZone: WARSAW, callerZone: NEW_YORK, now }), 'tomorrow at 9 AM your time, 3 PM in Warsaw');
    // 23:30 Tuesday in New York is already Wednesday in Warsaw.
    assert.equal(sayTime('2026-11-25T04:30:00Z', { timeZone: WARSAW, callerZone: NEW_YORK, now }), 'today at 11:30 PM your time, tomorrow at 5:30 AM in Warsaw');
    // Same wall clock: said once.
    assert.equal(sayTime('2026-11-25T14:00:00Z', { timeZone: WARSAW, callerZone: 'Europe/Berlin', now }), 'tomorrow at 3 PM');
  });

  it('uses the offset in force on the day, across a DST change', () => {
    assert.equal(sayTime('2026-03-29T07:00:00Z', { timeZone: WARSAW, now: Temporal.Instant.from('2026-03-28T11:00:00Z') }), 'tomorrow at 9 AM');
  });
});

describe('storing times', () => {
  it('stores UTC plus zone and reads it back', () => {
    const zdt = Temporal.ZonedDateTime.from('2026-12-01T15:00:00+01:00[Europe/Warsaw]');
    assert.equal(toUtc(zdt), '2026-12-01T14:00:00Z');
    assert.deepEqual(toStored(zdt), { utc: '2026-12-01T14:00:00Z', timeZone: WARSAW, local: '2026-12-01T15:00:00+01:00[Europe/Warsaw]' });
    assert.equal(fromUtc('2026-12-01T14:00:00Z', WARSAW).toString(), zdt.toString());
  });
});
