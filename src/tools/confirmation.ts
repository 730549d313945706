// "Read the spelling back before you book" is a rule the code checks, not a hope about the
// model: book_call looks in the transcript for an agent turn that spelled the value out
// letter by letter and a caller turn right after it that said yes.
//
// "Spelled out" means the value's own letters, one by one, in order and nothing else between
// them: "B-o-b E-v-i-l", "b o b at e-v-i-l dot com". Saying the value as words ("Bob Evil,
// bob@evil.com") does not count, however many other letters the turn spells ("y-e-s?"). In an
// address, the domain labels spellOut says whole (com, gmail…) may be said whole or spelled.

import { SAID_AS_WORDS } from './spelling.ts';
import { joinPhrases, readBackWords, type ReadBackWords } from './spoken-words.ts';

// A yes in the languages callers use most (the persona's language need not be English): Polish
// "tak, zgadza się", German "ja, genau", French "oui, c'est ça", Spanish "sí, correcto"…
const END = String.raw`(?=$|[\s\p{P}])`;
const YES = new RegExp(
  String.raw`^\s*(?:yes|yeah|yep|yup|correct|right|that's right|that is right|exactly|perfect|sure|absolutely|that's it|that's correct|spot on|uh-huh|mhm` +
    String.raw`|ok|okay|okey|okej|oké|dobrze|jasne|oczywiście|owszem|pewnie|tak|zgadza się|dokładnie|zgadza|ja|in ordnung|d'accord|vale|de acuerdo|va bene|perfetto|perfecto|perfeito|goed|inderdaad|jawohl|genau|richtig|stimmt|korrekt|oui|exact|exactement|c'est ça|c'est bien ça|sí|si|sì|claro|correcto|exacto|esatto|giusto|sim|certo|isso|klopt|precies|jo|ano|da|так|да|точно)${END}`,
  'iu',
);
const BUT_NO = new RegExp(String.raw`(?:^|[\s\p{P}])(?:no|not|nope|wrong|incorrect|actually|wait|nie|źle|nein|nicht|falsch|non|faux|pas|não|nao|niet|nee|ne|нет|не)${END}`, 'iu');


/** One unit of a read-back: a single letter or digit or a symbol said as a word (char), or a whole word; `pause` when punctuation ends what came before. */
type Unit = { kind: 'char' | 'word'; text: string; pause: boolean };

/** Punctuation that ends a spelled run: "B-o-b E-v-i-l, b-o-b at…" is two values; "E-v-i-l-l-e" is one. */
const PAUSE = /[,;:!?—–()\n]|\.\s/;

/** One thing the read-back must contain: a character, or a domain label said whole or spelled. */
type Expected = { kind: 'char'; text: string } | { kind: 'label'; text: string };

const graphemes = (text: string): string[] => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

// Openings that answer but are no confirmation of a read-back: a no ("Non, c'est bon"), French "ouais".
const OTHER_ANSWER_OPENING = new RegExp(String.raw`^\s*(?:no|nope|nie|nein|non|não|nao|nee|niet|ne|нет|ouais)${END}`, 'iu');

/** Whether the caller's words open with a yes or a no (whatever follows): an answer to the agent, not a question, when little follows. */
export function opensWithYesOrNo(text: string): boolean {
  return YES.test(text) || OTHER_ANSWER_OPENING.test(text);
}

/** Whether the caller's words are a plain yes. */
export function isAffirmative(text: string): boolean {
  return YES.test(text) && !BUT_NO.test(text.replace(YES, ''));
}

