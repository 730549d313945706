// The ways of saying when added for issue 22, and whose clock they are read on, at the resolver.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { resolveWhen, type PreviousWhen, type WhenRange } from '../../../src/tools/calendar/when.ts';

const WARSAW = 'Europe/Warsaw';
/** Tuesday 2026-11-24, 10:00 in Warsaw. */
const NOW = Temporal.Instant.from('2026-11-24T09:00:00Z');

function resolve(phrase: string, o: { callerZone?: string; now?: string; previous?: PreviousWhen } = {}): WhenRange {
  const r = resolveWhen(phrase, { now: o.now ? Temporal.Instant.from(o.now) : NOW, timeZone: WARSAW, callerZone: o.callerZone, previous: o.previous });
  if ('error' in r) assert.fail(`"${phrase}" → ${r.error}`);
  return r;
}
function asks(phrase: string, o: { callerZone?: string; now?: string } = {}): string {
  const r = resolveWhen(phrase, { now: o.now ? Temporal.Instant.from(o.now) : NOW, timeZone: WARSAW, callerZone: o.callerZone });
  assert.ok('error' in r, `"${phrase}" should be a question, got ${'error' in r ? '' : r.description}`);
  assert.match(r.error, /Ask/);
  return r.error;
}
/** "from–to" in UTC. */
const utc = (r: WhenRange): string => `${r.from.toInstant()}–${r.to.toInstant()}`;

describe('whose clock', () => {
  it('reads clock times and parts of the day on the caller’s clock when their zone is known (the issue’s cases)', () => {
    const la = resolve('tomorrow at 3 pm', { callerZone: 'America/Los_Angeles' });
    assert.equal(la.exact?.toInstant().toString(), '2026-11-25T23:00:00Z');
    assert.equal(la.whose, 'caller');
    assert.equal(utc(resolve('tomorrow afternoon', { callerZone: 'America/Los_Angeles' })), '2026-11-25T20:00:00Z–2026-11-26T01:00:00Z');
    assert.equal(utc(resolve('wednesday morning', { callerZone: 'Asia/Tokyo' })), '2026-11-24T23:00:00Z–2026-11-25T03:00:00Z');
  });

  it('reads on the business clock without a caller zone, or when the words say "your time"', () => {
    assert.equal(resolve('tomorrow at 3 pm').exact?.toInstant().toString(), '2026-11-25T14:00:00Z');
    const yours = resolve('tomorrow at 3 pm your time', { callerZone: 'America/Los_Angeles' });
    assert.equal(yours.whose, 'business');
    assert.equal(yours.exact?.toInstant().toString(), '2026-11-25T14:00:00Z');
  });

  it('takes the caller’s zone from their words: "I’m in Chicago", "here in Berlin"', () => {
    const chicago = resolve("tomorrow at 3, I'm in Chicago");
    assert.deepEqual([chicago.whose, chicago.callerZone, chicago.exact?.toInstant().toString()], ['caller', 'America/Chicago', '2026-11-25T21:00:00Z']);
    assert.equal(resolve('here in Berlin, friday at 10').callerZone, 'Europe/Berlin');
  });

  it('asks when clocks contradict each other', () => {
    asks('3 pm my time, Warsaw time', { callerZone: 'America/Los_Angeles' });
    asks('3 pm my time, your time');
    asks("tomorrow at 3, I'm in Chicago", { callerZone: 'Asia/Tokyo' });
    asks('3pm London time or 4pm Paris time');
  });

  it('does not take "works for me" or "if that suits you" for a clock', () => {
    assert.equal(resolve('tomorrow at 3 works for me').exact?.toInstant().toString(), '2026-11-25T14:00:00Z');
    const la = resolve('tomorrow at 3 if that works for you', { callerZone: 'America/Los_Angeles' });
    assert.deepEqual([la.whose, la.exact?.toInstant().toString()], ['caller', '2026-11-25T23:00:00Z']);
  });

  it('follows the caller’s own DST: a skipped hour in New York moves forward, said the week Warsaw has not changed', () => {
    const r = resolve('tomorrow at 2:30am', { callerZone: 'America/New_York', now: '2026-03-07T15:00:00Z' });
    assert.equal(r.exact?.toString({ timeZoneName: 'never' }), '2026-03-08T03:30:00-04:00');
    assert.equal(r.dst?.kind, 'gap');
    // Between the two changes New York is 5 hours from Warsaw, not 6.
    const between = resolve('tomorrow at 9am', { callerZone: 'America/New_York', now: '2026-03-13T10:00:00Z' });
    assert.equal(between.exact?.withTimeZone(WARSAW).toPlainTime().toString(), '14:00:00');
    // 1:30 happens twice in New York on 1 November: the first one, flagged.
    const twice = resolve('tomorrow at 1:30am', { callerZone: 'America/New_York', now: '2026-10-31T16:00:00Z' });
    assert.equal(twice.exact?.toString({ timeZoneName: 'never' }), '2026-11-01T01:30:00-04:00');
    assert.equal(twice.dst?.kind, 'overlap');
  });
});

