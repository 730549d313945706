// The time-phrase evaluation: every phrase of bench/when/phrases.ts, said by callers in several
// zones at several "now"s (across both DST changes, the US and the EU weeks apart), resolved by
// resolveWhen and compared with its label converted to UTC independently (label.ts).
//   node_modules/.bin/node bench/when/run.ts [--show 20] [--phrase "tomorrow at 3"]
import { parseArgs } from 'node:util';
import { Temporal } from 'temporal-polyfill';
import { resolveWhen } from '../../src/tools/calendar/when.ts';
import { expectedWindow, type Window } from './label.ts';
import { PHRASES } from './phrases.ts';

/** The example agent's zone. */
export const BUSINESS = 'Europe/Warsaw';
/** Callers: none known, the business's own zone, US zones (DST weeks apart from the EU), no DST, half-hour offsets (one southern, DST the other way). */
export const CALLER_ZONES: (string | undefined)[] = [undefined, 'Europe/Warsaw', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Adelaide'];
/** When the phrases are said: around each DST change of the zones above, late at night, and at a year's end. */
export const NOWS = [
  '2026-03-07T15:00:00Z', // Saturday before the US springs forward (8 March)
  '2026-03-13T10:00:00Z', // between the US and EU changes: New York is 5 hours from Warsaw
  '2026-03-28T20:00:00Z', // Saturday evening before the EU springs forward (29 March)
  '2026-04-04T12:00:00Z', // Adelaide falls back on 5 April
  '2026-10-03T12:00:00Z', // Adelaide springs forward on 4 October
  '2026-10-24T12:00:00Z', // Saturday before the EU falls back (25 October)
  '2026-10-30T14:00:00Z', // between the EU and US changes; the US falls back on 1 November
  '2026-11-24T09:00:00Z', // an ordinary Tuesday morning in Warsaw
  '2026-11-24T22:50:00Z', // 23:50 in Warsaw: "tonight", "in 30 minutes" near midnight
  '2026-12-31T20:00:00Z', // the year's end
].map((s) => Temporal.Instant.from(s));

/** Whether what the resolver returned is the labelled window (or both are a question). */
export function matches(r: ReturnType<typeof resolveWhen>, e: Window): boolean {
  if ('error' in r || e.ask) return 'error' in r && !!e.ask;
  const same = (a: Temporal.Instant | undefined, b: Temporal.Instant | undefined): boolean => (a === undefined || b === undefined ? a === b : a.equals(b));
  return r.zone === e.zone && same(r.from.toInstant(), e.from) && same(r.to.toInstant(), e.to) && same(r.exact?.toInstant(), e.exact);
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { show: { type: 'string', default: '20' }, phrase: { type: 'string' } } });
  const phrases = values.phrase ? PHRASES.filter((p) => p.phrase === values.phrase) : PHRASES;
  const times: number[] = [];
  const failures: string[] = [];
  let asked = 0;
  // Warm-up over every caller zone and now.
  for (let warm = 0; warm < 200; warm++) resolveWhen(phrases[warm % phrases.length].phrase, { now: NOWS[warm % NOWS.length], timeZone: BUSINESS, callerZone: CALLER_ZONES[warm % CALLER_ZONES.length] });
  for (const now of NOWS) {
    for (const callerZone of CALLER_ZONES) {
      for (const l of phrases) {
        const t0 = process.hrtime.bigint();
        const r = resolveWhen(l.phrase, { now, timeZone: BUSINESS, callerZone });
        times.push(Number(process.hrtime.bigint() - t0) / 1000);
        const e = expectedWindow(l, { now, business: BUSINESS, callerZone });
        if (e.ask) asked++;
        if (!matches(r, e)) {
          const got = 'error' in r ? `ask: ${r.error}` : `${r.from.toInstant()}–${r.to.toInstant()}${r.exact ? ` exact ${r.exact.toInstant()}` : ''} (${r.zone})`;
          const want = e.ask ? 'ask' : `${e.from}–${e.to}${e.exact ? ` exact ${e.exact}` : ''} (${e.zone})`;
          failures.push(`"${l.phrase}" [${l.template}] now ${now} caller ${callerZone ?? '-'}\n    got  ${got}\n    want ${want}`);
        }
      }
    }
  }
  const cases = times.length;
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  for (const f of failures.slice(0, Number(values.show))) console.log(f);
  const summary = {
    phrases: phrases.length,
    templates: new Set(phrases.map((p) => p.template)).size,
    callerZones: CALLER_ZONES.length,
    nows: NOWS.length,
    cases,
    questionsExpected: asked,
    correct: cases - failures.length,
    correctPct: Number((((cases - failures.length) / cases) * 100).toFixed(2)),
    usPerPhrase: { median: Number(q(0.5).toFixed(1)), p90: Number(q(0.9).toFixed(1)), p99: Number(q(0.99).toFixed(1)), max: Number(sorted.at(-1)!.toFixed(1)) },
  };
  console.log(`${summary.correct}/${cases} correct (${summary.correctPct}%): ${summary.phrases} phrases × ${summary.callerZones} caller zones × ${summary.nows} nows; median ${summary.usPerPhrase.median} µs per phrase`);
  console.log(JSON.stringify(summary));
  process.exitCode = failures.length ? 1 : 0;
}
