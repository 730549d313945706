import type { Block } from './document.ts';

/** Bytes to a string: UTF-8 unless the source declared another charset; a byte-order mark is dropped. */
export function decodeText(bytes: Uint8Array, charset = 'utf-8'): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8'); // an unknown label is not worth failing the source for
  }
  return decoder.decode(bytes).replace(/\r\n?/g, '\n');
}

/** Plain text: paragraphs separated by blank lines, no headings. */
export function parsePlainText(text: string): Block[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => trimLines(p))
    .filter((p) => p.length > 0)
    .map((p) => ({ kind: 'text', text: p }));
}

/** Trims every line and drops blank ones at the edges, keeping inner line breaks (list items, addresses). */
export function trimLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .trim();
}
