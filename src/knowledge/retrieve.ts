import type { Store } from '../store/store.ts';
import { errorText } from '../util/error-text.ts';
import { timeoutSignal } from '../util/timeout-signal.ts';
import { joinSplitWords, readCallerQuery, type CallerQuery } from './caller-query.ts';
import type { Embedder } from './embeddings.ts';
import { knowledgeIndexOf } from './index-cache.ts';
import type { KnowledgeIndex, RankedChunk } from './knowledge-index.ts';
import type { KnowledgeHit } from './search.ts';
import type { Vocabulary } from './vocabulary.ts';
import { answerTypeOf, holdsAnswerType } from './answer-type.ts';
import { isCommonWord } from './common-words.ts';

// Retrieval for one caller turn: the caller's words read into slots (with an earlier turn's for a
// follow-up), the agent's chunks ranked by them and — when an embedding model is configured — by
// meaning too, the two rankings fused, and how well the best passages cover what was asked: the
// figures the strict decision reads.

/** How a turn's retrieval is run. */
export interface RetrieveOptions {
  /** Earlier caller turns, oldest first, for follow-ups. */
  previous?: readonly string[];
  limit: number;
  vocabulary: Vocabulary;
  /** Hybrid retrieval: the query is embedded too, and nearest passages fused with lexical ones. */
  embedder?: Embedder;
  /** Longest wait for the query's embedding before going on with lexical results alone (default 400 ms). */
  embedTimeoutMs?: number;
  /** The agent's index when it was already asked for (read while the caller spoke); else it is looked up now. */
  index?: Promise<KnowledgeIndex>;
  signal?: AbortSignal;
}

/** What retrieval found for a turn. */
export interface Retrieval {
  hits: KnowledgeHit[];
  query: CallerQuery;
  /**
   * Share of what the turn asks about (weighted by how specific each thing is in this corpus)
   * found in one of the passages: 1 when nothing was asked about, 0 when no passage holds any of it.
   */
  coverage: number;
  /** The caller's words that no document holds in any form. */
  unknown: string[];
  /** Share of what the turn asks (by weight) that is words no document holds and that are not everyday words. */
  unknownShare: number;
  /** Cosine similarity of the nearest passage, when the query was embedded. */
  similarity?: number;
  /** The turn's embedding (unit length), for other matching by meaning without a second call. */
  vector?: Float32Array;
  /** Why the query was not embedded although an embedder is configured (timeout, provider error). */
  embedError?: string;
  /** Time for the search itself and for the query's embedding call, in milliseconds. */
  searchMs: number;
  embedMs?: number;
}

/** Lexical and vector candidates fused per turn, before the best `limit` are kept. */
const CANDIDATES = 20;
/** Reciprocal rank fusion's constant: ranks matter, score scales (BM25 vs cosine) do not. */
const RRF_K = 60;

/** The agent's index for retrieval with these options (its language, and the embedding model's vectors when one is configured). */
export function agentIndex(store: Store, agent: string, o: Pick<RetrieveOptions, 'vocabulary' | 'embedder' | 'signal'>): Promise<KnowledgeIndex> {
  return knowledgeIndexOf(store, agent, { embeddingLabel: o.embedder?.label, language: o.vocabulary.language, signal: o.signal });
}

/** Retrieves an agent's passages for a caller's turn. */
export async function retrieve(store: Store, agent: string, text: string, o: RetrieveOptions): Promise<Retrieval> {
  let query = readCallerQuery(text, o.vocabulary, o.previous);
  const said = query.followUp && o.previous?.length ? `${o.previous.at(-1)} ${text}` : text;
  const embedding = o.embedder ? embedQuery(o.embedder, said, o.embedTimeoutMs ?? 400, o.signal) : undefined;
  const t0 = performance.now();
  o.signal?.throwIfAborted();
  const index = await (o.index ?? agentIndex(store, agent, o));
  query = joinSplitWords(query, o.vocabulary, (stem) => index.has(stem));
  const lexical = index.search(query, CANDIDATES);
  let searchMs = performance.now() - t0;
  const embedded = embedding && (await embedding);
  let ranked = lexical.slice(0, o.limit);
  let similarity: number | undefined;
  if (embedded && 'vector' in embedded) {
    const t1 = performance.now();
    const nearest = index.nearest(embedded.vector, CANDIDATES);
    similarity = nearest[0]?.score;
    ranked = fuse([lexical, nearest], o.limit);
    searchMs += performance.now() - t1;
  }
  const { coverage, unknown, unknownShare } = coverageOf(index, query, ranked);
  return {
    hits: ranked.map(({ chunk, score }) => ({ chunkId: chunk.id, source: chunk.source, heading: chunk.heading, text: chunk.text, score })),
    query,
    coverage,
    unknown,
    unknownShare,
    similarity,
    ...(embedded && 'vector' in embedded ? { vector: embedded.vector } : {}),
    embedError: embedded && 'error' in embedded ? embedded.error : undefined,
    searchMs,
    embedMs: embedded?.ms,
  };
}

