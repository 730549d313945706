import { Temporal } from 'temporal-polyfill';
import { MONTH_NAMES, WEEKDAYS, cap, ordinal } from './vocabulary.ts';
import { zoneLabel } from './zones.ts';
import { baseLanguage, knownLanguage, type KnownLanguage } from '../../util/language.ts';

// How the agent says a time aloud. With a caller on another clock, theirs comes first and the
// business's second, so the caller hears the hour they will actually be at their desk.

/**
 * "Tuesday, December 1st at 3 PM", "tomorrow at 9:30 AM", "today at noon"; with a caller in another
 * zone, theirs first: "tomorrow at 9 AM your time, 3 PM in Warsaw"; with a clock the caller named
 * but is not known to be in (`namedZone`): "9 AM New York time, 3 PM in Warsaw".
 */
export function sayTime(instant: string | Temporal.Instant, o: { timeZone: string; callerZone?: string; namedZone?: string; now: Temporal.Instant; language?: string }): string {
  const at = typeof instant === 'string' ? Temporal.Instant.from(instant) : instant;
  if (baseLanguage(o.language) !== 'en') return sayTimeIn(o.language!, at, o);
  const business = at.toZonedDateTimeISO(o.timeZone);
  const plain = `${sayDay(business, o.now)} at ${sayClock(business)}`;
  const other = o.callerZone ?? o.namedZone;
  if (!other) return plain;
  const caller = at.toZonedDateTimeISO(other);
  if (caller.toPlainDateTime().equals(business.toPlainDateTime())) return plain;
  const sameDate = caller.toPlainDate().equals(business.toPlainDate());
  const there = sameDate ? sayClock(business) : `${sayDay(business, o.now)} at ${sayClock(business)}`;
  const whose = o.callerZone ? 'your time' : `${zoneLabel(other)} time`;
  return `${sayDay(caller, o.now)} at ${sayClock(caller)} ${whose}, ${there} in ${zoneLabel(o.timeZone)}`;
}

/** "today", "tomorrow", or "Tuesday, December 1st" (with the year when it is not within the coming year). */
function sayDay(zdt: Temporal.ZonedDateTime, now: Temporal.Instant): string {
  const today = now.toZonedDateTimeISO(zdt.timeZoneId).toPlainDate();
  const date = zdt.toPlainDate();
  const days = today.until(date, { largestUnit: 'days' }).days;
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  const year = days < 0 || Temporal.PlainDate.compare(date, today.add({ years: 1 })) >= 0 ? `, ${date.year}` : '';
  return `${cap(WEEKDAYS[date.dayOfWeek - 1])}, ${MONTH_NAMES[date.month - 1]} ${ordinal(date.day)}${year}`;
}

/** "3 PM", "9:30 AM", "noon", "midnight". */
export function sayClock({ hour, minute }: { hour: number; minute: number }): string {
  if (minute === 0 && hour === 12) return 'noon';
  if (minute === 0 && (hour === 0 || hour === 24)) return 'midnight';
  const h = hour % 12 || 12;
  return `${h}${minute ? `:${String(minute).padStart(2, '0')}` : ''} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** "your time" after the caller's clock, in the languages Parley has words in (else a neutral form). */
const YOUR_TIME: Record<KnownLanguage, string> = { en: 'your time', pl: 'u Pana/Pani', de: 'Ihrer Zeit', fr: 'votre heure', es: 'su hora', it: 'sua ora', pt: 'seu horário', nl: 'uw tijd' };

/**
 * sayTime in another language, with Intl in the agent's locale: "środa, 23 grudnia, 9:00",
 * "jutro, 9:00"; with a caller on another clock, theirs first: "jutro, 9:00 (u Pana/Pani), 15:00 (Warsaw)".
 */
function sayTimeIn(language: string, at: Temporal.Instant, o: { timeZone: string; callerZone?: string; namedZone?: string; now: Temporal.Instant }): string {
  const locale = Intl.DateTimeFormat.supportedLocalesOf([language])[0] ?? 'en';
  const clock = (zone: string): string => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(at.epochMilliseconds);
  const day = (zone: string): string => {
    const date = at.toZonedDateTimeISO(zone).toPlainDate();
    const today = o.now.toZonedDateTimeISO(zone).toPlainDate();
    const days = today.until(date, { largestUnit: 'days' }).days;
    if (days >= -1 && days <= 1) return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day');
    const year = days < 0 || Temporal.PlainDate.compare(date, today.add({ years: 1 })) >= 0 ? { year: 'numeric' as const } : {};
    return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', ...year, timeZone: zone }).format(at.epochMilliseconds);
  };
  const plain = `${day(o.timeZone)}, ${clock(o.timeZone)}`;
  const other = o.callerZone ?? o.namedZone;
  if (!other) return plain;
  const [caller, business] = [at.toZonedDateTimeISO(other), at.toZonedDateTimeISO(o.timeZone)];
  if (caller.toPlainDateTime().equals(business.toPlainDateTime())) return plain;
  const there = caller.toPlainDate().equals(business.toPlainDate()) ? clock(o.timeZone) : plain;
  const whose = o.callerZone ? YOUR_TIME[knownLanguage(language)] : zoneLabel(other);
  return `${day(other)}, ${clock(other)} (${whose}), ${there} (${zoneLabel(o.timeZone)})`;
}
