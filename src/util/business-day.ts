import { Temporal } from 'temporal-polyfill';

// The daily budget and minutes run from midnight to midnight in the business's zone.

/** Midnight today in `zone`, as an ISO instant (records store UTC). */
export function startOfDay(nowMs: number, zone: string): string {
  const day = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).startOfDay();
  return new Date(day.epochMilliseconds).toISOString();
}

/** Seconds until the next midnight in `zone` (at least 1): when a spent day's budget comes back. */
export function secondsToNextDay(nowMs: number, zone: string): number {
  const next = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone).startOfDay().add({ days: 1 });
  return Math.max(1, Math.ceil((next.epochMilliseconds - nowMs) / 1000));
}
