// Strict knowledge, enforced in code: a question about something the documents do not cover is
// answered with the agent's configured "I don't know" line, and the model is never asked, so it
// cannot answer from thin air. Small talk and the agent's own tasks (booking, giving a name or
// an email) still go to the model, and so does a question the best passage covers.
import { readCallerQuery, retrieve, stemOf, vocabulary, wordsOf, type Embedder, type Retrieval, type Vocabulary } from '../knowledge/index.ts';
import type { ConversationEvent } from './events.ts';
import type { Store } from '../store/store.ts';

// A recogniser writes no question marks; a question shows in how it starts (after the filler
// callers open with) or in the asking phrases anywhere in it.
const FILLER_START = /^(?:(?:um|uh|erm|er|hmm|so|and|ok|okay|oh|well|yeah|hi|hey|hello|right|alright|also|like|actually|sorry|quick question|one more thing|just)\s+)+/;
const QUESTION_START =
  /^(?:what|whats|who|whom|whose|which|when|where|why|how|hows|do|does|did|dont|doesnt|is|isnt|are|arent|was|were|can|cant|could|will|would|should|shall|may|might|have|has|any|tell me|i wonder|wondering|curious|i was wondering|id like to know|i want to know|i need to know|i was hoping to know)\b/;
const ASKING = /\b(?:do|does|can|could|will|would|is|are) (?:you|your|u|ya|they|it|there|i|we)\b|\b(?:any idea|wondering|curious|want to know|need to know|like to know|tell me|how much|how long|or not)\b/;

// What the agent itself does rather than facts in the documents: booking and scheduling, the
// caller giving their details, and talk about the call itself.
const OWN_TASK = new RegExp(
  [
    String.raw`\b(?:book|booking|schedule|scheduling|reschedule|appointment|appointments|meeting|slot|slots|availability|available|calendar|intro call|a call|call me|call back|callback|put me down|put me in|pencil me in|sign me up for|o ?clock|\d+ ?(?:am|pm))\b`,
    String.raw`\b(?:today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|next week|this week)\b`,
    String.raw`\bmy (?:name|email|e mail|phone|number|company|address)\b`,
    String.raw`\b(?:spell|repeat|say that again|you there|hear me|bye|goodbye|thanks|thank you|real person|human|robot|bot|machine|recording|recorded|are you an? ai|artificial|your name|who am i talking|who is this|who are you)\b`,
  ].join('|'),
);

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

/** Whether a caller's words read as a question (by punctuation, by how they start, or by an asking phrase). */
export function looksLikeQuestion(text: string): boolean {
  if (text.trim().endsWith('?')) return true;
  const spoken = wordsOf(text).join(' ').replace(FILLER_START, '');
  return QUESTION_START.test(spoken) || ASKING.test(spoken);
}

/** Whether the words are about the agent's own tasks or the call itself, which the documents need not cover. */
export function isOwnTask(text: string): boolean {
  return OWN_TASK.test(wordsOf(text).join(' '));
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
  signal?: AbortSignal;
}

/** Retrieves the passages for a caller's turn and decides whether a strict agent must decline it. */
export async function groundTurn(store: Store, agent: string, heard: string, o: GroundingOptions): Promise<Grounding> {
  const retrieval = await retrieve(store, agent, heard, { previous: o.previous, limit: o.topK, vocabulary: o.vocabulary, embedder: o.embedder, embedTimeoutMs: o.embedTimeoutMs, signal: o.signal });
  const answer = (reason: string): Grounding => ({ retrieval, declined: false, reason });
  if (!o.strict) return answer('not strict');
  if (!looksLikeQuestion(heard)) return answer('not a question');
  if (isOwnTask(heard)) return answer("the agent's own task");
  if (retrieval.coverage >= MIN_COVERAGE && retrieval.unknownShare < MAX_ABSENT_SHARE) return answer(`covered ${retrieval.coverage.toFixed(2)}`);
  if (retrieval.similarity !== undefined && retrieval.similarity >= (o.minSimilarity ?? DEFAULT_MIN_SIMILARITY)) return answer(`similar ${retrieval.similarity.toFixed(2)}`);
  if (o.toolTopics?.length && coveredByTools(heard, o.vocabulary, o.toolTopics)) return answer('a tool covers it');
  const missing = retrieval.unknown.length ? `not in the documents: ${retrieval.unknown.join(', ')}` : `covered ${retrieval.coverage.toFixed(2)}`;
  return { retrieval, declined: true, reason: missing };
}

/** Whether most of what the turn asks appears in one tool's name and description. */
function coveredByTools(heard: string, vocab: Vocabulary, topics: readonly string[]): boolean {
  const slots = readCallerQuery(heard, vocab).slots;
  if (!slots.length) return false;
  return topics.some((topic) => {
    const stems = new Set(wordsOf(topic).map(stemOf));
    return slots.filter((s) => s.stems.some((st) => stems.has(st))).length / slots.length >= MIN_COVERAGE;
  });
}

// One vocabulary per synonyms list: agents loaded once share it across their conversations.
const vocabularies = new WeakMap<object, Vocabulary>();
const BUILT_IN = vocabulary();

/** The built-in vocabulary plus an agent's `knowledge.synonyms`, built once per agent file. */
export function vocabularyOf(synonyms: string[][] | undefined): Vocabulary {
  if (!synonyms?.length) return BUILT_IN;
  let v = vocabularies.get(synonyms);
  if (!v) vocabularies.set(synonyms, (v = vocabulary(synonyms)));
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
