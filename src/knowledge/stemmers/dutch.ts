// A light Dutch stemmer: plural and verb endings cut, a doubled consonant undone and a long vowel
// shortened so "afspraak" and "afspraken" meet ("afsprak"), "betaling" and "betalingen" do.

const MIN_STEM = 3;

/** The light stem of one lower-case Dutch word. */
export function dutchStem(word: string): string {
  let w = word.normalize('NFD').replace(/\p{M}/gu, '');
  if (w.length <= MIN_STEM + 1) return w;
  for (const s of ['heden', 'en', 'e', 't']) {
    if (w.length - s.length >= MIN_STEM && w.endsWith(s)) {
      w = w.slice(0, -s.length).replace(/z$/, 's').replace(/v$/, 'f'); // "prijzen" → "prijs", "brieven" → "brief"
      break;
    }
  }
  // The plural "s" comes after a vowel or l, n, r ("tafels", "auto's"), not in "prijs" or "reis".
  if (w.length - 1 >= MIN_STEM && /[aeioulnr]s$/.test(w)) w = w.slice(0, -1);
  w = w.replace(/([bdfgklmnprst])\1$/, '$1'); // "bellen" → "bell" → "bel"
  return w.replace(/(aa|ee|oo|uu)([^aeiou])$/, (_, v: string, c: string) => v[0] + c); // "afspraak" → "afsprak"
}
