// A light German stemmer (after Savoy's): umlauts folded, then the plural and case endings cut
// ("Termin", "Termine", "Terminen" → "termin"; "Zahlung", "Zahlungen" → "zahlung"; "Preis",
// "Preise" → "preis"). Compounds stay whole.

const FOLD: Record<string, string> = { ä: 'a', ö: 'o', ü: 'u', ß: 'ss' };
const MIN_STEM = 3;

/** The light stem of one lower-case German word. */
export function germanStem(word: string): string {
  let w = word.replace(/[äöüß]/g, (c) => FOLD[c]!);
  if (w.length <= MIN_STEM + 1) return w;
  for (const s of ['ern', 'em', 'en', 'er', 'es', 'et', 'st']) {
    if (w.length - s.length >= MIN_STEM && w.endsWith(s)) return w.slice(0, -s.length);
  }
  if (w.length - 1 >= MIN_STEM && /[es]$/.test(w)) {
    // "s" only after a letter German puts it after (Savoy's rule).
    if (!w.endsWith('s') || /[bdfghklmnrt]s$/.test(w)) w = w.slice(0, -1);
  }
  return w;
}
