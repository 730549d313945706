import type { Block } from './document.ts';

/** A piece of a source small enough to hand to the model, with the path of headings above it. */
export interface Chunk {
  /** Heading path, outermost first, e.g. "Pricing › Retainer"; empty before the first heading. */
  heading: string;
  text: string;
}

/** How chunks are cut. */
export interface ChunkOptions {
  /** Longest chunk text, in characters (default 800). */
  maxChars?: number;
}

/** What joins heading names into a path. */
export const HEADING_SEPARATOR = ' › ';

// Where a too-long text may be cut, best place first; each level keeps the separator it cut at.
const CUTS: { at: RegExp; join: string }[] = [
  { at: /\n[ \t]*\n/, join: '\n\n' }, // paragraphs
  { at: /\n(?=[ \t]*(?:[-*+•]|\d+[.)])[ \t])/, join: '\n' }, // list items
  { at: /(?<=[.!?…])\s+/u, join: ' ' }, // sentences
  { at: /\n/, join: '\n' }, // lines
  { at: /[ \t]+/, join: ' ' }, // words
];

/**
 * Cuts blocks into chunks: one section per heading, each carrying its heading path; a section
 * longer than `maxChars` is cut at paragraph, list item, sentence, line, then word boundaries.
 * Never returns an empty chunk.
 */
export function chunkBlocks(blocks: readonly Block[], o: ChunkOptions = {}): Chunk[] {
  const maxChars = Math.max(50, o.maxChars ?? 800);
  const chunks: Chunk[] = [];
  const path: { level: number; text: string }[] = [];
  let body: string[] = [];
  const endSection = () => {
    const heading = path.map((h) => h.text).filter(Boolean).join(HEADING_SEPARATOR);
    for (const text of cut(body.join('\n\n'), maxChars, 0)) chunks.push({ heading, text });
    body = [];
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      endSection();
      while (path.length && path[path.length - 1].level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text.trim() });
    } else if (block.text.trim()) {
      body.push(block.text.trim());
    }
  }
  endSection();
  return chunks;
}

/** Splits text into non-empty pieces of at most `max` characters, cutting at the best boundary available. */
function cut(text: string, max: number, level: number): string[] {
  text = text.trim();
  if (!text) return [];
  if (text.length <= max) return [text];
  for (let l = level; l < CUTS.length; l++) {
    const parts = text.split(CUTS[l].at).filter((p) => p.trim());
    if (parts.length < 2) continue;
    return pack(parts.flatMap((p) => cut(p, max, l + 1)), CUTS[l].join, max);
  }
  // One unbroken run of characters (a URL, a hash): cut it anywhere.
  const pieces: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + max, text.length);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end--; // never split a surrogate pair
    pieces.push(text.slice(i, end));
    i = end;
  }
  return pieces;
}

/** Greedily joins consecutive pieces while they fit in `max`. */
function pack(pieces: string[], join: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (!current) current = piece;
    else if (current.length + join.length + piece.length <= max) current += join + piece;
    else {
      out.push(current);
      current = piece;
    }
  }
  if (current) out.push(current);
  return out;
}
