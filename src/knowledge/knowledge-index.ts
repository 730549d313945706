import type { KnownLanguage } from '../util/language.ts';
import type { CallerQuery, QuerySlot } from './caller-query.ts';
import { stemOf, withinOneEdit, wordsOf } from './words.ts';

// An agent's chunks held in memory as stems: BM25 ranking where one caller's word may match any
// stem of its concept, and the corpus statistics the strict decision weighs a question's words
// by (a word in no document weighs most; one in every document weighs little). Building it
// stems every word of every chunk once; a search touches only the postings of the query's stems.

/** A chunk as the index holds it. */
export interface IndexedChunk {
  id: number;
  source: string;
  heading: string;
  text: string;
}

/** A chunk ranked for a query, with its BM25 score (above zero). */
export interface RankedChunk {
  chunk: IndexedChunk;
  /** Its position in `chunks`. */
  at: number;
  score: number;
}

const K1 = 1.2;
const B = 0.75;
const HEADING_WEIGHT = 2; // heading words count double, as in the store's FTS ranking
const CONCEPT_WEIGHT = 0.8; // a concept's other words match a little less than the caller's own word
const CONTEXT_WEIGHT = 0.9; // an earlier turn's words help find what a follow-up refers to, less than its own
const FUZZY_MIN_LENGTH = 5; // shorter words within one edit of each other are different words too often

/** The searchable, in-memory form of one agent's chunks. */
export class KnowledgeIndex {
  readonly chunks: IndexedChunk[];
  readonly #postings = new Map<string, { at: number; tf: number }[]>();
  readonly #lengths: number[];
  readonly #avgLength: number;
  /** Surface words and their stems, for matching a misheard word to the corpus. */
  readonly #words = new Map<string, string>();
  /** The same words by length: a word one edit away is at most one letter longer or shorter. */
  #byLength: Map<number, [string, string][]> | undefined;
  #stemsByLength: Map<number, string[]> | undefined;
  /** What each slot of a query matched: search and coverage ask for the same slots. */
  readonly #matched = new WeakMap<QuerySlot, { own: string[]; related: string[] }>();

  /** Unit-length embedding vectors, by chunk position, where the chunk has one. */
  readonly vectors: readonly (Float32Array | undefined)[];
  /** The vectors packed row after row (one length only), with the chunk position of each row: one pass over memory per search. */
  readonly #matrix: { data: Float32Array; rows: number[]; dims: number } | undefined;

  /** The language its words were stemmed in: a query must be read in the same one. */
  readonly language: KnownLanguage;

