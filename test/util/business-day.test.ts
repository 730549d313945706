import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secondsToNextDay, startOfDay } from '../../src/util/business-day.ts';

// The budget's day runs midnight to midnight in the business's zone; the last day asked for is
// remembered per zone, so each answer must still be the day of the instant asked about.

const at = (iso: string) => Date.parse(iso);

describe('startOfDay', () => {
  it('is midnight in the zone, for instants on both sides of it, asked in any order', () => {
    const zone = 'Europe/Warsaw'; // UTC+1 in December
    assert.equal(startOfDay(at('2026-12-06T12:00:00Z'), zone), '2026-12-05T23:00:00.000Z');
    assert.equal(startOfDay(at('2026-12-06T22:59:59.999Z'), zone), '2026-12-05T23:00:00.000Z');
    assert.equal(startOfDay(at('2026-12-06T23:00:00Z'), zone), '2026-12-06T23:00:00.000Z');
    assert.equal(startOfDay(at('2026-12-05T22:59:59Z'), zone), '2026-12-04T23:00:00.000Z'); // back in time
    assert.equal(startOfDay(at('2026-12-06T12:00:00Z'), zone), '2026-12-05T23:00:00.000Z');
  });

  it('keeps each zone apart', () => {
    const t = at('2026-12-06T03:00:00Z');
    assert.equal(startOfDay(t, 'America/New_York'), '2026-12-05T05:00:00.000Z');
    assert.equal(startOfDay(t, 'Asia/Tokyo'), '2026-12-05T15:00:00.000Z');
    assert.equal(startOfDay(t, 'America/New_York'), '2026-12-05T05:00:00.000Z');
  });

  it('follows a day of 23 hours (clocks going forward)', () => {
    const zone = 'Europe/Warsaw'; // 2026-03-29: 02:00 → 03:00
    assert.equal(startOfDay(at('2026-03-29T12:00:00Z'), zone), '2026-03-28T23:00:00.000Z');
    assert.equal(startOfDay(at('2026-03-29T21:59:59Z'), zone), '2026-03-28T23:00:00.000Z');
    assert.equal(startOfDay(at('2026-03-29T22:00:00Z'), zone), '2026-03-29T22:00:00.000Z');
    assert.equal(secondsToNextDay(at('2026-03-29T21:00:00Z'), zone), 3600);
  });
});
