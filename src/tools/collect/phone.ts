import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js';
import { digitWord, readBackWords } from '../spoken-words.ts';
import { hasOwnWords } from '../../util/language.ts';

// Phone numbers: what a recogniser wrote ("oh seven nine one one, double one…", "+44 7911 123456")
// becomes E.164 (+447911123456) with libphonenumber-js, a national number read in the business's
// country; and an E.164 number is read back in the groups people say it in.

const DIGIT_WORDS: Record<string, string> = { zero: '0', oh: '0', o: '0', nought: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };
const SAY = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** The digits (and a leading +) in what was said: "plus four four, seven nine double one" → "+447911"; `language` (BCP-47) adds its digit words to English ("sześć, siedem" → "67"). */
export function spokenDigits(text: string, language?: string): string {
  const own = readBackWords(language).units;
  const digitOf = (w: string): string | undefined => DIGIT_WORDS[w] ?? (/^\d$/.test(own.get(w) ?? '') ? own.get(w) : undefined);
  const words = text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}+]+/gu, ' ').split(/\s+/).filter(Boolean);
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const times = w === 'double' ? 2 : w === 'triple' ? 3 : 1;
    const next = times > 1 ? words[i + 1] : w;
    const digit = next === undefined ? undefined : /^\d$/.test(next) ? next : digitOf(next);
    if (times > 1 && digit !== undefined) {
      out += digit.repeat(times);
      i++;
    } else if (w === 'plus' || (w.startsWith('+') && !out)) out += w === 'plus' ? '+' : `+${w.slice(1).replace(/\D/g, '')}`;
    else if (/^\d+$/.test(w)) out += w;
    else if (digitOf(w) !== undefined) out += digitOf(w);
  }
  return out;
}

/** A phone number as E.164, or what to ask the caller; `country` reads a number said without its country code. */
export function parsePhone(text: string, country: string | undefined): { value: string } | { error: string } {
  let digits = spokenDigits(text);
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  const count = digits.replace(/\D/g, '').length;
  if (!count) return { error: `"${text}" has no digits; ask the caller for their phone number, digit by digit` };
  const intl = digits.startsWith('+');
  if (!intl && !country) return { error: `that phone number has no country code and the business's country is not known (set collect country: or timeZone); ask the caller for the number with its country code, e.g. +44` };
  const where = intl ? 'number' : `number in ${country} (a number said without its country code is read as ${country})`;
  const parsed = parsePhoneNumberFromString(digits, intl ? undefined : (country as CountryCode));
  if (parsed?.isValid()) return { value: parsed.number };
  const length = validatePhoneNumberLength(digits, intl ? undefined : (country as CountryCode));
  const why = length === 'TOO_SHORT' ? 'too few for' : length === 'TOO_LONG' ? 'too many for' : length === 'INVALID_COUNTRY' ? 'and its country code is not one that exists, so it is not' : 'which is not';
  return { error: `that phone number has ${count} digit${count === 1 ? '' : 's'}, ${why} a valid ${where}; ask the caller to say it again, digit by digit` };
}

/** Splits a run of digits the way people say it: up to four stay together, longer runs go in threes ("123456" → "123 456"). */
function sayGroups(run: string): string[] {
  if (run.length <= 4) return [run];
  if (run.length === 5) return [run.slice(0, 2), run.slice(2)];
  if (run.length === 8) return [run.slice(0, 4), run.slice(4)];
  return [run.slice(0, 3), ...sayGroups(run.slice(3))];
}

/** An E.164 number read back in groups: "+447911123456" → "plus four four, seven nine one one, one two three, four five six"; digit words in `language` (BCP-47). */
export function sayPhoneDigits(e164: string, language?: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  // The number's own grouping (+44 7911 123456), each long group split again for the ear.
  const groups = parsed ? parsed.formatInternational().replace(/^\+/, '').split(/[\s-]+/) : [e164.replace(/\D/g, '')];
  const [code, ...rest] = groups;
  const spoken = [code, ...rest.flatMap(sayGroups)].map((g) => sayEach(g, language));
  return `${e164.startsWith('+') ? 'plus ' : ''}${spoken.join(', ')}`;
}

/** A value read back digit by digit in the groups people say (`confirm: digits`): "6751234567" → "six seven five, one two three, four five six seven"; letters stay letters ("PL" → "P L"), separators go. */
export function sayDigitGroups(value: string, language?: string): string {
  const pieces = value.split(/(\d+)/).map((p) => p.replace(/[^\p{L}\p{N}]+/gu, '')).filter(Boolean);
  return pieces.flatMap((p) => (/^\d+$/.test(p) ? sayGroups(p).map((g) => sayEach(g, language)) : [[...p].join(' ')])).join(', ');
}

/**
 * Each digit as a word of `language` (English without one); in a language Parley has no digit
 * words for, as numerals, which the voice then says in its own language.
 */
function sayEach(digits: string, language: string | undefined): string {
  return [...digits].map((d) => (!hasOwnWords(language) ? d : language ? digitWord(Number(d), language) : SAY[Number(d)])).join(' ');
}

/** The forms a read-back of an E.164 number may take, as digits: with the country code, or as dialled at home (07911…). */
export function phoneDigitForms(e164: string): string[] {
  const forms = [e164.replace(/\D/g, '')];
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed) forms.push(parsed.formatNational().replace(/\D/g, ''), parsed.nationalNumber);
  return [...new Set(forms)].filter((f) => f.length >= 6);
}