/** The agent's words as read-back units: punctuation and dashes between letters only separate them; symbol and digit words (in the agent's language or English) are their characters. */
function readBackUnits(text: string, said: ReadBackWords): Unit[] {
  const t = `${joinPhrases(text.normalize('NFC').toLocaleLowerCase().replace(/@/g, ' at '), said)} `;
  const units: Unit[] = [];
  let last = 0;
  for (const m of t.matchAll(/[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*/gu)) {
    const w = m[0];
    const pause = PAUSE.test(t.slice(last, m.index));
    last = m.index + w.length;
    const unit = said.units.get(w);
    if (unit !== undefined && w !== 'oh') units.push({ kind: 'char', text: unit, pause });
    else units.push({ kind: graphemes(w).length === 1 ? 'char' : 'word', text: w, pause });
  }
  return units;
}

/** Whether a run of units may start at `start` or end before `end`: not in the middle of other spelled letters. */
function edge(units: Unit[], before: number, after: number): boolean {
  const a = units[before];
  const b = units[after];
  const letter = (u: Unit | undefined) => u?.kind === 'char' && /[\p{L}\p{N}]/u.test(u.text);
  return !letter(a) || !letter(b) || b.pause;
}

/** What reading `value` back must say, unit by unit. */
function expectedUnits(value: string): Expected[] {
  const v = value.normalize('NFC').trim().toLocaleLowerCase();
  const chars = (s: string): Expected[] =>
    graphemes(s)
      .filter((g) => !/\s/.test(g))
      .map((g) => ({ kind: 'char', text: g === '’' ? "'" : g }));
  const at = v.lastIndexOf('@');
  if (at < 0) return chars(v);
  const labels = v.slice(at + 1).split('.');
  return [...chars(v.slice(0, at)), { kind: 'char', text: '@' }, ...labels.flatMap((label, i): Expected[] => [...(i ? [{ kind: 'char', text: '.' } as const] : []), ...(SAID_AS_WORDS.has(label) ? [{ kind: 'label', text: label } as const] : chars(label))])];
}

/** Whether the units contain the expected read-back as one unbroken run. */
function spelledIn(units: Unit[], expected: Expected[]): boolean {
  const matchFrom = (u: number, e: number): boolean => {
    if (e === expected.length) return edge(units, u - 1, u);
    const want = expected[e];
    const got = units[u];
    if (!got) return false;
    if (want.kind === 'label') {
      if (got.kind === 'word' && got.text === want.text && matchFrom(u + 1, e + 1)) return true;
      // A label may be spelled too: its letters, one by one.
      const letters = graphemes(want.text);
      return letters.every((l, i) => units[u + i]?.kind === 'char' && units[u + i].text === l) && matchFrom(u + letters.length, e + 1);
    }
    return got.kind === 'char' && got.text === want.text && matchFrom(u + 1, e + 1);
  };
  for (let start = 0; start < units.length; start++) if (edge(units, start - 1, start) && matchFrom(start, 0)) return true;
  return false;
}

/** Where a read-back stands in the transcript: confirmed; read back but the caller's answer was not a plain yes (`answer` undefined: not answered yet); or never read back. */
export type ReadBackState = { state: 'confirmed' } | { state: 'not-yes'; answer?: string } | { state: 'not-read-back' };

/** Whether some agent turn satisfied `said` and the caller's next turn was a plain yes; the latest read-back decides what went wrong when none was confirmed. */
export function readBackState(transcript: { role: 'agent' | 'caller'; text: string }[], said: (text: string) => boolean): ReadBackState {
  let latest: ReadBackState = { state: 'not-read-back' };
  for (let i = transcript.length - 1; i >= 0; i--) {
    if (transcript[i].role !== 'agent' || !said(transcript[i].text)) continue;
    const answer = transcript.slice(i + 1).find((t) => t.role === 'caller');
    if (answer && isAffirmative(answer.text)) return { state: 'confirmed' };
    if (latest.state === 'not-read-back') latest = { state: 'not-yes', ...(answer ? { answer: answer.text } : {}) };
  }
  return latest;
}

/** Where the letter-by-letter read-back of `value` stands; symbol and digit words count in `language` (BCP-47) and English. */
export function spelledBackState(value: string, transcript: { role: 'agent' | 'caller'; text: string }[], language?: string): ReadBackState {
  const expected = expectedUnits(value);
  if (!expected.some((x) => x.kind === 'label' || /[\p{L}\p{N}]/u.test(x.text))) return { state: 'not-read-back' };
  const words = readBackWords(language);
  return readBackState(transcript, (text) => spelledIn(readBackUnits(text, words), expected));
}

/** Whether an agent turn spelled `value` out letter by letter and the caller's next turn confirmed it; `language` adds its symbol and digit words to English. */
export function confirmedAloud(value: string, transcript: { role: 'agent' | 'caller'; text: string }[], language?: string): boolean {
  return spelledBackState(value, transcript, language).state === 'confirmed';
}
