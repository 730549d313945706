import { extractText, getDocumentProxy } from 'unpdf';
import type { Block } from './document.ts';
import { parsePlainText } from './text.ts';

/** PDF to blocks: the text of each page, split into paragraphs where the page has blank lines. */
export async function parsePdf(bytes: Uint8Array, signal?: AbortSignal): Promise<Block[]> {
  signal?.throwIfAborted();
  // pdf.js refuses Buffers and may detach the buffer it is given, so it gets a plain copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    signal?.throwIfAborted();
    return text.flatMap((page) => parsePlainText(page.replace(/\r\n?/g, '\n')));
  } finally {
    await pdf.loadingTask.destroy(); // frees the worker-side document
  }
}
