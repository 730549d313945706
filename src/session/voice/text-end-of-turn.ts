import type { EndOfTurnDetector, EndOfTurnInput } from './end-of-turn.ts';
import { baseLanguage, knownLanguage } from '../../util/language.ts';
import { languageVerdict } from './turn-words.ts';

// End of turn from the words alone (English). Deterministic rules over the last few words of what
// the recogniser heard, tuned on bench/end-of-turn's labelled callers:
//   - mid-thought (wait longest): a trailing conjunction, preposition, article, filler ("um",
//     "and", "so", "because", "the"), a phrase that asks for time ("let me think"), a half-given
//     email ("my email is john dot") or phone number (fewer than 10 digits after "my number is"),
//     digits still being read out;
//   - done (wait least): a short answer ("yes", "no thanks", "that works"), a question ("what
//     does it cost"), a finished email or phone number, a time or day at the end ("Tuesday at 3");
//   - anything else: the ordinary delay.
// Recognisers differ in punctuation (pocketsphinx has none), so it reads words and uses a final
// "?" only as extra evidence. The other languages Parley knows get the trailing-word, short-answer
// and question rules (turn-words.ts); a language it does not know gets no opinion (fixed delays).

const TRAILING = new Set([
  'and', 'but', 'or', 'so', 'because', 'cause', 'cuz', 'um', 'umm', 'uh', 'uhm', 'er', 'erm', 'hmm', 'like',
  'the', 'a', 'an', 'to', 'with', 'of', 'for', 'my', 'our', 'your', 'their', 'his', 'her', 'its', 'is', 'are', 'was', 'were', 'am',
  'if', 'then', 'at', 'in', 'on', 'from', 'about', 'than', 'which', 'who', 'whose', 'where', 'when', 'while', 'until', 'since', 'as',
  'i', "i'm", 'im', 'we', "we're", 'they', "it's", "there's", 'be', 'been', 'being', 'will', 'would', 'could', 'should', 'might', 'must',
  'also', 'plus', 'by', 'into', 'onto', 'through', 'between', 'maybe', 'actually', 'basically', 'well', 'just', 'very', 'really',
  'dot', 'dash', 'hyphen', 'underscore', 'slash', 'point', 'number', 'extension', 'and uh', 'although', 'unless', 'whether', 'though',
  'let', "let's", 'want', 'need', 'wanna', 'gonna', 'called', 'named', 'use', 'using', 'includes', 'including', 'such', 'some', 'any', 'more', 'most', 'other', 'another', 'each', 'every', 'this', 'these', 'those',
]);

/** Phrases at the end that ask for time: the caller is thinking, not done. */
const HOLDING = /\b(let me (see|think|check)|hold on|one (second|sec|moment)|just a (second|sec|moment)|give me a (second|sec|moment)|i mean|you know|i guess|(i|we) think|(i|we) believe|kind of|sort of|what else|what was it|how do i put it|(is|was|said|think|know|mean|hope|sure|guess) that)$/;

/** Whole turns that are complete answers on their own. */
const SHORT_ANSWERS = new Set([
  'yes', 'yeah', 'yep', 'yup', 'no', 'nope', 'nah', 'sure', 'okay', 'ok', 'correct', 'right', 'exactly', 'absolutely', 'definitely',
  'of course', 'please', 'yes please', 'no thanks', 'no thank you', 'thanks', 'thank you', 'thank you very much', 'thanks a lot',
  'perfect', 'great', 'sounds good', 'sounds great', 'that sounds good', 'that sounds great', 'that works', 'that works for me', 'works for me',
  "that's right", 'that is right', "that's correct", 'that is correct', "that's fine", 'that is fine', "that's all", 'that is all',
  "that's it", 'that is it', 'not really', 'not yet', 'not at all', 'i do', "i don't", 'i have', "i haven't", 'we do', "we don't",
  'bye', 'goodbye', 'bye bye', 'hello', 'hi', 'got it', 'i see', 'all right', 'alright', 'fine', 'good', 'no problem', 'nothing else',
  "i'm not sure", "i don't know", 'both', 'neither', 'either', 'none', 'all of them', 'the first one', 'the second one', 'the last one',
]);

