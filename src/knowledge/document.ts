// The shape every reader produces and the chunker consumes: a flat run of headings and
// text blocks, so the chunker never needs to know which format a source came from.

/** A piece of a read source: a heading (level 1–6) or a block of text (paragraph, list item, page). */
export type Block = { kind: 'heading'; level: number; text: string } | { kind: 'text'; text: string };

/** The formats Parley can read. */
export type KnowledgeFormat = 'markdown' | 'text' | 'html' | 'pdf';

const BY_EXTENSION: Record<string, KnowledgeFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
};

/** The format a file name or URL path implies by its extension, or undefined when Parley cannot read it. */
export function formatOfPath(path: string): KnowledgeFormat | undefined {
  const m = /\.([a-z0-9]+)$/i.exec(path);
  return m ? BY_EXTENSION[m[1].toLowerCase()] : undefined;
}
