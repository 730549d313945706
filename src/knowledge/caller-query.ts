import { askingStatementsOf } from './asking-statements.ts';
import { isLanguageFiller, isLanguageStopWord } from './spoken-words.ts';
import { isStopWord } from './terms.ts';
import { isAgentConcept, type Vocabulary } from './vocabulary.ts';
import { stemOf, wordsOf } from './words.ts';

// A caller's turn as retrieval reads it: the things it asks about ("slots"), each with every stem
// that would count as a match for it — the word's own stem and the stems of its concepts. Words
// a speech recogniser writes around a question ("um", "you guys", "like") carry nothing, and
// neither do the statements that make a turn a question ("I'm interested in", "interesuje mnie").

/** One thing the caller asked about: a word or a spoken phrase, and the stems that match it. */
export interface QuerySlot {
  /** The caller's word or phrase. */
  text: string;
  /** Stems that count as a match: its own first (for a word), then its concepts'. */
  stems: string[];
  /** A spoken phrase standing for a concept ("how much"): it has no stem of its own. */
  phrase?: boolean;
  /** `turn`: said now; `context`: from an earlier caller turn, to find what a follow-up refers to. */
  from: 'turn' | 'context';
}

/** What a caller's turn asks about, with what an earlier turn asked when this one refers back to it. */
export interface CallerQuery {
  slots: QuerySlot[];
  /** The turn refers back ("and how long does that take", "what about for kids"). */
  followUp: boolean;
  /** The turn's words in order, for joining what a recogniser split ("in voice" → "invoice"). */
  words: string[];
}

// Spoken filler and the verbs of asking: they appear around every question and in no answer.
const FILLER = new Set(
  `um uh erm er hmm mm ah oh yeah yep nope okay ok alright guys folks stuff etc actually basically literally
  gonna wanna kinda sorta gotta also else offer offers offering provide provides providing use using possible option options
  exactly roughly typically usually normally generally currently right little bit info information detail details
  whats hows wheres whos whens thats theres its im ive id ill youre youve youd theyre dont doesnt didnt cant couldnt isnt arent
  wasnt werent wont wouldnt shouldnt havent hasnt lets cos coz cuz`.split(/\s+/),
);

const FOLLOW_UP_START = /^(?:(?:um|uh|so|okay|ok|oh)\s+)*(?:and|also|plus|but|what about|how about|what if|is that|does that|does it|is it|is there|do they|are they|and that|same for|then)\b/;
const REFERS_BACK = /\b(?:that|it|this|those|these|them|they|one|ones|there)\b/;

/**
 * Most slots read from one turn: a long turn (a visitor may type 2,000 characters) still costs a
 * bounded search — each slot is a postings lookup and, for a word the documents lack, a scan of
 * the corpus's words for a near spelling.
 */
export const MAX_SLOTS = 24;

/** How many earlier caller turns a follow-up may reach back to. */
const CONTEXT_TURNS = 2;

/** Reads a caller's turn (and, for a follow-up, the turns before it, oldest first) into slots. */
export function readCallerQuery(text: string, vocab: Vocabulary, previous: readonly string[] = []): CallerQuery {
  const slots = slotsOf(text, vocab, 'turn');
  const spoken = wordsOf(text).join(' ');
  const followUp = previous.length > 0 && (FOLLOW_UP_START.test(spoken) || (REFERS_BACK.test(spoken) && slots.length <= 2) || slots.length === 0);
  if (followUp) {
    const seen = new Set(slots.map((s) => s.stems[0]));
    for (const earlier of previous.slice(-CONTEXT_TURNS).reverse()) {
      for (const s of slotsOf(earlier, vocab, 'context')) {
        if (seen.has(s.stems[0]) || slots.length >= 2 * MAX_SLOTS) continue;
        seen.add(s.stems[0]);
        slots.push(s);
      }
    }
  }
  return { slots, followUp, words: wordsOf(text) };
}

/** The slot for one caller's word: its stem and its concepts' stems. */
export function wordSlot(word: string, vocab: Vocabulary, from: QuerySlot['from']): QuerySlot {
  const stem = stemOf(word, vocab.language);
  const related = vocab.conceptsOf(stem).flatMap((c) => vocab.stemsOf(c));
  return { text: word, stems: [stem, ...new Set(related.filter((s) => s !== stem))], from };
}

function slotsOf(text: string, vocab: Vocabulary, from: QuerySlot['from']): QuerySlot[] {
  // A statement that asks ("interested in", "interesuje mnie") only makes the turn a question: it names nothing to find.
  let spoken = ` ${wordsOf(text).join(' ').replace(askingStatementsOf(vocab.language), ' ')} `;
  const slots: QuerySlot[] = [];
  const seen = new Set<string>();
  for (const [re, concept] of vocab.phrases) {
    const m = re.exec(spoken);
    if (!m) continue;
    // A built-in phrase's words mean nothing apart ("set me back"); an owner's phrase's words do ("care plan").
    if (!isAgentConcept(concept)) spoken = `${spoken.slice(0, m.index)} ${spoken.slice(m.index + m[0].length)}`;
    if (seen.has(`#${concept}`)) continue;
    seen.add(`#${concept}`);
    slots.push({ text: m[0].trim(), stems: [...vocab.stemsOf(concept)], phrase: true, from });
  }
  for (const word of spoken.split(' ')) {
    if (!word || (word.length < 3 && !/^\p{N}+$/u.test(word)) || carriesNothing(word, vocab)) continue;
    if (slots.length >= MAX_SLOTS) break;
    const slot = wordSlot(word, vocab, from);
    if (seen.has(slot.stems[0])) continue;
    seen.add(slot.stems[0]);
    slots.push(slot);
  }
  return slots;
}

/** A function word or filler, in English or the agent's language. */
function carriesNothing(word: string, vocab: Vocabulary): boolean {
  return isStopWord(word) || FILLER.has(word) || isLanguageStopWord(word, vocab.language) || isLanguageFiller(word, vocab.language);
}

/**
 * Joins neighbouring words a recogniser split ("in voice", "pipe drive", "tally fox") when the
 * joined word is one the documents use and the parts, apart, are not.
 */
export function joinSplitWords(query: CallerQuery, vocab: Vocabulary, known: (stem: string) => boolean): CallerQuery {
  const { words } = query;
  let slots = query.slots;
  for (let i = 0; i + 1 < words.length; i++) {
    const [a, b] = [words[i], words[i + 1]];
    const joined = a + b;
    const stem = (w: string) => stemOf(w, vocab.language);
    if (joined.length < 5 || !known(stem(joined))) continue;
    if (known(stem(a)) && known(stem(b)) && !isStopWord(a) && !isStopWord(b)) continue;
    slots = [...slots.filter((s) => s.from !== 'turn' || (s.text !== a && s.text !== b)), wordSlot(joined, vocab, 'turn')];
    i++;
  }
  return slots === query.slots ? query : { ...query, slots };
}