const QUESTION_START = /^(what|what's|whats|when|where|who|whom|why|how|which|can|could|do|does|did|is|are|was|were|will|would|should|shall|may|have|has|am|isn't|aren't|don't|doesn't|won't|can't)\b/;
/** Words that end a complete answer about time: a day, a time, a part of the day. */
const TIME_END = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|tomorrow|morning|afternoon|evening|noon|midnight|week|month|year|am|pm|a m|p m|o'clock|oclock|\d{1,2}(:\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirty|fifteen|forty five|first|second|third|fourth|fifth|\w+(st|nd|rd|th))$/;
/** Endings that close an answer ("… works", "… is fine", "… please"). */
const CLOSING = /\b(works|work for me|works for me|is fine|would be great|would be perfect|sounds good|sounds great|please|thanks|thank you|that's all|that's it|is all|for now|right now|anymore|as well|too|either|then)$/;
const TLD = /\b(com|org|net|io|co|uk|edu|gov|de|fr|pl|ai|app|dev|us|ca|info|biz)$/;
const DIGIT_WORD = new Map(Object.entries({ zero: 1, oh: 1, o: 1, one: 1, two: 1, three: 1, four: 1, five: 1, six: 1, seven: 1, eight: 1, nine: 1, double: 2, triple: 3 }));

/** Normalises what a recogniser wrote to lower-case words with apostrophes kept. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/@/g, ' at ')
    .replace(/(\w)\.(\w)/g, '$1 dot $2')
    .replace(/(\d)/g, ' $1 ')
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** How many phone digits the words read out after the last mention of a number. */
function digitsSaid(ws: string[]): number {
  let n = 0;
  for (const w of ws) {
    if (/^\d$/.test(w)) n += 1;
    else if (DIGIT_WORD.has(w)) n += w === 'double' || w === 'triple' ? 0 : 1;
  }
  return n;
}

/** Trailing run of digit words ("five five five two"), as a count. */
function trailingDigits(ws: string[]): number {
  let n = 0;
  for (let i = ws.length - 1; i >= 0; i--) {
    const w = ws[i]!;
    if (/^\d$/.test(w) || (DIGIT_WORD.has(w) && w !== 'o') || w === 'double' || w === 'triple') n++;
    else break;
  }
  return n;
}

/** The verdict on English words: 'done', 'unfinished' or 'unsure'. */
export function englishVerdict(text: string): 'done' | 'unfinished' | 'unsure' {
  const ws = words(text);
  if (ws.length === 0) return 'unsure';
  const joined = ws.join(' ');
  const last = ws.at(-1)!;
  const lastTwo = ws.slice(-2).join(' ');
  const question = /\?\s*$/.test(text);

  // Spelling out an email: "… my email is john dot" / "john at gmail".
  const email = joined.lastIndexOf('email') >= 0 || joined.includes('e mail') || joined.includes('address is');
  if (email) {
    const after = joined.slice(Math.max(joined.lastIndexOf('email'), joined.lastIndexOf('address')));
    if (/\bis\b|\bit's\b/.test(after) || / at /.test(after)) return TLD.test(joined) && / at /.test(after) ? 'done' : 'unfinished';
  }
  // Reading out a phone number: "my number is five five five …".
  const phoneAt = Math.max(joined.lastIndexOf('number'), joined.lastIndexOf('phone'), joined.lastIndexOf('cell'), joined.lastIndexOf('mobile'));
  if (phoneAt >= 0) {
    const after = words(joined.slice(phoneAt));
    const digits = digitsSaid(after);
    if (digits >= 10) return 'done';
    if (digits > 0 || /\b(is|it's|on|at)$/.test(joined)) return 'unfinished';
  }
  // Digits being read (a code, a date, a number): wait while the run is short of a full number.
  const run = trailingDigits(ws);
  if (run >= 3 && run < 10) return 'unfinished';

  if (TRAILING.has(last) || TRAILING.has(lastTwo) || HOLDING.test(joined)) return 'unfinished';
  if (SHORT_ANSWERS.has(joined) || (ws.length <= 4 && SHORT_ANSWERS.has(ws.slice(0, -1).join(' ')) && CLOSING.test(joined))) return 'done';
  if (/^(yes|yeah|no|nope|sure|okay|ok)\b/.test(joined) && ws.length <= 3) return 'done';
  if (question || (QUESTION_START.test(joined) && ws.length >= 3)) return 'done';
  if (CLOSING.test(joined) && ws.length >= 2) return 'done';
  if (TIME_END.test(joined) && ws.length <= 8) return 'done';
  return 'unsure';
}

const PROBABILITY = { done: 0.9, unsure: 0.5, unfinished: 0.1 } as const;

/** `listen.turn.detector: text` — end of turn from what the recogniser heard (English in full, Parley's other languages by their words, others: no opinion). */
export class TextEndOfTurn implements EndOfTurnDetector {
  readonly id = 'text';

  probability({ text, language }: EndOfTurnInput): number | undefined {
    const base = baseLanguage(language);
    if (base === 'en') return PROBABILITY[englishVerdict(text)];
    if (knownLanguage(language) !== base) return undefined;
    const verdict = languageVerdict(text, knownLanguage(language));
    return verdict && PROBABILITY[verdict];
  }
}
