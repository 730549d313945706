import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { isClosed, readClosedDates } from '../../src/agent/closed-dates.ts';
import { Calendar } from '../../src/agent/schema.ts';

describe('closedDates', () => {
  const day = (d: string) => Temporal.PlainDate.from(d);

  it('reads one day, a yearly day and ranges of either', () => {
    assert.ok(isClosed(['2026-12-24'], day('2026-12-24')) && !isClosed(['2026-12-24'], day('2027-12-24')));
    assert.ok(isClosed(['12-24'], day('2026-12-24')) && isClosed(['12-24'], day('2031-12-24')));
    assert.ok(isClosed(['12-24..12-26'], day('2029-12-25')) && !isClosed(['12-24..12-26'], day('2029-12-27')));
    // A yearly range over New Year.
    for (const d of ['2026-12-31', '2027-01-01', '2027-12-31', '2028-01-01']) assert.ok(isClosed(['12-31..01-01'], day(d)), d);
    for (const d of ['2026-12-30', '2027-01-02', '2027-06-15']) assert.ok(!isClosed(['12-31..01-01'], day(d)), d);
    assert.ok(isClosed(['2026-12-30..2027-01-02'], day('2027-01-01')) && !isClosed(['2026-12-30..2027-01-02'], day('2028-01-01')));
    assert.ok(isClosed(['02-29'], day('2028-02-29')) && !isClosed(['02-29'], day('2027-03-01')));
  });

  it('refuses what is not a date, with the reason', () => {
    assert.match(readClosedDates('24.12') as string, /is not YYYY-MM-DD \(one day\) or MM-DD/);
    assert.match(readClosedDates('02-30') as string, /not a date that exists/);
    assert.match(readClosedDates('2026-12-24..12-26') as string, /both ends need a year, or neither/);
    assert.match(readClosedDates('2027-01-02..2026-12-30') as string, /ends before it starts/);
    const parsed = Calendar.safeParse({ provider: 'builtin', closedDates: ['12-24..12-26', '13-01'] });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error!.issues.map((i) => i.path), [['closedDates', 1]]);
    assert.ok(Calendar.safeParse({ provider: 'builtin', closedDates: ['2026-11-11', '12-24..12-26', '12-31..01-01'] }).success);
  });
});
