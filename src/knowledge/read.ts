import type { Block, KnowledgeFormat } from './document.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePdf } from './pdf.ts';
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
      return parsePdf(source.bytes, o.signal);
    case 'html':
      return parseHtml(decodeText(source.bytes, source.charset));
    case 'markdown':
      return parseMarkdown(decodeText(source.bytes, source.charset));
    case 'text':
      return parsePlainText(decodeText(source.bytes, source.charset));
  }
}