  constructor(chunks: IndexedChunk[], vectors: readonly (Float32Array | undefined)[] = [], language: KnownLanguage = 'en') {
    this.chunks = chunks;
    this.language = language;
    this.vectors = vectors;
    const dims = vectors.find((v) => v)?.length ?? 0;
    const rows = dims ? vectors.flatMap((v, at) => (v?.length === dims ? [at] : [])) : [];
    if (rows.length) {
      const data = new Float32Array(rows.length * dims);
      rows.forEach((at, r) => data.set(vectors[at]!, r * dims));
      this.#matrix = { data, rows, dims };
    }
    this.#lengths = chunks.map((c, at) => {
      const tf = new Map<string, number>();
      let length = 0;
      const count = (text: string, weight: number) => {
        const add = (w: string) => {
          const s = stemOf(w, language);
          if (!this.#words.has(w)) this.#words.set(w, s);
          tf.set(s, (tf.get(s) ?? 0) + weight);
          length += weight;
        };
        for (const w of wordsOf(text)) add(w);
        // "check-up", "e-mail", "follow-up": callers say (and recognisers write) them as one word.
        for (const [, a, b] of text.toLowerCase().matchAll(/(\p{L}+)-(\p{L}+)/gu)) add(a + b);
      };
      count(c.heading, HEADING_WEIGHT);
      count(c.text, 1);
      for (const [s, n] of tf) {
        let list = this.#postings.get(s);
        if (!list) this.#postings.set(s, (list = []));
        list.push({ at, tf: n });
      }
      return length;
    });
    this.#avgLength = this.#lengths.reduce((a, b) => a + b, 0) / Math.max(1, chunks.length);
  }

  /** Chunks that hold a stem. */
  documentFrequency(stem: string): number {
    return this.#postings.get(stem)?.length ?? 0;
  }

  /**
   * The stems that match a slot in this corpus: `own` are the caller's word itself — or, for a
   * word the corpus lacks, as a recogniser's "prizing" for "pricing", corpus words one edit
   * away — and `related` the other words of its concepts.
   */
  matchingStems(slot: QuerySlot): { own: string[]; related: string[] } {
    let m = this.#matched.get(slot);
    if (!m) this.#matched.set(slot, (m = this.#match(slot)));
    return m;
  }

  #match(slot: QuerySlot): { own: string[]; related: string[] } {
    const related = slot.stems.slice(slot.phrase ? 0 : 1).filter((s) => this.#postings.has(s));
    if (slot.phrase) return { own: [], related };
    const stem = slot.stems[0];
    if (this.#postings.has(stem)) return { own: [stem], related };
    if (slot.text.length < FUZZY_MIN_LENGTH) return { own: [], related };
    if (!this.#byLength) {
      this.#byLength = new Map();
      this.#stemsByLength = new Map();
      for (const entry of this.#words) {
        const list = this.#byLength.get(entry[0].length) ?? [];
        list.push(entry);
        this.#byLength.set(entry[0].length, list);
      }
      for (const s of this.#postings.keys()) {
        const list = this.#stemsByLength.get(s.length) ?? [];
        list.push(s);
        this.#stemsByLength.set(s.length, list);
      }
    }
    const near = new Set<string>();
    for (let n = slot.text.length - 1; n <= slot.text.length + 1; n++) {
      if (n < FUZZY_MIN_LENGTH - 1) continue;
      for (const [word, s] of this.#byLength.get(n) ?? []) if (withinOneEdit(word, slot.text)) near.add(s);
    }
    for (let n = stem.length - 1; n <= stem.length + 1; n++) {
      if (n < FUZZY_MIN_LENGTH - 1) continue;
      for (const s of this.#stemsByLength!.get(n) ?? []) if (withinOneEdit(s, stem)) near.add(s);
    }
    return { own: [...near], related };
  }

  /** Whether the corpus holds the stem. */
  has(stem: string): boolean {
    return this.#postings.has(stem);
  }

  /** Chunks holding at least one of the stems, by position. */
  chunksWith(stems: readonly string[]): Set<number> {
    const at = new Set<number>();
    for (const s of stems) for (const p of this.#postings.get(s) ?? []) at.add(p.at);
    return at;
  }

  /** Inverse document frequency of something found in `df` chunks (BM25's, never negative). */
  idf(df: number): number {
    const n = this.chunks.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The `limit` best chunks for a caller's query, best first. */
  search(query: CallerQuery, limit: number): RankedChunk[] {
    const scores = new Map<number, number>();
    for (const slot of query.slots) {
      const { own, related } = this.matchingStems(slot);
      const stems = [...own, ...related];
      const best = new Map<number, number>(); // a slot scores once per chunk: its best-matching stem
      for (const stem of stems) {
        const list = this.#postings.get(stem)!;
        const weight = (own.includes(stem) ? 1 : CONCEPT_WEIGHT) * (slot.from === 'context' ? CONTEXT_WEIGHT : 1);
        const idf = this.idf(list.length);
        for (const { at, tf } of list) {
          const s = (weight * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.#lengths[at]) / this.#avgLength));
          if (s > (best.get(at) ?? 0)) best.set(at, s);
        }
      }
      for (const [at, s] of best) scores.set(at, (scores.get(at) ?? 0) + s);
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([at, score]) => ({ chunk: this.chunks[at], at, score }));
  }

  /** The `limit` chunks whose vectors are nearest a unit-length query vector (cosine), best first. */
  nearest(query: Float32Array, limit: number): RankedChunk[] {
    const m = this.#matrix;
    if (!m || m.dims !== query.length) return [];
    const best: RankedChunk[] = [];
    let floor = -Infinity;
    for (let r = 0; r < m.rows.length; r++) {
      let dot = 0;
      for (let i = 0, o = r * m.dims; i < m.dims; i++, o++) dot += m.data[o] * query[i];
      if (best.length === limit && dot <= floor) continue;
      const at = m.rows[r];
      best.push({ chunk: this.chunks[at], at, score: dot });
      best.sort((a, b) => b.score - a.score);
      if (best.length > limit) best.pop();
      floor = best[best.length - 1].score;
    }
    return best;
  }
}

