// Strict knowledge, enforced in code: a question about something the documents do not cover is
// answered with the agent's configured "I don't know" line, and the model is never asked, so it
// cannot answer from thin air. Small talk and the agent's own tasks (booking, giving a name or
// an email) still go to the model, and so does a question the best passage covers.
import { readCallerQuery, retrieve, stemOf, vocabulary, wordsOf, type Embedder, type KnowledgeIndex, type Retrieval, type Vocabulary } from '../knowledge/index.ts';
import { opensWithYesOrNo } from '../tools/confirmation.ts';
import type { ConversationEvent } from './events.ts';
import type { Store } from '../store/store.ts';
import type { KnownLanguage } from '../util/language.ts';
import { ENGLISH_QUESTION_WORDS, questionWordsOf } from './question-words.ts';

/**
 * Below this coverage of what a question asks, a strict agent declines in code, without asking
 * the model. It is low on purpose: turning away an answerable question loses the visitor, and a
 * question above it still reaches a model told to answer only from the passages or reply with
 * the not-in-documents marker (see not-in-documents.ts). bench/grounding measures both sides.
 */
export const MIN_COVERAGE = 0.15;

/**
 * At or above this share of a question's weight in words no document holds (and no everyday
 * word: "bitcoin", "founder", "football"), a strict agent declines in code even when a word or
 * two of it is found ("support" in "which football club does your founder support").
 */
export const MAX_ABSENT_SHARE = 0.75;

/** Cosine similarity at which the nearest passage counts as answering, without `knowledge.embeddings.minSimilarity`. */
export const DEFAULT_MIN_SIMILARITY = 0.5;

/** Whether a caller's words read as a question in the agent's language (by punctuation, by how they start, by an asking phrase, or as a statement that asks and is not negated: ASKING_STATEMENTS, ASKING_NEGATIONS). */
export function looksLikeQuestion(text: string, language: KnownLanguage = 'en'): boolean {
  if (text.trim().endsWith('?') || text.trim().startsWith('¿')) return true;
  const words = questionWordsOf(language);
  const heard = wordsOf(text).join(' ');
  const spoken = heard.replace(words.fillerStart, '');
  // "Oui, c'est ça", "Sim, está certo", "Tak, jest dobrze": a yes or a no with a few words after it
  // answers the agent. The copula that starts many spoken questions ("está abierto…") does not ask there.
  const answers = opensWithYesOrNo(text) && spoken.split(' ').length <= 3;
  // A statement that asks counts wherever it stands, filler words included ("proszę powiedzieć"),
  // unless it is negated: "I'm not interested in solar panels" declines.
  return (!answers && words.questionStart.test(spoken)) || words.asking.test(spoken) || words.statements.test(withoutNegatedStatements(text, words.negatedStatements));
}

/**
 * The turn's words with its negated statements that ask taken out. Negations are looked for
 * within a clause, so a "no" that answers ("No, me interesa el precio") does not negate the
 * statement after the comma; the clauses are joined again for the statements themselves.
 */
function withoutNegatedStatements(text: string, negated: RegExp): string {
  return text
    .split(/[,;:.!?¡¿…]+/u)
    .map((clause) => wordsOf(clause).join(' ').replace(negated, ' ').trim())
    .filter(Boolean)
    .join(' ');
}

/** Whether the words are about the agent's own tasks or the call itself (in its language or English), which the documents need not cover. */
export function isOwnTask(text: string, language: KnownLanguage = 'en'): boolean {
  const spoken = wordsOf(text).join(' ');
  return ENGLISH_QUESTION_WORDS.ownTask.test(spoken) || (language !== 'en' && questionWordsOf(language).ownTask.test(spoken));
}

/** The decision for one turn, with the retrieval it was made on. */
export interface Grounding {
  retrieval: Retrieval;
  /** The turn asks for facts the documents do not cover: answer with the unknown-answer line. */
  declined: boolean;
  /** Why, in words for the record ("not in the documents: founder"). */
  reason: string;
}

/** How a turn is grounded: the agent's vocabulary, how many passages, and what its tools cover. */
export interface GroundingOptions {
  previous?: readonly string[];
  topK: number;
  vocabulary: Vocabulary;
  strict: boolean;
  /** Names and descriptions of the agent's webhook tools: a question one of them answers is not declined. */
  toolTopics?: readonly string[];
  /** Hybrid retrieval (`knowledge.embeddings`): the model, and the similarity at which a passage counts as answering. */
  embedder?: Embedder;
  minSimilarity?: number;
  embedTimeoutMs?: number;
  /** The agent's index, when it was read ahead of the turn. */
  index?: Promise<KnowledgeIndex>;
  signal?: AbortSignal;
}

