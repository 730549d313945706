// Names and email addresses are where a spoken booking goes wrong: "Jon" or "John", "smith"
// or "smyth". The agent reads them back letter by letter (spellOut), and what the speech
// recogniser made of the caller spelling them is turned back into text here, in code.
//
// Rules, chosen once and documented for the booking docs:
// - spellOut spells everything letter by letter ("j-o-h-n"), digits one by one ("4 2"),
//   and says symbols as words (dot, at, dash, underscore, plus). In an email address only a
//   few domain words everybody spells the same way are said whole: com, org, net, edu, gov,
//   info, gmail, googlemail, yahoo, hotmail, outlook, icloud, proton, protonmail. Country
//   codes and everything else are spelled ("dot c-o dot u-k"). Addresses are spelled in lower
//   case; names keep their capitals and are spelled word by word ("Z-o-ë, A-n-n").
// - parseSpokenEmail lower-cases the address and drops every space ("john smith at acme.com"
//   is johnsmith@acme.com). Letter names ("jay oh aitch en") count as letters only in a run
//   of two or more spelled letters, so a lone "jay" stays the word "jay". "at" is the first
//   "at" not after "dot" (so "dot at", Austria, still works). ASCII addresses only.

import { symbolWord, symbolWordsInEnglish } from './spoken-words.ts';

