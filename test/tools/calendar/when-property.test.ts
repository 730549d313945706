// Seeded property test: random phrases of the evaluation set (bench/when/phrases.ts), said from
// random caller zones at random moments of a year, through check_availability against a vendor
// that answers with far more than was asked. Every offered slot must lie inside the window the
// caller meant (the label, converted to UTC without the resolver), and a phrase that must be
// asked about offers nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import type { CalendarProvider } from '../../../src/tools/calendar/index.ts';
import { seededRandom } from '../../../src/testing/index.ts';
import { expectedWindow } from '../../../bench/when/label.ts';
import { PHRASES } from '../../../bench/when/phrases.ts';
import { BUSINESS, CALLER_ZONES } from '../../../bench/when/run.ts';
import { agentWith, booker } from './tool-harness.ts';

const SEED = Number(process.env.WHEN_SEED ?? 22);
const RUNS = 300;
const YEAR_START = Temporal.Instant.from('2026-01-01T00:00:00Z');

/** Every 30 minutes from half a day before the range asked to half a day after it: more than was asked, on both sides. */
const sloppyCalendar: CalendarProvider = {
  id: 'sloppy',
  availability: async (q) => {
    const first = Temporal.Instant.from(q.from).round({ smallestUnit: 'hour', roundingMode: 'floor' }).subtract({ hours: 12 });
    const count = Math.ceil(Temporal.Instant.from(q.to).since(first).total('minutes') / 30) + 24;
    return Array.from({ length: count }, (_, i) => first.add({ minutes: 30 * i })).map((t) => ({ start: t.toString(), end: t.add({ minutes: 30 }).toString() }));
  },
  book: async () => assert.fail('not booking'),
};

describe(`check_availability offers only what the caller meant (seed ${SEED}, ${RUNS} runs)`, () => {
  it('keeps every offered slot inside the labelled window, on every clock', async () => {
    const random = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const agent = agentWith({ provider: 'builtin' });
    let offeredSomething = 0;
    for (let run = 0; run < RUNS; run++) {
      const phrase = pick(PHRASES);
      const callerZone = pick(CALLER_ZONES);
      const now = YEAR_START.add({ minutes: Math.floor(random() * 365 * 24 * 60) });
      const expected = expectedWindow(phrase, { now, business: BUSINESS, callerZone });
      const b = booker(agent, sloppyCalendar, new Date(now.epochMilliseconds));
      const r = await b.check({ when: phrase.phrase, ...(callerZone ? { callerTimeZone: callerZone } : {}) });
      const where = `"${phrase.phrase}" at ${now} from ${callerZone ?? 'an unknown zone'} (replay: WHEN_SEED=${SEED}, run ${run})`;
      if (expected.ask) {
        assert.ok(r.error, `${where}: should ask, offered ${JSON.stringify(r.slots?.map((s: { start: string }) => s.start))}`);
        assert.deepEqual(b.booking.offered, [], where);
        continue;
      }
      assert.equal(r.error, undefined, `${where}: ${r.error}`);
      assert.equal(r.clock.timeZone, expected.zone, where);
      for (const slot of r.slots as { start: string }[]) {
        const at = Temporal.Instant.from(slot.start);
        assert.ok(Temporal.Instant.compare(at, expected.from) >= 0 && Temporal.Instant.compare(at, expected.to) < 0, `${where}: offered ${slot.start}, outside ${expected.from}–${expected.to}`);
        assert.ok(Temporal.Instant.compare(at, now) > 0, `${where}: offered ${slot.start}, in the past`);
      }
      if (r.slots.length) offeredSomething++;
    }
    // The property is not vacuous: most runs did offer times.
    assert.ok(offeredSomething > RUNS / 2, `only ${offeredSomething} of ${RUNS} runs offered anything`);
  });
});
