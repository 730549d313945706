import { createHash } from 'node:crypto';
import type { Store } from '../store/store.ts';

// Embeddings of an agent's chunks: computed at ingest for chunks whose text has no vector yet
// for the model (so an edit to one paragraph re-embeds that paragraph, not the document), kept
// in the store by text hash, and dropped when no chunk has that text any more.

/** Something that turns texts into vectors: a provider's embedding model, or a local one. */
export interface Embedder {
  /** Names the model and its dimensions; vectors of different labels are never compared. */
  readonly label: string;
  /** One unit-length vector per text, in order. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** How many chunk texts go to the model in one request. */
const BATCH = 64;

/** The key a chunk's vector is stored under. */
export function textHash(heading: string, text: string): string {
  return createHash('sha256').update(heading).update('\n').update(text).digest('base64url').slice(0, 22);
}

/** A vector as stored: base64 of little-endian float32. */
export function encodeVector(v: Float32Array): string {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  v.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return Buffer.from(bytes).toString('base64');
}

/** The inverse of `encodeVector`. */
export function decodeVector(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < v.length; i++) v[i] = view.getFloat32(i * 4, true);
  return v;
}

/** Scales a vector to unit length (a zero vector stays zero), so a dot product is the cosine. */
export function unitLength(v: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  const out = new Float32Array(v.length);
  if (norm === 0) return out;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * scale;
  return out;
}

/** What embedding an agent's chunks did. */
export interface EmbedReport {
  /** Chunk texts sent to the model. */
  embedded: number;
  /** Chunk texts that already had a vector. */
  kept: number;
  /** Vectors deleted because no chunk has their text any more. */
  dropped: number;
}

/** Gives every chunk of the agent a vector from the embedder, embedding only texts that lack one. */
export async function embedChunks(store: Store, agent: string, embedder: Embedder, signal?: AbortSignal): Promise<EmbedReport> {
  const chunks = await store.db.selectFrom('knowledge_chunks').select(['heading', 'text']).where('agent', '=', agent).execute();
  const wanted = new Map<string, string>();
  for (const c of chunks) wanted.set(textHash(c.heading, c.text), c.heading ? `${c.heading}\n${c.text}` : c.text);
  const stored = new Set(
    (await store.db.selectFrom('knowledge_embeddings').select('text_hash').where('agent', '=', agent).where('model', '=', embedder.label).execute()).map((r) => r.text_hash),
  );
  const missing = [...wanted].filter(([hash]) => !stored.has(hash));
  for (let i = 0; i < missing.length; i += BATCH) {
    signal?.throwIfAborted();
    const batch = missing.slice(i, i + BATCH);
    const vectors = await embedder.embed(batch.map(([, text]) => text), signal);
    if (vectors.length !== batch.length) throw new Error(`the embedding model returned ${vectors.length} vectors for ${batch.length} texts`);
    const rows = batch.map(([hash], j) => ({ agent, model: embedder.label, text_hash: hash, vector: encodeVector(unitLength(vectors[j])) }));
    // Another node ingesting the same documents may have stored the same vectors meanwhile.
    await store.db.insertInto('knowledge_embeddings').values(rows).onConflict((oc) => oc.columns(['agent', 'model', 'text_hash']).doNothing()).execute();
  }
  const stale = [...stored].filter((hash) => !wanted.has(hash));
  for (let i = 0; i < stale.length; i += 500) {
    await store.db.deleteFrom('knowledge_embeddings').where('agent', '=', agent).where('model', '=', embedder.label).where('text_hash', 'in', stale.slice(i, i + 500)).execute();
  }
  return { embedded: missing.length, kept: wanted.size - missing.length, dropped: stale.length };
}
