import { Temporal } from 'temporal-polyfill';

// The daily budget and minutes run from midnight to midnight in the business's zone.

/** The business day last asked for in each zone: asked before every model call, it changes once a day. */
const lastDay = new Map<string, { from: number; to: number; iso: string }>();

/** Midnight today in `zone`, as an ISO instant (records store UTC). */
export function startOfDay(nowMs: number, zone: string): string {
  const known = lastDay.get(zone);
  if (known && nowMs >= known.from && nowMs < known.to) return known.iso;
  const day = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).startOfDay();
  const from = day.epochMilliseconds;
  const iso = new Date(from).toISOString();
  lastDay.set(zone, { from, to: day.add({ days: 1 }).epochMilliseconds, iso });
  return iso;
}

/** Seconds until the next midnight in `zone` (at least 1): when a spent day's budget comes back. */
export function secondsToNextDay(nowMs: number, zone: string): number {
  const next = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).startOfDay().add({ days: 1 });
  return Math.max(1, Math.ceil((next.epochMilliseconds - nowMs) / 1000));
}
