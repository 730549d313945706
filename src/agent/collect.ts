import { isSupportedCountry } from 'libphonenumber-js';
import { zoneCountry } from '../util/zone-countries.ts';
import type { AgentFileData } from './schema.ts';

// What each `collect` entry means once defaults are applied: its type (from its name when not
// given), how it is read back, and for a phone the country a national number is read in.

/** The types a collected value can have (schema CollectType). */
export type CollectType = 'name' | 'email' | 'phone' | 'company' | 'text' | 'choice' | 'date';
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
}

/** Field names that are a type of their own when the file gives none. */
const TYPE_BY_NAME: Record<string, CollectType> = { name: 'name', email: 'email', email_address: 'email', phone: 'phone', phone_number: 'phone', mobile: 'phone', company: 'company' };

/** The read-back each type gets unless the file says otherwise. */
export const DEFAULT_READ_BACK: Record<CollectType, ReadBack> = { name: 'spell', email: 'spell', phone: 'digits', date: 'repeat', company: 'none', text: 'none', choice: 'none' };

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
  if (type === 'phone') {
    const country = ('country' in e && e.country) || zoneCountry(timeZone);
    if (country) spec.country = country;
  }
  return spec;
}

/** What is wrong with a normalised field beyond its shape, or undefined. */
export function collectProblem(spec: CollectSpec, given: AgentFileData['collect'][number]): { key: string; message: string } | undefined {
  if (typeof given !== 'string' && given.country && !isSupportedCountry(given.country)) return { key: 'country', message: `"${given.country}" is not a country the phone number library knows (use an ISO 3166 code such as GB, US, PL)` };
  if (spec.type === 'choice' && spec.options && new Set(spec.options.map((o) => o.toLowerCase())).size !== spec.options.length) return { key: 'options', message: 'each option must differ (case is ignored)' };
  return undefined;
}
