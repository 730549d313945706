import { Temporal } from 'temporal-polyfill';
import type { CollectSpec } from '../../agent/collect.ts';
import { resolveWhen } from '../calendar/when.ts';
import { parseSpokenEmail, spellOut } from '../spelling.ts';
import { parseMoney, parseNumber, sameCurrency, sayMoney, sayNumber } from './amount.ts';
import { parsePhone, sayDigitGroups, sayPhoneDigits, spokenDigits } from './phone.ts';
import { baseLanguage } from '../../util/language.ts';

// One collected value, checked and normalised in code by its type before anything keeps it: the
// model gets a clear error to act on ("that phone number has 9 digits; ask again"), never a
// silently stored wrong value.

/** A value ready to keep, with how to read it back; or what to ask the caller. */
export type Checked = { value: string; say: string } | { error: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const LIMITS: Record<CollectSpec['type'], number> = { name: 200, email: 320, phone: 100, company: 200, text: 2000, choice: 200, date: 300, number: 100, money: 100 };

/** Checks and normalises what the model passed for one field (its type, then its pattern); `timeZone` is the business's, for dates. */
export function checkValue(spec: CollectSpec, raw: string, o: { now: Date; timeZone: string; language?: string }): Checked {
  const typed = checkType(spec, raw, o);
  const checked = spec.pattern && !('error' in typed) ? matchPattern(spec, spec.pattern, raw, typed) : typed;
  // Any digit-by-digit read-back is said like a phone's: in groups, in the agent's digit words.
  if (spec.confirm !== 'digits' || spec.type === 'phone' || 'error' in checked) return checked;
  return { value: checked.value, say: sayDigitGroups(checked.value, o.language) };
}

/** The value's compact form (spaces and dashes removed; digits said as words read as digits) when it matches the field's pattern. */
function matchPattern(spec: CollectSpec, pattern: string, raw: string, checked: { value: string; say: string }): Checked {
  const re = new RegExp(pattern, 'u');
  const compact = checked.value.replace(/[\s\-‐‑–—]+/g, '');
  const digits = spokenDigits(raw);
  const value = re.test(compact) ? compact : digits && re.test(digits) ? digits : undefined;
  if (value === undefined) return { error: `${spec.field} "${raw.trim()}" does not match its rule (${spec.patternHint ? `${spec.patternHint}: ` : ''}${pattern}, checked without spaces and dashes); ask the caller for it again` };
  const say = spec.confirm === 'digits' || /^\d+$/.test(value) ? [...value].join(' ') : value;
  return { value, say };
}

function checkType(spec: CollectSpec, raw: string, o: { now: Date; timeZone: string; language?: string }): Checked {
  const text = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!text) return { error: `${spec.field} is empty; ask the caller for it` };
  if (text.length > LIMITS[spec.type]) return { error: `${spec.field} is ${text.length} characters, more than the ${LIMITS[spec.type]} a ${spec.type} may have` };
  switch (spec.type) {
    case 'name':
      if (!/\p{L}/u.test(text) || text.includes('@')) return { error: `"${text}" is not a name; ask the caller for their name` };
      return { value: text, say: spellOut(text, o.language) };
    case 'email': {
      const email = EMAIL.test(text) ? text.toLowerCase() : parseSpokenEmail(text, o.language);
      return email ? { value: email, say: spellOut(email, o.language) } : { error: `${spec.field} "${text}" is not a valid address; ask the caller to spell it again` };
    }
    case 'phone': {
      const phone = parsePhone(text, spec.country);
      return 'error' in phone ? phone : { value: phone.value, say: sayPhoneDigits(phone.value, o.language) };
    }
    case 'choice': {
      const bare = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      const option = spec.options?.find((opt) => bare(opt) === bare(text));
      return option ? { value: option, say: option } : { error: `"${text}" is not one of the ${spec.field} options (${spec.options?.join(', ')}); ask the caller which one` };
    }
    case 'date': {
      const date = readDate(text, o);
      return 'error' in date ? date : { value: date.date.toString(), say: sayDate(date.date, o.language) };
    }
    case 'number': {
      const n = parseNumber(text.replace(/^(?:about|around|roughly|approximately|maybe|~)\s+/i, ''));
      if (n === undefined) return { error: `${spec.field} "${text}" is not a number; ask the caller for it again` };
      return inRange(spec, n, sayNumber(n)) ?? { value: String(n), say: sayNumber(n) };
    }
    case 'money': {
      const currency = spec.currency ?? 'USD';
      const m = parseMoney(text);
      if (!m) return { error: `${spec.field} "${text}" is not an amount of money; ask the caller how much, in ${currency}` };
      if (m.currency && !sameCurrency(m.currency, currency)) return { error: `${spec.field} "${text}" is not in ${currency}; ask the caller for the amount in ${currency}` };
      const say = sayMoney(m.amount, currency);
      return inRange(spec, m.amount, say) ?? { value: moneyValue(m.amount, currency), say };
    }
    default:
      return { value: text, say: text };
  }
}

