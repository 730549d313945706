import { isSupportedCountry } from 'libphonenumber-js';
import { zoneCountry } from '../util/zone-countries.ts';
import type { AgentFileData } from './schema.ts';

// What each `collect` entry means once defaults are applied: its type (from its name when not
// given), how it is read back, and for a phone the country a national number is read in.

/** The types a collected value can have (schema CollectType). */
export type CollectType = 'name' | 'email' | 'phone' | 'company' | 'text' | 'choice' | 'date' | 'number' | 'money';
/** How a value is read back before it is booked (schema ReadBack). */
export type ReadBack = 'spell' | 'digits' | 'repeat' | 'none';

/** A field the agent collects from the caller, normalised. */
export interface CollectSpec {
  field: string;
  description?: string;
  required: boolean;
  type: CollectType;
  confirm: ReadBack;
  /** choice: the allowed answers. */
  options?: string[];
  /** phone: the country of a number said without its country code; undefined when neither set nor known from the time zone. */
  country?: string;
  /** The calendar's own question this field answers (cal.com booking field slug, Calendly question text). */
  question?: string;
  /** number and money: the accepted range. */
  min?: number;
  max?: number;
  /** money: the ISO 4217 currency amounts are in. */
  currency?: string;
  /** A regular expression the value's compact form (spaces and dashes removed) must match, and the rule in words. */
  pattern?: string;
  patternHint?: string;
}

// The currency of the business's country, for a money field that names none (euro area, a few others).
const EURO = new Set(['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK']);
const CURRENCY: Record<string, string> = { US: 'USD', GB: 'GBP', PL: 'PLN', CA: 'CAD', AU: 'AUD', NZ: 'NZD', CH: 'CHF', SE: 'SEK', NO: 'NOK', DK: 'DKK', CZ: 'CZK', HU: 'HUF', RO: 'RON', JP: 'JPY', IN: 'INR', MX: 'MXN', BR: 'BRL', ZA: 'ZAR', IE: 'EUR' };

/** The currency of a time zone's country, else USD. */
export function zoneCurrency(timeZone: string): string {
  const country = zoneCountry(timeZone);
  return (country && (EURO.has(country) ? 'EUR' : CURRENCY[country])) || 'USD';
}

/** Field names that are a type of their own when the file gives none. */
const TYPE_BY_NAME: Record<string, CollectType> = { name: 'name', email: 'email', email_address: 'email', phone: 'phone', phone_number: 'phone', mobile: 'phone', company: 'company' };

/** The read-back each type gets unless the file says otherwise. */
export const DEFAULT_READ_BACK: Record<CollectType, ReadBack> = { name: 'spell', email: 'spell', phone: 'digits', date: 'repeat', company: 'none', text: 'none', choice: 'none', number: 'none', money: 'none' };

const DESCRIPTIONS: Record<string, string> = {
  name: "the caller's full name",
  email: "the caller's email address",
  company: "the caller's company name",
  problem: 'the problem the caller wants solved, in their words',
  phone: "the caller's phone number",
};

/** The type a field has when the file names none: its own for well-known names, else text. */
export function defaultCollectType(field: string): CollectType {
  return TYPE_BY_NAME[field] ?? 'text';
}

/** Applies the defaults to one `collect` entry; `timeZone` is the business's, for a phone's country. */
export function collectSpec(entry: AgentFileData['collect'][number], timeZone: string): CollectSpec {
  const e = typeof entry === 'string' ? { field: entry, description: DESCRIPTIONS[entry], required: true } : entry;
  const type = ('type' in e && e.type) || defaultCollectType(e.field);
  const spec: CollectSpec = { field: e.field, required: e.required, type, confirm: ('confirm' in e && e.confirm) || DEFAULT_READ_BACK[type] };
  if (e.description !== undefined) spec.description = e.description;
  if ('options' in e && e.options) spec.options = e.options;
  if ('question' in e && e.question) spec.question = e.question;
  if ('min' in e && e.min !== undefined) spec.min = e.min;
  if ('max' in e && e.max !== undefined) spec.max = e.max;
  if (type === 'money') spec.currency = ('currency' in e && e.currency) || zoneCurrency(timeZone);
  if ('pattern' in e && e.pattern) spec.pattern = e.pattern;
  if ('patternHint' in e && e.patternHint) spec.patternHint = e.patternHint;
  if (type === 'phone') {
    const country = ('country' in e && e.country) || zoneCountry(timeZone);
    if (country) spec.country = country;
  }
  return spec;
}

/** What is wrong with a normalised field beyond its shape, or undefined. */
export function collectProblem(spec: CollectSpec, given: AgentFileData['collect'][number]): { key: string; message: string } | undefined {
  if (typeof given !== 'string' && given.country && !isSupportedCountry(given.country)) return { key: 'country', message: `"${given.country}" is not a country the phone number library knows (use an ISO 3166 code such as GB, US, PL)` };
  if (spec.pattern) {
    try {
      new RegExp(spec.pattern, 'u');
    } catch (e) {
      return { key: 'pattern', message: `not a regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}` };
    }
  }
  if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) return { key: 'max', message: `max (${spec.max}) is below min (${spec.min})` };
  if (spec.type === 'choice' && spec.options && new Set(spec.options.map((o) => o.toLowerCase())).size !== spec.options.length) return { key: 'options', message: 'each option must differ (case is ignored)' };
  return undefined;
}