async function embedQuery(embedder: Embedder, text: string, timeoutMs: number, signal?: AbortSignal): Promise<{ vector: Float32Array; ms: number } | { error: string; ms: number }> {
  const t0 = performance.now();
  try {
    const [vector] = await embedder.embed([text], signal ? AbortSignal.any([timeoutSignal(timeoutMs), signal]) : timeoutSignal(timeoutMs));
    if (!vector) throw new Error('no vector returned');
    return { vector, ms: performance.now() - t0 };
  } catch (e) {
    signal?.throwIfAborted();
    return { error: errorText(e), ms: performance.now() - t0 };
  }
}

/** Reciprocal rank fusion of several rankings of the same chunks; the score is the fused one. */
export function fuse(rankings: RankedChunk[][], limit: number): RankedChunk[] {
  const fused = new Map<number, RankedChunk>();
  for (const ranking of rankings) {
    ranking.forEach((r, rank) => {
      const prev = fused.get(r.at);
      fused.set(r.at, { chunk: r.chunk, at: r.at, score: (prev?.score ?? 0) + 1 / (RRF_K + rank + 1) });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.at - b.at).slice(0, limit);
}

// A caller's word the documents hold only as a sibling of its concept ("credit card" where the
// page says "bank transfer") is half an answer; an everyday word no document holds ("whole",
// "along") says little about what the question is about.
const SIBLING_CREDIT = 0.5;
const COMMON_UNKNOWN_WEIGHT = 0.15;
const WRONG_KIND = 0.5;

/**
 * How much of what the turn itself asks is in the best single passage. Each slot weighs its
 * inverse document frequency, so "who founded the company" is not covered by a passage that
 * only says "company"; a word no document holds weighs as much as one found in a single chunk.
 */
export function coverageOf(index: KnowledgeIndex, query: CallerQuery, ranked: RankedChunk[]): { coverage: number; unknown: string[]; unknownShare: number } {
  const own = query.slots.filter((s) => s.from === 'turn');
  const slots = own.length ? own : query.slots;
  if (!slots.length) return { coverage: 1, unknown: [], unknownShare: 0 };
  const unknown: string[] = [];
  const weighed = slots.map((slot) => {
    const stems = index.matchingStems(slot);
    const ownHolders = index.chunksWith(stems.own);
    const siblingHolders = index.chunksWith(stems.related);
    const df = new Set([...ownHolders, ...siblingHolders]).size;
    const named = !slot.phrase && !stems.own.length; // the caller named something the documents never say
    if (!df) unknown.push(slot.text);
    const common = isCommonWord(slot.text);
    const weight = df && !named ? index.idf(df) : index.idf(1) * (common ? COMMON_UNKNOWN_WEIGHT : 1);
    const credit = (at: number) => (ownHolders.has(at) ? 1 : siblingHolders.has(at) ? (named ? SIBLING_CREDIT : 1) : 0);
    return { weight, credit, absent: !df && !common };
  });
  const total = weighed.reduce((sum, w) => sum + w.weight, 0);
  const unknownShare = weighed.reduce((sum, w) => sum + (w.absent ? w.weight : 0), 0) / total;
  const wants = answerTypeOf(query.words.join(' '));
  let best = 0;
  for (const { at, chunk } of ranked) {
    const share = weighed.reduce((sum, w) => sum + w.weight * w.credit(at), 0) / total;
    // A passage without the kind of answer asked for ("how much" and no amount) covers half.
    best = Math.max(best, wants && !holdsAnswerType(`${chunk.heading}\n${chunk.text}`, wants) ? share * WRONG_KIND : share);
  }
  return { coverage: best, unknown, unknownShare };
}
