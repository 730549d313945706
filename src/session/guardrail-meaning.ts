// Guarded topics recognised by meaning as well as by words, where the agent has
// `knowledge.embeddings`: a caller turn is compared with each topic's examples by cosine
// similarity. The turn's vector is the one retrieval already made for it (one embedding per
// caller turn, shared with grounding); the topics' vectors are made once per agent and model,
// and kept for every conversation with it.
import type { Embedder } from '../knowledge/index.ts';
import { errorText } from '../util/error-text.ts';
import { timeoutSignal } from '../util/timeout-signal.ts';
import type { GuardedTopic, GuardMatch } from './guardrails.ts';

/** Each topic's example vectors, in the topics' order; or why they could not be made. */
export type TopicVectors = { vectors: Float32Array[][] } | { error: string };

/** Longest wait for the topics' vectors (one request, made once per agent and model). */
const TOPICS_TIMEOUT_MS = 10_000;

const cache = new WeakMap<readonly GuardedTopic[], Map<string, Promise<TopicVectors>>>();

/** The topics' example vectors from the embedder, made on first use and shared; a failure is retried by the next caller. */
export function topicVectorsOf(topics: readonly GuardedTopic[], embedder: Embedder): Promise<TopicVectors> {
  let byModel = cache.get(topics);
  if (!byModel) cache.set(topics, (byModel = new Map()));
  const cached = byModel.get(embedder.label);
  if (cached) return cached;
  const texts = topics.flatMap((t) => t.examples);
  const made = embedder.embed(texts, timeoutSignal(TOPICS_TIMEOUT_MS)).then(
    (all): TopicVectors => {
      if (all.length !== texts.length) throw new Error(`the embedding model returned ${all.length} vectors for ${texts.length} texts`);
      let at = 0;
      return { vectors: topics.map((t) => all.slice(at, (at += t.examples.length))) };
    },
  ).catch((e: unknown): TopicVectors => {
    byModel.delete(embedder.label);
    return { error: errorText(e) };
  });
  byModel.set(embedder.label, made);
  return made;
}

/** The topic whose nearest example is closest to the turn's vector, at or above that topic's threshold. */
export function nearestTopic(turn: Float32Array, topics: readonly GuardedTopic[], vectors: Float32Array[][]): GuardMatch | undefined {
  let best: GuardMatch | undefined;
  topics.forEach((topic, i) => {
    (vectors[i] ?? []).forEach((v, j) => {
      const similarity = dot(turn, v);
      if (similarity >= topic.minSimilarity && (!best || best.by !== 'meaning' || similarity > best.similarity)) best = { topic, by: 'meaning', similarity, example: topic.examples[j]! };
    });
  });
  return best;
}

/** Cosine similarity of two unit-length vectors (0 when their lengths differ: another model's). */
function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Waits for the topics' vectors at most `ms` (they are usually made before the first caller turn);
 * later, this turn is matched by words alone and the next waits again.
 */
export async function topicVectorsWithin(p: Promise<TopicVectors>, ms: number): Promise<TopicVectors> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<TopicVectors>((resolve) => {
    timer = setTimeout(() => resolve({ error: `the guarded topics' embeddings were not ready within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
