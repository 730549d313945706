import { knownLanguage, type KnownLanguage } from '../util/language.ts';

// The words a value is read back with, per language: symbols said as words ("małpa" for @,
// "kropka" for .) and digits said as words ("sześć, siedem, pięć"). A read-back is heard in the
// agent's language and in English, always: callers and models mix them ("g-r-a-z-y-n-a at …").
// Only the agent's language is added to English, because the same word is a digit in one
// language and a word in another (Portuguese "um" is 1, English "um" is a hesitation).

/** Symbols said as words: a phrase of one or more words → the symbol. */
type Symbols = Record<string, string>;

const SYMBOLS: Record<KnownLanguage, Symbols> = {
  en: { dot: '.', period: '.', point: '.', 'full stop': '.', at: '@', 'at sign': '@', dash: '-', hyphen: '-', minus: '-', underscore: '_', 'under score': '_', plus: '+', apostrophe: "'" },
  pl: { małpa: '@', małpka: '@', kropka: '.', myślnik: '-', minus: '-', łącznik: '-', kreska: '-', podkreślenie: '_', podkreślnik: '_', podłoga: '_', plus: '+', apostrof: "'" },
  de: { at: '@', ät: '@', klammeraffe: '@', punkt: '.', bindestrich: '-', minus: '-', strich: '-', unterstrich: '_', plus: '+', apostroph: "'" },
  fr: { arobase: '@', arrobase: '@', 'a commercial': '@', point: '.', tiret: '-', moins: '-', 'trait d’union': '-', "trait d'union": '-', 'tiret bas': '_', 'tiret du bas': '_', underscore: '_', plus: '+', apostrophe: "'" },
  es: { arroba: '@', punto: '.', guion: '-', guión: '-', menos: '-', 'guion bajo': '_', 'guión bajo': '_', más: '+', mas: '+', apóstrofo: "'" },
  it: { chiocciola: '@', punto: '.', trattino: '-', meno: '-', 'trattino basso': '_', underscore: '_', più: '+', apostrofo: "'" },
  pt: { arroba: '@', ponto: '.', hífen: '-', hifen: '-', traço: '-', traco: '-', menos: '-', 'traço baixo': '_', sublinhado: '_', underline: '_', mais: '+', apóstrofo: "'" },
  nl: { apenstaartje: '@', apestaart: '@', punt: '.', streepje: '-', koppelteken: '-', min: '-', 'liggend streepje': '_', 'laag streepje': '_', underscore: '_', plus: '+', apostrof: "'" },
};

/** Digit words 0–9; a digit may have several words (Polish "jeden"/"jedna", German "zwei"/"zwo"). */
const DIGITS: Record<KnownLanguage, string[][]> = {
  en: [['zero', 'oh', 'nought'], ['one'], ['two'], ['three'], ['four'], ['five'], ['six'], ['seven'], ['eight'], ['nine']],
  pl: [['zero'], ['jeden', 'jedna', 'jedno'], ['dwa', 'dwie'], ['trzy'], ['cztery'], ['pięć'], ['sześć'], ['siedem'], ['osiem'], ['dziewięć']],
  de: [['null'], ['eins', 'ein'], ['zwei', 'zwo'], ['drei'], ['vier'], ['fünf'], ['sechs'], ['sieben'], ['acht'], ['neun']],
  fr: [['zéro'], ['un', 'une'], ['deux'], ['trois'], ['quatre'], ['cinq'], ['six'], ['sept'], ['huit'], ['neuf']],
  es: [['cero'], ['uno', 'una'], ['dos'], ['tres'], ['cuatro'], ['cinco'], ['seis'], ['siete'], ['ocho'], ['nueve']],
  it: [['zero'], ['uno', 'una'], ['due'], ['tre'], ['quattro'], ['cinque'], ['sei'], ['sette'], ['otto'], ['nove']],
  pt: [['zero'], ['um', 'uma'], ['dois', 'duas'], ['três', 'tres'], ['quatro'], ['cinco'], ['seis', 'meia'], ['sete'], ['oito'], ['nove']],
  nl: [['nul'], ['een', 'één'], ['twee'], ['drie'], ['vier'], ['vijf'], ['zes'], ['zeven'], ['acht'], ['negen']],
};