const SYMBOL_WORDS: Record<string, string> = { '.': 'dot', '@': 'at', '-': 'dash', _: 'underscore', '+': 'plus', "'": 'apostrophe', '’': 'apostrophe', '&': 'ampersand', '/': 'slash' };
/** Domain labels said whole: everyone spells them the same way. */
export const SAID_AS_WORDS = new Set(['com', 'org', 'net', 'edu', 'gov', 'info', 'gmail', 'googlemail', 'yahoo', 'hotmail', 'outlook', 'icloud', 'proton', 'protonmail']);
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** How letters sound when said by name, as a recogniser writes them down. */
const LETTER_NAMES: Record<string, string> = {
  ay: 'a', bee: 'b', be: 'b', see: 'c', sea: 'c', cee: 'c', dee: 'd', ee: 'e', ef: 'f', eff: 'f', gee: 'g', jee: 'g', aitch: 'h', haitch: 'h',
  eye: 'i', jay: 'j', kay: 'k', el: 'l', ell: 'l', em: 'm', en: 'n', oh: 'o', pee: 'p', cue: 'q', queue: 'q', ar: 'r', are: 'r', es: 's',
  ess: 's', tee: 't', tea: 't', you: 'u', yu: 'u', vee: 'v', doubleyou: 'w', ex: 'x', why: 'y', wye: 'y', zee: 'z', zed: 'z',
};
const NATO = 'alfa alpha bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey whisky xray yankee zulu'.split(' ');
/** An address a calendar will accept: ASCII, dotted local part, at least two domain labels. */
const EMAIL = /^[a-z0-9_%+'-]+(?:\.[a-z0-9_%+'-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const graphemes = (text: string): string[] => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
const isLetter = (g: string): boolean => /^\p{L}/u.test(g);
const isDigit = (g: string): boolean => /^\p{Nd}$/u.test(g);

/** A form a listener can check: "john.smith@acme.com" → "j-o-h-n dot s-m-i-t-h at a-c-m-e dot com", "Zoë Ann" → "Z-o-ë, A-n-n"; symbols in `language`'s words when given (pl: "małpa", "kropka"). */
export function spellOut(text: string, language?: string): string {
  const t = text.normalize('NFC').trim();
  const say = (symbol: string): string => (language ? symbolWord(symbol, language) : undefined) ?? SYMBOL_WORDS[symbol] ?? symbol;
  if (/^[^\s@]+@[^\s@]+$/.test(t)) {
    const [local, domain] = t.toLowerCase().split('@');
    const labels = domain.split('.').map((label) => (SAID_AS_WORDS.has(label) ? label : spellWord(label, say)));
    return `${spellWord(local, say)} ${say('@')} ${labels.join(` ${say('.')} `)}`;
  }
  return t.split(/\s+/).filter(Boolean).map((w) => spellWord(w, say)).join(', ');
}

/** Letters joined by dashes, digits one by one, symbols as words: "anna-maria99" → "a-n-n-a dash m-a-r-i-a 9 9". */
function spellWord(word: string, say: (symbol: string) => string): string {
  const out: string[] = [];
  let letters: string[] = [];
  const flush = (): void => {
    if (letters.length) out.push(letters.join('-'));
    letters = [];
  };
  for (const g of graphemes(word)) {
    if (isLetter(g)) {
      letters.push(g);
      continue;
    }
    flush();
    out.push(isDigit(g) ? g : say(g === '’' ? "'" : g));
  }
  flush();
  return out.join(' ');
}

/** What a speech recogniser wrote for a spoken address ("john dot smith at gmail dot com"; with `language` pl also "jan małpa firma kropka pl") as the address, or null. */
export function parseSpokenEmail(spoken: string, language?: string): string | null {
  const s = ` ${symbolWordsInEnglish(spoken, language).normalize('NFKC').toLowerCase()} `
    .replace(/^\s*(?:(?:my|the|his|her|our)\s+)?(?:e-?mail(?:\s+address)?\s+(?:is|would be)|it'?s|it is)\s+/, ' ')
    .replace(/[,;!?"()<>]/g, ' ')
    .replace(/\.(?=\s)/g, ' ')
    .replace(/\bat[\s-]+(?:the[\s-]+)?rate(?:[\s-]+of)?\b|\bat[\s-]+(?:sign|symbol)\b|@/g, ' @ ')
    .replace(/\bunder[\s-]?score\b/g, ' _ ')
    .replace(/\bfull\s+stop\b/g, ' . ')
    .replace(/\bdouble[\s-]?(?:u|you)\b/g, ' w ')
    .replace(/\bx-ray\b/g, 'xray')
    .replace(/\b([a-z])\s+(?:as\s+in|for|like)\s+[a-z]+\b/g, '$1');
  const tokens = spelledRuns(expandDoubles(splitHyphens(s.split(/\s+/).filter(Boolean))), false).map((t) => {
    if (t.spelled) return t.text;
    const w = t.text;
    if (w === 'dot' || w === 'period' || w === 'point') return '.';
    if (w === 'dash' || w === 'hyphen' || w === 'minus') return '-';
    if (w === 'plus') return '+';
    if (w === 'underscore') return '_';
    return DIGITS.includes(w) ? String(DIGITS.indexOf(w)) : w;
  });
  const at = tokens.findIndex((t, i) => (t === '@' || t === 'at') && tokens[i - 1] !== '.');
  if (at < 0) return null;
  const address = `${tokens.slice(0, at).join('')}@${tokens.slice(at + 1).join('')}`;
  return EMAIL.test(address) ? address : null;
}

/** Spelled letters as a recogniser writes them ("j o h n", "J-O-H-N", "j as in juliet o h n") as the word: "john". */
export function parseSpokenLetters(spoken: string): string {
  const s = ` ${spoken.normalize('NFC').toLowerCase()} `
    .replace(/\b(?:capital|upper\s?case|lower\s?case|small|big)\s+/g, ' ')
    .replace(/\bdouble[\s-]?(?:u|you)\b/g, ' w ')
    .replace(/\bx-ray\b/g, 'xray')
    .replace(/(^|\s)(\p{L})\s+(?:as\s+in|for|like)\s+\p{L}+/gu, '$1$2');
  // A dash-joined group ("Z-o-ë, A-n-n") is one word of a name; a bare dash only separates letters.
  const tokens = expandDoubles(
    s.split(/[\s,.;:]+/).flatMap((w): Token[] => {
      const parts = w.split('-').filter(Boolean);
      if (parts.length > 1 && parts.every(isUnit)) return [...parts.map((p) => ({ text: unitText(p), spelled: true })), { text: 'space', spelled: false }];
      return parts.map((text) => ({ text, spelled: false }));
    }),
  );
  return spelledRuns(tokens, true)
    .map(({ text: w, spelled }) => {
      if (spelled) return w;
      if (w === 'space') return ' ';
      if (w === 'dash' || w === 'hyphen') return '-';
      if (w === 'apostrophe') return "'";
      if (NATO.includes(w)) return w[0];
      return DIGITS.includes(w) ? String(DIGITS.indexOf(w)) : w;
    })
    .join('')
    .replace(/\s*([-'])\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether two spellings are the same, ignoring case and spaces: for "is that right?" checks. */
export function sameSpelling(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFC').toLocaleLowerCase().replace(/\s+/g, '');
  return norm(a) === norm(b);
}

interface Token {
  text: string;
  /** Already resolved to letters or digits. */
  spelled: boolean;
}

const isUnit = (w: string): boolean => graphemes(w).length === 1 || w in LETTER_NAMES || DIGITS.includes(w);
const unitText = (w: string): string => LETTER_NAMES[w] ?? (DIGITS.includes(w) ? String(DIGITS.indexOf(w)) : w);

/** "j-o-h-n" is spelled letters; "smith-jones" keeps its dash. */
function splitHyphens(words: string[]): Token[] {
  return words.flatMap((w): Token[] => {
    const parts = w.split('-').filter(Boolean);
    if (w.includes('-') && parts.length > 1 && parts.every(isUnit)) return parts.map((p) => ({ text: unitText(p), spelled: true }));
    if (w === '-') return [{ text: 'dash', spelled: false }];
    return [{ text: w, spelled: false }];
  });
}

/** "double l" → "ll", "double 4" → "44". */
function expandDoubles(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1];
    if (tokens[i].text === 'double' && !tokens[i].spelled && next && isUnit(next.text)) {
      const unit = unitText(next.text);
      out.push({ text: unit + unit, spelled: true });
      i++;
    } else out.push(tokens[i]);
  }
  return out;
}

/** Letter names become letters next to another spelled letter ("jay oh"), or always when `always`. */
function spelledRuns(tokens: Token[], always: boolean): Token[] {
  const letterLike = (t: Token | undefined): boolean => !!t && (t.text in LETTER_NAMES || /^\p{L}$/u.test(t.text) || (t.spelled && /^\p{L}+$/u.test(t.text)));
  return tokens.map((t, i) => {
    if (t.spelled || !(t.text in LETTER_NAMES)) return t;
    return always || letterLike(tokens[i - 1]) || letterLike(tokens[i + 1]) ? { text: LETTER_NAMES[t.text], spelled: true } : t;
  });
}
