// Light stemmers for French, Spanish, Italian and Portuguese (after Savoy's): accents folded,
// the plural cut, then the gender vowel or a verb's infinitive ending, so "pago", "pagos",
// "pagar" meet ("pag") and "paiement", "paiements" do ("paiement").

const MIN_STEM = 3;

const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '');

const cut = (w: string, endings: readonly string[]) => {
  for (const s of endings) if (w.length - s.length >= MIN_STEM && w.endsWith(s)) return w.slice(0, -s.length);
  return w;
};

/** The light stem of one lower-case French word. */
export function frenchStem(word: string): string {
  let w = fold(word);
  if (w.length <= MIN_STEM) return w;
  w = cut(w, ['aux', 's', 'x']);
  return cut(w, ['euse', 'eur', 'ive', 'iere', 'ier', 'er', 'ez', 'ee', 'e']);
}

/** The light stem of one lower-case Spanish word. */
export function spanishStem(word: string): string {
  let w = fold(word);
  if (w.length <= MIN_STEM) return w;
  w = cut(w, ['ciones', 'cion', 'es', 's']);
  return cut(w, ['ar', 'er', 'ir', 'a', 'o', 'e']);
}

/** The light stem of one lower-case Italian word. */
export function italianStem(word: string): string {
  let w = fold(word);
  if (w.length <= MIN_STEM) return w;
  w = cut(w, ['zioni', 'zione', 'are', 'ere', 'ire']);
  w = cut(w, ['he', 'hi']); // "banche" → "banc" like "banca"
  return cut(w, ['a', 'e', 'i', 'o']);
}

/** The light stem of one lower-case Portuguese word. */
export function portugueseStem(word: string): string {
  let w = fold(word);
  if (w.length <= MIN_STEM) return w;
  w = cut(w, ['coes', 'cao', 'oes', 'aes', 'es', 's']);
  return cut(w, ['ar', 'er', 'ir', 'a', 'o', 'e']);
}
