// One light stemmer per language Parley knows; English keeps the Porter stemmer FTS5 uses.
import { stemmer as porter } from 'stemmer';
import type { KnownLanguage } from '../../util/language.ts';
import { dutchStem } from './dutch.ts';
import { germanStem } from './german.ts';
import { polishStem } from './polish.ts';
import { frenchStem, italianStem, portugueseStem, spanishStem } from './romance.ts';

/** Stems one lower-case word. */
export type Stemmer = (word: string) => string;

/** The stemmer for each known language. */
export const STEMMERS: Record<KnownLanguage, Stemmer> = {
  en: porter,
  pl: polishStem,
  de: germanStem,
  fr: frenchStem,
  es: spanishStem,
  it: italianStem,
  pt: portugueseStem,
  nl: dutchStem,
};
