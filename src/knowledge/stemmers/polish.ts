// A light Polish stemmer: the case, number and person endings are cut off so that the forms a
// caller says and the forms a page writes meet ("czwartek", "czwartku", "czwartki" → "czwartk";
// "płatność", "płatności" → "płatn"; "usługa", "usług", "usługami" → "usług"). It does not
// undo every alternation of the stem — a light stemmer errs toward leaving words apart.

// Longest first; each needs at least MIN_STEM letters left in front of it.
const SUFFIXES = [
  'owaniami', 'owaniach', 'ościami', 'ościach', 'owania', 'owanie', 'owaniu', 'owaniem',
  'ujemy', 'ujecie', 'ujesz', 'iejsza', 'iejszy', 'iejsze',
  'ością', 'ości', 'ość', 'ować', 'ował', 'owała', 'owało', 'owali',
  'ałem', 'ałam', 'ałeś', 'iłem', 'iłam', 'iłeś',
  'ało', 'ała', 'ały', 'ali', 'iło', 'iła', 'iły', 'ili',
  'ami', 'ach', 'ych', 'ich', 'ymi', 'imi', 'ego', 'emu', 'iej', 'owi', 'iem', 'ów', 'uje', 'uję', 'ują', 'ymy', 'imy', 'cie',
  'em', 'om', 'ie', 'ia', 'iu', 'ii', 'ią', 'ię', 'ej', 'ym', 'im', 'ić', 'ać', 'eć', 'ąć', 'ył', 'ił', 'ał',
  'y', 'i', 'a', 'e', 'u', 'ę', 'ą', 'o',
];
const MIN_STEM = 3;

/** The light stem of one lower-case Polish word. */
export function polishStem(word: string): string {
  if (word.length <= MIN_STEM) return word;
  // Locative "-dzie", "-cie" after a stem ending in d, t: "środzie" → "środ", "sobocie" → "sobot".
  if (word.length > 6 && word.endsWith('dzie')) return word.slice(0, -4) + 'd';
  if (word.length > 6 && /[oa]cie$/.test(word)) return word.slice(0, -3) + 't';
  // The same t → c after ł, r, n: "ryczałcie" → "ryczałt", "karcie" → "kart", "kliencie" → "klient".
  if (word.length > 5 && /[łrn]cie$/.test(word)) return polishStem(word.slice(0, -3) + 't');
  for (const s of SUFFIXES) {
    if (word.length - s.length >= MIN_STEM && word.endsWith(s)) return word.slice(0, -s.length);
  }
  // The mobile e of a base form: "czwartek" / "czwartku", "piątek" / "piątki", "wtorek" / "wtorku".
  if (word.length > 5 && word.endsWith('ek')) return word.slice(0, -2) + 'k';
  return word;
}
