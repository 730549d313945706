// The agent's language as the code's own words and lines know it: persona.language is a BCP-47
// tag (en-GB, pl-PL, pt-BR); the fixed lines, read-back words, time phrases and question words
// are kept per base language, and a language without its own table falls back to English.

/** The base languages Parley's own words and lines are written in. */
export const KNOWN_LANGUAGES = ['en', 'pl', 'de', 'fr', 'es', 'it', 'pt', 'nl'] as const;
export type KnownLanguage = (typeof KNOWN_LANGUAGES)[number];

/** The base language of a BCP-47 tag, lower case: "pl-PL" → "pl", undefined → "en". */
export function baseLanguage(tag: string | undefined): string {
  return (tag ?? 'en').trim().split(/[-_]/)[0]!.toLowerCase() || 'en';
}

/** The known language for a tag, or English when Parley has no words of its own for it. */
export function knownLanguage(tag: string | undefined): KnownLanguage {
  const base = baseLanguage(tag);
  return (KNOWN_LANGUAGES as readonly string[]).includes(base) ? (base as KnownLanguage) : 'en';
}

/** Whether Parley's own words and lines exist in this tag's language (check warns when not). */
export function hasOwnWords(tag: string | undefined): boolean {
  return knownLanguage(tag) === baseLanguage(tag);
}