/** A sum's normal form: "180 USD", "1250.50 USD" (whole amounts without decimals, others with the currency's). */
export function moneyValue(amount: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${Number.isInteger(amount) ? String(amount) : amount.toFixed(digits)} ${currency}`;
}

/** The error for a number outside the field's min/max, else undefined. */
function inRange(spec: CollectSpec, n: number, say: string): Checked | undefined {
  if (spec.min !== undefined && n < spec.min) return { error: `${spec.field} ${say} is below the smallest accepted, ${spec.min}; ask the caller to check it` };
  if (spec.max !== undefined && n > spec.max) return { error: `${spec.field} ${say} is above the largest accepted, ${spec.max}; ask the caller to check it` };
  return undefined;
}

/** "Wednesday 9 December 2026": how a date is read back; in another `language` with Intl ("środa, 9 grudnia 2026"). */
export function sayDate(date: Temporal.PlainDate, language?: string): string {
  if (baseLanguage(language) !== 'en') {
    const [locale] = Intl.DateTimeFormat.supportedLocalesOf([language!]);
    return new Intl.DateTimeFormat(locale ?? 'en', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(date.year, date.month - 1, date.day, 12));
  }
  const month = MONTHS[date.month - 1];
  return `${WEEKDAYS[date.dayOfWeek - 1]} ${date.day} ${month[0].toUpperCase()}${month.slice(1)} ${date.year}`;
}

/** A calendar date: ISO, "9 December 1980", "December 9th, 1980", or words the booking tools understand ("next Tuesday"), read in the business zone. */
function readDate(text: string, o: { now: Date; timeZone: string; language?: string }): { date: Temporal.PlainDate } | { error: string } {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const t = text.toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  const month = (m: string) => MONTHS.findIndex((name) => name.startsWith(m.slice(0, 3)) && name.startsWith(m)) + 1;
  const dmy = /^(?:\p{L}+ )?(\d{1,2})(?:st|nd|rd|th)? (?:of )?(\p{L}+) (\d{4})$/u.exec(t);
  const mdy = /^(?:\p{L}+ )?(\p{L}+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})$/u.exec(t);
  try {
    if (iso) return { date: Temporal.PlainDate.from({ year: +iso[1], month: +iso[2], day: +iso[3] }, { overflow: 'reject' }) };
    if (dmy && month(dmy[2]) > 0) return { date: Temporal.PlainDate.from({ year: +dmy[3], month: month(dmy[2]), day: +dmy[1] }, { overflow: 'reject' }) };
    if (mdy && month(mdy[1]) > 0) return { date: Temporal.PlainDate.from({ year: +mdy[3], month: month(mdy[1]), day: +mdy[2] }, { overflow: 'reject' }) };
  } catch {
    return { error: `"${text}" is not a date that exists; ask the caller for the date again` };
  }
  const range = resolveWhen(text, { now: Temporal.Instant.fromEpochMilliseconds(o.now.getTime()), timeZone: o.timeZone, language: o.language });
  if ('error' in range) return { error: `${range.error.replace(/ Ask the caller.*$/, '')} Ask the caller for the date (a day, a month and, when it is not this year, the year).` };
  const first = range.from.toPlainDate();
  if (!first.equals(range.to.subtract({ nanoseconds: 1 }).toPlainDate())) return { error: `"${text}" is more than one day (${range.description}); ask the caller for one date` };
  return { date: first };
}