describe('more ways of saying when', () => {
  it('reads parts of weeks', () => {
    assert.equal(utc(resolve('early next week')), '2026-11-29T23:00:00Z–2026-12-01T23:00:00Z');
    assert.equal(utc(resolve('late next week')), '2026-12-02T23:00:00Z–2026-12-04T23:00:00Z');
    assert.equal(utc(resolve('end of the week')), '2026-11-25T23:00:00Z–2026-11-27T23:00:00Z');
  });

  it('reads first thing, lunch, after lunch, tonight and midnight tonight', () => {
    assert.equal(utc(resolve('first thing tomorrow')), '2026-11-25T07:00:00Z–2026-11-25T09:00:00Z');
    assert.equal(utc(resolve('tomorrow after lunch')), '2026-11-25T12:00:00Z–2026-11-25T16:00:00Z');
    assert.equal(utc(resolve('tomorrow at lunchtime')), '2026-11-25T11:00:00Z–2026-11-25T13:00:00Z');
    assert.equal(utc(resolve('tonight')), '2026-11-24T16:00:00Z–2026-11-24T20:00:00Z');
    assert.equal(resolve('midnight tonight').exact?.toInstant().toString(), '2026-11-24T23:00:00Z');
    asks('tomorrow at midnight');
  });

  it('counts weeks from a day, and minutes past midnight', () => {
    assert.equal(resolve('a week from Thursday').from.toPlainDate().toString(), '2026-12-03');
    assert.equal(resolve('a week tomorrow').from.toPlainDate().toString(), '2026-12-02');
    const late = resolve('in 30 minutes', { now: '2026-11-24T22:50:00Z' });
    assert.equal(late.exact?.toString({ timeZoneName: 'never' }), '2026-11-25T00:20:00+01:00');
    assert.equal(late.to.toString({ timeZoneName: 'never' }), '2026-11-26T00:00:00+01:00');
    asks('tonight', { now: '2026-11-24T22:50:00Z' });
  });

  it('reads spans and bounds', () => {
    assert.equal(utc(resolve('after 2 but before 5 tomorrow')), '2026-11-25T13:00:00Z–2026-11-25T16:00:00Z');
    assert.equal(utc(resolve('2-4pm tomorrow')), '2026-11-25T13:00:00Z–2026-11-25T15:00:00Z');
    assert.equal(utc(resolve('tomorrow no later than 4')), '2026-11-24T23:00:00Z–2026-11-25T15:00:00Z');
  });

  it('asks about numeric dates that read two ways', () => {
    assert.match(asks('9/12'), /9 December or 12 September/);
    assert.equal(resolve('25/12').from.toPlainDate().toString(), '2026-12-25');
  });

  it('takes corrections: the later words replace what they name, and keep the rest', () => {
    assert.equal(resolve('Tuesday at 3, no, Wednesday').exact?.toString({ timeZoneName: 'never' }), '2026-11-25T15:00:00+01:00');
    assert.equal(resolve('tomorrow at 10, sorry, 11').exact?.toString({ timeZoneName: 'never' }), '2026-11-25T11:00:00+01:00');
    assert.equal(resolve('no, make it 4', { previous: { date: '2026-11-27', zone: WARSAW } }).exact?.toString({ timeZoneName: 'never' }), '2026-11-27T16:00:00+01:00');
    assert.equal(resolve('no, the other Tuesday', { previous: { date: '2026-12-01', zone: WARSAW } }).from.toPlainDate().toString(), '2026-11-24');
    assert.match(asks('the other Tuesday'), /which Tuesday, 2026-11-24 or 2026-12-01/);
  });

  it('reads a phrase said twice once, and refuses what cannot be read', () => {
    assert.equal(resolve('tomorrow at 3 tomorrow at 3').exact?.toInstant().toString(), '2026-11-25T14:00:00Z');
    assert.equal(resolve('friday friday').from.toPlainDate().toString(), '2026-11-27');
    asks('monday or tuesday');
    asks('x'.repeat(5000));
    asks('tomorrow at 3 '.repeat(40));
  });
});
