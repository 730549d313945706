// Topics the owner does not want the agent to handle — medical, legal or financial advice,
// competitors, anything listed under `guardrails:` — recognised in code before the model is
// asked, and answered with the owner's fixed line. Like strict knowledge, a rule the code keeps
// rather than one the prompt hopes for: the model never sees the turn, so it cannot be talked
// into the advice.
//
// The built-in topics are about *advice*: a dental clinic is asked "how much is a filling" all
// day, and "my gum bleeds, is that normal?" is the one to turn away. So a built-in topic needs one
// of its words and a way of asking for advice ("should I", "is it normal", "can I take"), or one
// of its words that only ever asks for advice ("diagnose", "sue"). An owner's own topic matches on
// its words alone unless it says `asking: advice`. An agent in another known language gets that
// language's topic words, ways of asking and lines too (advice-words.ts), on top of English's.
import type { GuardrailInput } from '../agent/schema.ts';
import { phraseRegExp, stemOf, wordsOf } from '../knowledge/index.ts';
import type { KnownLanguage } from '../util/language.ts';
import { ADVICE_WORDS } from './advice-words.ts';
import { phrasesRegExp } from './question-words.ts';

interface TopicRules {
  /** Words (or phrases) of the topic; with `asking: advice` they need an advice-seeking phrase too. */
  words: string[];
  /** Words that ask for advice on their own. */
  strong?: string[];
  say: string;
  /** Requests for the advice, as callers put them: what a turn is compared with by meaning. */
  examples: string[];
}

/** The topics Parley knows by name. */
export const BUILT_IN_TOPICS: Record<'medical' | 'legal' | 'financial', TopicRules> = {
  medical: {
    words:
      'symptom symptoms pain painful hurt hurts hurting ache aches aching sore swollen swelling lump rash fever infection infected bleed bleeding bleeds antibiotic antibiotics medication medicine medicines pill pills tablet tablets dose dosage ibuprofen paracetamol aspirin painkiller painkillers pregnant pregnancy allergic allergy allergies condition disease illness side effects blood pressure diabetes numb numbness dizzy headache migraine'.split(
        ' ',
      ),
    strong: ['diagnose', 'diagnosis', 'prescribe', 'prescription', 'overdose'],
    say: "I'm not able to give medical advice. Please speak to a doctor or pharmacist, or call your local emergency number if it's urgent. I'm happy to help with anything about our services or to book you in.",
    examples: [
      'Is this symptom something I should worry about?',
      'What medication should I take for the pain?',
      'Can you tell me what is wrong with me?',
      'Is it safe for me to keep exercising with this injury?',
      'How much of this medicine can I take?',
    ],
  },
  legal: {
    words: 'legal legally law laws lawyer lawyers solicitor attorney court liable liability rights tribunal divorce custody eviction evict visa immigration copyright trademark'.split(' '),
    strong: ['sue', 'suing', 'lawsuit'],
    say: "I'm not able to give legal advice; a solicitor or lawyer can help with that. I'm happy to help with anything about our services.",
    examples: ['Can I take my landlord to court over this?', 'Am I legally entitled to a refund from them?', 'What are my rights if my employer fires me?', 'Should I sign this contract?'],
  },
  financial: {
    words: 'invest investing investment investments stock stocks shares crypto bitcoin pension pensions mortgage loan loans savings retirement portfolio fund funds tax taxes isa deduct deduction deductions deductible rebate rebates'.split(' ').concat('tax credit', 'tax credits', 'federal credit', 'energy credit'),
    say: "I'm not able to give financial advice; an independent financial adviser can help with that. I'm happy to help with anything about our services.",
    examples: ['Where should I put my savings?', 'Is now a good time to buy shares?', 'Should I pay off my mortgage early?', 'Which pension should I choose?'],
  },
};

// Ways of asking for advice, on the words as a recogniser writes them.
const ASKING_ADVICE =
  /\b(?:should i|should we|do i need|do i have to|would you (?:recommend|advise|suggest)|what (?:should|can|do) i (?:take|do|use|buy|try)|can i take|is (?:it|this|that) (?:normal|safe|serious|bad|ok|okay|dangerous|legal|allowed|worth)|is it a good idea|am i (?:allowed|liable|entitled|eligible)|are we (?:eligible|entitled)|can (?:i|we) (?:deduct|claim|write off|expense|offset)|(?:do|would|will|could|can) (?:i|we) (?:qualify|be eligible)|what are my rights|could (?:it|this) be|do you think (?:i|it|this)|what(?:s| is) wrong with|what causes|how (?:much|many|often) should i|is there anything i can|(?:pay|owe|paying|owing) less|so (?:that )?(?:i|we) (?:dont|do not|wont|will not) (?:have to )?pay|(?:better|worse) (?:\w+ ){0,6}?than|(?:better|worse) off|what(?:s| is| would be) (?:\w+ ){0,3}?better|which (?:\w+ ){0,3}?(?:is|would be|will be) better|(?:is|would) (?:it|that|this) be better|is it better|which (?:one |option )?(?:is|would be) better|(?:does|would|will|did) (?:it|this|that) (?:really )?pay off|pays off|worth it|(?:does|would) (?:it|that|this) make sense)\b/;