/** Retrieves the passages for a caller's turn and decides whether a strict agent must decline it. */
export async function groundTurn(store: Store, agent: string, heard: string, o: GroundingOptions): Promise<Grounding> {
  const retrieval = await retrieve(store, agent, heard, { previous: o.previous, limit: o.topK, vocabulary: o.vocabulary, embedder: o.embedder, embedTimeoutMs: o.embedTimeoutMs, index: o.index, signal: o.signal });
  const answer = (reason: string): Grounding => ({ retrieval, declined: false, reason });
  if (!o.strict) return answer('not strict');
  if (!looksLikeQuestion(heard, o.vocabulary.language)) return answer('not a question');
  if (isOwnTask(heard, o.vocabulary.language)) return answer("the agent's own task");
  if (retrieval.coverage >= MIN_COVERAGE && retrieval.unknownShare < MAX_ABSENT_SHARE) return answer(`covered ${retrieval.coverage.toFixed(2)}`);
  if (retrieval.similarity !== undefined && retrieval.similarity >= (o.minSimilarity ?? DEFAULT_MIN_SIMILARITY)) return answer(`similar ${retrieval.similarity.toFixed(2)}`);
  if (o.toolTopics?.length && coveredByTools(heard, o.vocabulary, o.toolTopics)) return answer('a tool covers it');
  const missing = retrieval.unknown.length ? `not in the documents: ${retrieval.unknown.join(', ')}` : `covered ${retrieval.coverage.toFixed(2)}`;
  return { retrieval, declined: true, reason: missing };
}

/**
 * Whether one tool's name and description share enough of what the turn asks: two of its content
 * words, or half of them. One incidental word is not enough ("support" in "which football club
 * does your founder support" against a tool that opens support tickets).
 */
function coveredByTools(heard: string, vocab: Vocabulary, topics: readonly string[]): boolean {
  const slots = readCallerQuery(heard, vocab).slots;
  if (!slots.length) return false;
  return topics.some((topic) => {
    const stems = new Set(wordsOf(topic).map((w) => stemOf(w, vocab.language)));
    const shared = slots.filter((s) => s.stems.some((st) => stems.has(st))).length;
    return shared >= 2 || shared / slots.length >= 0.5;
  });
}

// One vocabulary per synonyms list and language: agents loaded once share it across their conversations.
const vocabularies = new WeakMap<object, Map<KnownLanguage, Vocabulary>>();
const builtIn = new Map<KnownLanguage, Vocabulary>();
const NO_SYNONYMS: string[][] = [];

/** The built-in vocabulary plus an agent's `knowledge.synonyms`, stemmed in its language, built once per agent file. */
export function vocabularyOf(synonyms: string[][] | undefined, language: KnownLanguage = 'en'): Vocabulary {
  let byLanguage = synonyms?.length ? vocabularies.get(synonyms) : builtIn;
  if (!byLanguage) vocabularies.set(synonyms!, (byLanguage = new Map()));
  let v = byLanguage.get(language);
  if (!v) byLanguage.set(language, (v = vocabulary(synonyms ?? NO_SYNONYMS, language)));
  return v;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The `knowledge.hits` event of a caller turn: what was retrieved and how the turn was decided. */
export function knowledgeHitsEvent(
  at: string,
  seq: number,
  g: Grounding,
  guard: { topic: string; by: 'words' | 'meaning'; similarity?: number } | undefined,
  scrub: (text: string) => string,
  guardEmbedError?: string,
): Extract<ConversationEvent, { type: 'knowledge.hits' }> {
  const r = g.retrieval;
  const guardedTopic = guard?.topic;
  return {
    type: 'knowledge.hits',
    at,
    seq,
    grounding: r.hits.length ? 'chunks' : 'no-match',
    hits: r.hits.map((h) => ({ chunkId: h.chunkId, source: h.source, heading: h.heading, score: h.score })),
    decision: {
      declined: g.declined || guardedTopic !== undefined,
      reason: guardedTopic ? `guarded topic: ${guardedTopic}` : g.reason,
      coverage: round2(r.coverage),
      ...(r.similarity !== undefined ? { similarity: round2(r.similarity) } : {}),
      ...(r.embedError ? { embedError: scrub(r.embedError) } : {}),
      searchMs: round2(r.searchMs),
      ...(r.embedMs !== undefined ? { embedMs: round2(r.embedMs) } : {}),
      ...(guard ? { guardedBy: guard.by } : {}),
      ...(guard?.similarity !== undefined ? { guardSimilarity: round2(guard.similarity) } : {}),
      ...(guardEmbedError ? { guardEmbedError: scrub(guardEmbedError) } : {}),
    },
  };
}
