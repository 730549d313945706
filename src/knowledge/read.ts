import type { Block, KnowledgeFormat } from './document.ts';
import { parseMarkdown } from './markdown.ts';
import { decodeText, parsePlainText } from './text.ts';

/** Raw bytes of a source and how to read them. */
export interface SourceBytes {
  bytes: Uint8Array;
  format: KnowledgeFormat;
  /** Declared text encoding (from an HTTP content-type); UTF-8 when absent. */
  charset?: string;
}

/** Turns a source's bytes into headings and text blocks, whatever its format. */
export async function readDocument(source: SourceBytes, o: { signal?: AbortSignal } = {}): Promise<Block[]> {
  switch (source.format) {
    case 'pdf':
      // The PDF and HTML parsers are loaded with the first such document: a process that only
      // answers callers (the index is already built) never pays for them.
      return (await import('./pdf.ts')).parsePdf(source.bytes, o.signal);
    case 'html':
      return (await import('./html.ts')).parseHtml(decodeText(source.bytes, source.charset));
    case 'markdown':
      return parseMarkdown(decodeText(source.bytes, source.charset));
    case 'text':
      return parsePlainText(decodeText(source.bytes, source.charset));
  }
}