/** Cosine similarity to a topic's nearest example at which a turn counts as the topic, without `minSimilarity`. */
export const DEFAULT_TOPIC_SIMILARITY = 0.6;

/** A guarded topic, ready to match caller turns. */
export interface GuardedTopic {
  topic: string;
  say: string;
  /** Matches a caller's turn by its words. */
  matches(heard: HeardWords): boolean;
  /** What a turn is compared with by meaning, where the agent has knowledge.embeddings. */
  examples: string[];
  minSimilarity: number;
  /** The agent's language: the turn is stemmed in it. */
  language: KnownLanguage;
}

/** A caller's turn as guardrails read it: its words (lower case, space-separated), their stems as a set and in order. */
export interface HeardWords {
  spoken: string;
  stems: Set<string>;
  stemmed: string;
}

/** Which guarded topic a turn touched, and how it was recognised. */
export type GuardMatch = { topic: GuardedTopic; by: 'words' } | { topic: GuardedTopic; by: 'meaning'; similarity: number; example: string };

/** The agent's guardrails in its language (English's words count too), compiled once per agent. */
export function guardedTopics(config: readonly GuardrailInput[], language: KnownLanguage = 'en'): GuardedTopic[] {
  const own = language === 'en' ? undefined : ADVICE_WORDS[language];
  const stem = (w: string) => stemOf(w, language);
  const asking = own ? [ASKING_ADVICE, phrasesRegExp(own.asking)] : [ASKING_ADVICE];
  return config.map((g) => {
    const preset = (BUILT_IN_TOPICS as Record<string, TopicRules | undefined>)[g.topic];
    const local = preset && own ? own.topics[g.topic as keyof typeof BUILT_IN_TOPICS] : undefined;
    const words = [...(preset?.words ?? []), ...split(local?.words), ...(g.words ?? [])].map((w) => w.trim().toLowerCase()).filter(Boolean);
    const strong = [...(preset?.strong ?? []), ...split(local?.strong)];
    const strongPhrase = local?.strongPhrases ? phrasesRegExp(local.strongPhrases) : undefined;
    const needsAdvice = (g.asking ?? (preset ? 'advice' : 'any')) === 'advice';
    const single = new Set(words.filter((w) => !/\s/.test(w)).map(stem));
    // A phrase matches as written or in any inflection of its words ("opłaca się" / "opłacało się").
    const phrases = words.filter((w) => /\s/.test(w)).flatMap((w) => [phraseRegExp(wordsOf(w)), phraseRegExp(wordsOf(w).map(stem))]);
    const strongStems = new Set(strong.map(stem));
    const mentions = (h: HeardWords) => [...h.stems].some((s) => single.has(s)) || phrases.some((re) => re.test(h.spoken) || re.test(h.stemmed));
    const asksAdvice = (h: HeardWords) => asking.some((re) => re.test(h.spoken));
    return {
      topic: g.topic,
      say: g.say ?? local?.say ?? preset?.say ?? own?.otherSay ?? "That's not something I can help with here. I'm happy to help with anything about our services.",
      matches: (h) => [...h.stems].some((s) => strongStems.has(s)) || (strongPhrase?.test(h.spoken) ?? false) || (mentions(h) && (!needsAdvice || asksAdvice(h))),
      // An own topic without examples is described by its name and words.
      examples: [...(preset?.examples ?? []), ...(g.examples ?? [])].concat(preset || g.examples?.length ? [] : [`${g.topic}: ${words.join(', ')}`]),
      minSimilarity: g.minSimilarity ?? DEFAULT_TOPIC_SIMILARITY,
      language,
    };
  });
}

const split = (words: string | undefined) => words?.split(/\s+/).filter(Boolean) ?? [];

/** The first guarded topic a caller's turn touches, if any. */
export function guardedTopicOf(text: string, topics: readonly GuardedTopic[]): GuardedTopic | undefined {
  if (!topics.length) return undefined;
  const words = wordsOf(text);
  const stemmed = words.map((w) => stemOf(w, topics[0]!.language));
  const heard: HeardWords = { spoken: words.join(' '), stems: new Set(stemmed), stemmed: stemmed.join(' ') };
  return topics.find((t) => t.matches(heard));
}

// Compiled once per agent file and language: every conversation with the agent shares them.
const compiled = new WeakMap<object, Map<KnownLanguage, GuardedTopic[]>>();

/** The agent's guardrails, compiled on first use and shared by its conversations. */
export function guardedTopicsOf(config: readonly GuardrailInput[], language: KnownLanguage = 'en'): GuardedTopic[] {
  let byLanguage = compiled.get(config);
  if (!byLanguage) compiled.set(config, (byLanguage = new Map()));
  let t = byLanguage.get(language);
  if (!t) byLanguage.set(language, (t = guardedTopics(config, language)));
  return t;
}
