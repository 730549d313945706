import type { KnownLanguage } from '../util/language.ts';
import { STEMMERS } from './stemmers/index.ts';

// Words as retrieval compares them: lower case, split on anything that is not a letter or a
// digit, reduced to their stem in the agent's language — English by Porter ("pricing", "priced",
// "prices" → "price", the stemmer SQLite's FTS5 `porter` tokenizer uses), other languages by a
// light suffix stripper (src/knowledge/stemmers/). Stems are cached: a corpus repeats a few
// thousand words.

const cache = new Map<string, string>();
const CACHE_LIMIT = 200_000; // an index of 10,000 chunks has ~15,000 distinct words

/** The stem of one lower-case word, in the agent's language (English when not given). */
export function stemOf(word: string, language: KnownLanguage = 'en'): string {
  const key = language === 'en' ? word : `${language}:${word}`;
  let s = cache.get(key);
  if (s === undefined) {
    s = /^\p{N}+$/u.test(word) ? word : STEMMERS[language](word);
    if (cache.size < CACHE_LIMIT) cache.set(key, s);
  }
  return s;
}

/** The words of a text, lower case, in order (apostrophes join: "what's" → "whats"). */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/(\p{L})['’](\p{L})/gu, '$1$2')
    .match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

/** Whether two words differ by at most one edit (insert, delete, substitute or swap of neighbours). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}