/** What a read-back in one language may say: symbol phrases and digit words, each to its character. */
export interface ReadBackWords {
  /** Symbol phrases of more than one word, longest first: join them before splitting into words. */
  phrases: string[];
  /** One word (a phrase with its spaces removed) → the symbol or digit it stands for. */
  units: Map<string, string>;
}

const cache = new Map<KnownLanguage, ReadBackWords>();

/** The symbol and digit words a read-back may use in `language` (a BCP-47 tag), English included. */
export function readBackWords(language?: string): ReadBackWords {
  const lang = knownLanguage(language);
  const known = cache.get(lang);
  if (known) return known;
  const units = new Map<string, string>();
  const phrases = new Set<string>();
  for (const l of new Set<KnownLanguage>([lang, 'en'])) {
    for (const [phrase, symbol] of Object.entries(SYMBOLS[l])) {
      const key = phrase.normalize('NFC');
      if (key.includes(' ')) phrases.add(key);
      if (!units.has(joined(key))) units.set(joined(key), symbol);
    }
    DIGITS[l].forEach((words, digit) => words.forEach((w) => units.has(w) || units.set(w.normalize('NFC'), String(digit))));
  }
  const words = { phrases: [...phrases].sort((a, b) => b.length - a.length), units };
  cache.set(lang, words);
  return words;
}

/** A phrase of several words as the one word it is read as: "tiret bas" → "tiretbas". */
export const joined = (phrase: string): string => phrase.replace(/[\s'’]+/g, '');

/** Lower-cased text with each multi-word symbol phrase joined into one word ("tiret bas" → "tiretbas"). */
export function joinPhrases(text: string, words: ReadBackWords): string {
  let t = text;
  for (const p of words.phrases) t = t.replace(new RegExp(`(?<![\\p{L}\\p{N}])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`, 'gu'), joined(p));
  return t;
}

/** Text with `language`'s symbol and digit words put into English ones ("jan małpa firma kropka pl" → "jan at firma dot pl"); English text is unchanged. */
export function symbolWordsInEnglish(text: string, language?: string): string {
  if (knownLanguage(language) === 'en') return text;
  const words = readBackWords(language);
  const english = readBackWords('en').units;
  return joinPhrases(text.normalize('NFC').toLowerCase(), words).replace(/[\p{L}\p{M}]+/gu, (w) => {
    const unit = words.units.get(w);
    if (unit === undefined || english.has(w)) return w;
    return /^\d$/.test(unit) ? unit : ` ${symbolWord(unit, 'en') ?? unit} `;
  });
}

/** How a symbol is said in `language` (the first word listed), English when it has none: "@" → "małpa". */
export function symbolWord(symbol: string, language?: string): string | undefined {
  const lang = knownLanguage(language);
  for (const l of [lang, 'en'] as const) {
    const found = Object.entries(SYMBOLS[l]).find(([, s]) => s === symbol);
    if (found) return found[0];
  }
  return undefined;
}

/** How a digit is said in `language`: 6 → "sześć". */
export function digitWord(digit: number, language?: string): string {
  return DIGITS[knownLanguage(language)][digit][0];
}

/** A plain yes in a few words per language, for telling the model which answers count. */
export const YES_EXAMPLES: Record<KnownLanguage, string> = {
  en: '"yes", "yeah", "correct"',
  pl: '"tak", "zgadza się", "dokładnie"',
  de: '"ja", "genau", "stimmt"',
  fr: '"oui", "exact", "c\'est ça"',
  es: '"sí", "correcto", "exacto"',
  it: '"sì", "esatto", "giusto"',
  pt: '"sim", "isso", "certo"',
  nl: '"ja", "klopt", "precies"',
};
