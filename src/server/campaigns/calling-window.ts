import { Temporal } from 'temporal-polyfill';
import type { CampaignSettings } from '../../store/campaign-types.ts';

// Calling hours in the callee's own clock: "09:00-20:00, Monday to Friday" means those hours
// where the phone rings, whatever the server's zone. Daylight-saving days are handled by
// Temporal (a window opening at a time that does not exist that day opens at the next one).

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** null when `zone`'s clock is inside the window at `nowMs`; otherwise the instant (ISO, UTC) it next opens. */
export function windowOpensAt(window: CampaignSettings['window'], zone: string, nowMs: number): string | null {
  const now = Temporal.Instant.fromEpochMilliseconds(nowMs);
  const today = now.toZonedDateTimeISO(zone).toPlainDate();
  const start = Temporal.PlainTime.from(window.start);
  const end = Temporal.PlainTime.from(window.end);
  for (let i = 0; i <= 7; i++) {
    const day = today.add({ days: i });
    if (!window.days.includes(day.dayOfWeek)) continue;
    const opens = day.toZonedDateTime({ timeZone: zone, plainTime: start }).toInstant();
    const closes = day.toZonedDateTime({ timeZone: zone, plainTime: end }).toInstant();
    if (Temporal.Instant.compare(now, closes) >= 0) continue;
    if (Temporal.Instant.compare(now, opens) >= 0) return null;
    return new Date(opens.epochMilliseconds).toISOString(); // the store compares ISO strings of one shape
  }
  throw new Error('a calling window needs at least one day');
}

/** "09:00-20:00" → { start, end }; throws a clear error otherwise. */
export function parseHours(text: string): { start: string; end: string } {
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  const hm = (h: string, mm: string) => (Number(h) <= 23 && Number(mm) <= 59 ? `${h.padStart(2, '0')}:${mm}` : undefined);
  const start = m && hm(m[1]!, m[2]!);
  const end = m && (m[3] === '24' && m[4] === '00' ? '23:59' : hm(m[3]!, m[4]!));
  if (!start || !end) throw new Error(`calling hours "${text}": write them as HH:MM-HH:MM, e.g. 09:00-20:00`);
  if (end <= start) throw new Error(`calling hours "${text}": the end must come after the start (a window across midnight is not supported)`);
  return { start, end };
}

/** "mon-fri", "mon,wed,sat", "all" → ISO weekday numbers (1 = Monday). */
export function parseDays(text: string): number[] {
  const t = text.trim().toLowerCase();
  if (t === 'all' || t === 'every day') return [1, 2, 3, 4, 5, 6, 7];
  const out = new Set<number>();
  for (const part of t.split(/\s*,\s*/)) {
    const [a, b] = part.split(/\s*-\s*/).map((d) => DAY_NAMES.indexOf(d.slice(0, 3)) + 1);
    if (!a || (part.includes('-') && !b)) throw new Error(`calling days "${text}": use mon…sun, ranges like mon-fri, or all`);
    if (!b) out.add(a);
    else for (let d = a; ; d = (d % 7) + 1) {
      out.add(d);
      if (d === b) break;
    }
  }
  return [...out].sort();
}

/** A campaign's settings from what the user gave (CLI options or the admin API), with defaults; throws on bad values. */
export function campaignSettings(o: { hours?: string; days?: string | number[]; concurrency?: number | string; perMinute?: number | string; maxAttempts?: number | string; retryMinutes?: string | number[] } = {}): CampaignSettings {
  const int = (v: number | string | undefined, name: string, dflt: number, min: number, max: number) => {
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
    return n;
  };
  const retry = o.retryMinutes === undefined ? [30, 120] : Array.isArray(o.retryMinutes) ? o.retryMinutes : o.retryMinutes.split(',').map((s) => Number(s.trim()));
  if (!retry.length || retry.some((m) => !Number.isFinite(m) || m < 1 || m > 10_080)) throw new Error(`retry minutes must be numbers from 1 to 10080, e.g. 30,120`);
  const days = o.days === undefined ? [1, 2, 3, 4, 5] : Array.isArray(o.days) ? o.days : parseDays(o.days);
  if (!days.length || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) throw new Error('calling days must be weekday numbers 1 (Monday) to 7');
  return {
    window: { ...parseHours(o.hours ?? '09:00-20:00'), days },
    concurrency: int(o.concurrency, 'concurrency', 2, 1, 100),
    perMinute: int(o.perMinute, 'calls per minute', 10, 1, 600),
    maxAttempts: int(o.maxAttempts, 'attempts', 3, 1, 10),
    retryMinutes: retry,
  };
}
