import type { CollectSpec } from '../../agent/collect.ts';
import { readBackState, spelledBackState, type ReadBackState } from '../confirmation.ts';
import { YES_EXAMPLES } from '../spoken-words.ts';
import { knownLanguage } from '../../util/language.ts';
import { numbersSaid } from './amount.ts';
import { spokenDigits, phoneDigitForms } from './phone.ts';
import { sayDate } from './values.ts';
import { Temporal } from 'temporal-polyfill';

// "Read it back before you book" for every confirm kind, checked in the transcript like the
// spelling of a name: an agent turn that said the value the required way, and the caller's next
// turn saying yes. spell: letter by letter (confirmation.ts); digits: every digit in order, in any
// grouping of at most four digits, "oh" and "double" included; repeat: the value's words (a date: its day and month; a
// number or sum: its amount, in digits or words).

type Turn = { role: 'agent' | 'caller'; text: string };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * A run of more than four digits ("6751234567", "6,751,234,567", "123456") is said by a voice as
 * one number ("six billion…"), not digit by digit, so it does not count as a read-back: the turn is
 * cut there, and the digits must be found in one of the pieces, said in groups ("675 123 45 67",
 * "675-123-45-67"), one by one, or as digit words.
 */
const LONG_RUN = /\d(?:[.,]?\d){4,}/u;

/** The parts of an agent's turn between runs of more than four digits. */
export function saidInGroups(said: string): string[] {
  return said.split(new RegExp(LONG_RUN.source, 'gu'));
}

/** Whether the caller confirmed `value` of this field after hearing it read back the way `spec.confirm` says; `language` (BCP-47, the agent's) adds its digit and symbol words to English. */
export function readBackConfirmed(spec: CollectSpec, value: string, transcript: Turn[], language?: string): boolean {
  return fieldReadBackState(spec, value, transcript, language).state === 'confirmed';
}

/** Where the read-back of this field stands: confirmed, read back without a yes, or not read back. */
export function fieldReadBackState(spec: Pick<CollectSpec, 'confirm' | 'type'>, value: string, transcript: Turn[], language?: string): ReadBackState {
  switch (spec.confirm) {
    case 'none':
      return { state: 'confirmed' };
    case 'spell':
      return spelledBackState(value, transcript, language);
    case 'digits': {
      const forms = spec.type === 'phone' ? phoneDigitForms(value) : [value.replace(/\D/g, '')].filter(Boolean);
      if (!forms.length) return { state: 'not-read-back' };
      return readBackState(transcript, (said) => {
        const heard = saidInGroups(said).map((part) => spokenDigits(part, language).replace(/\D/g, ''));
        return forms.some((f) => heard.some((digits) => digits.includes(f)));
      });
    }
    case 'repeat':
      return readBackState(transcript, (said) => repeated(spec, value, said, language));
  }
}

/**
 * Why `field` may not be used yet, for the tool's refusal — it was never read back (say how), or
 * it was but the caller's answer was not heard as a yes (ask for one; do not read it back again) —
 * or undefined once confirmed. `spec` undefined: spelled letter by letter (name and email).
 * `before`: what waits for it ("booking", "calling lookup_account").
 */
export function readBackRefusal(field: string, spec: Pick<CollectSpec, 'confirm' | 'type'> | undefined, value: string, say: string, transcript: Turn[], language?: string, before = 'booking'): string | undefined {
  const how = spec ?? ({ confirm: 'spell', type: 'text' } as const);
  const state = fieldReadBackState(how, value, transcript, language);
  if (state.state === 'confirmed') return undefined;
  if (state.state === 'not-yes') {
    const lang = knownLanguage(language);
    const yes = lang === 'en' ? YES_EXAMPLES.en : `${YES_EXAMPLES[lang]} or ${YES_EXAMPLES.en}`;
    if (state.answer === undefined) return `the ${field} was read back but the caller has not answered yet; wait for their yes before ${before}`;
    return `the ${field} was read back correctly, but the caller's answer ("${state.answer.slice(0, 80)}") was not heard as a plain yes; do not read it back again: ask the caller to confirm with a yes (${yes}) before ${before}`;
  }
  if (!spec) return `spell the ${field} back to the caller letter by letter ("${say}") and wait for a yes before ${before}`;
  return `${readBackHow(spec, say)} for ${field} before ${before}`;
}

/** How the agent must read the value back, for the tool's answer to the model. */
export function readBackHow(spec: Pick<CollectSpec, 'confirm'>, say: string): string | undefined {
  switch (spec.confirm) {
    case 'spell':
      return `spell it back letter by letter ("${say}") and wait for a yes`;
    case 'digits':
      return `read it back digit by digit, in groups ("${say}"), not as one long number, and wait for a yes`;
    case 'repeat':
      return `say it back ("${say}") and wait for a yes`;
    default:
      return undefined;
  }
}

function repeated(spec: Pick<CollectSpec, 'type'>, value: string, said: string, language?: string): boolean {
  const words = (s: string) => ` ${s.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  const heard = words(said);
  if (heard.includes(words(value))) return true;
  if (spec.type === 'number' || spec.type === 'money') {
    // The amount said in digits ("1,250.50") or words ("one thousand two hundred fifty"), any form.
    const amount = Number.parseFloat(value);
    return numbersSaid(said).some((n) => Math.abs(n - amount) < 1e-9);
  }
  if (spec.type !== 'date') return false;
  // A date said the way people say it: its day (9, 9th) and its month's name.
  const date = Temporal.PlainDate.from(value);
  const day = new RegExp(` ${date.day}(?:st|nd|rd|th|\\.)? `).test(heard);
  return (day && heard.includes(` ${MONTHS[date.month - 1]} `)) || heard.includes(words(sayDate(date))) || (day && heard.includes(` ${monthIn(date, language)} `));
}

/** The month's name as `language` says it with a day (Polish "grudnia", German "dezember"), from Intl. */
function monthIn(date: Temporal.PlainDate, language: string | undefined): string {
  if (!language) return MONTHS[date.month - 1];
  const [locale] = Intl.DateTimeFormat.supportedLocalesOf([language]);
  const parts = new Intl.DateTimeFormat(locale ?? 'en', { day: 'numeric', month: 'long', timeZone: 'UTC' }).formatToParts(Date.UTC(date.year, date.month - 1, date.day, 12));
  return (parts.find((p) => p.type === 'month')?.value ?? MONTHS[date.month - 1]).normalize('NFC').toLowerCase();
}
