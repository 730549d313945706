import { HTMLElement, parse, TextNode, type Node } from 'node-html-parser';
import type { Block } from './document.ts';

// Page chrome and code, not content.
const SKIP = new Set(['title', 'script', 'style', 'nav', 'footer', 'noscript', 'template', 'svg', 'head', 'iframe', 'object', 'canvas', 'button', 'select', 'textarea']);

// Elements that end the running paragraph; inline ones (a, span, em…) do not.
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'form', 'header', 'hr', 'html', 'li', 'main', 'ol', 'p', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead',
  'tr', 'ul',
]);

/**
 * HTML to blocks: h1–h6 become headings, paragraphs, list items and cells become text, and page
 * chrome (scripts, styles, navigation, footers, hidden elements) is dropped.
 */
export function parseHtml(html: string): Block[] {
  const root = parse(html.replace(/<!doctype[^>]*>|<\?xml[^>]*\?>/gi, ''), { comment: false });
  const blocks: Block[] = [];
  let line = '';
  let lines: string[] = [];
  const endLine = () => {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t) lines.push(t);
    line = '';
  };
  const flush = (prefix = '') => {
    endLine();
    if (lines.length) blocks.push({ kind: 'text', text: prefix + lines.join('\n') });
    lines = [];
  };

  const visit = (node: Node): void => {
    if (node instanceof TextNode) {
      line += node.text;
      return;
    }
    if (!(node instanceof HTMLElement)) return;
    const tag = node.tagName?.toLowerCase() ?? '';
    if (SKIP.has(tag) || isHidden(node)) return;
    const h = /^h([1-6])$/.exec(tag);
    if (h) {
      flush();
      const text = node.text.replace(/\s+/g, ' ').trim();
      if (text) blocks.push({ kind: 'heading', level: Number(h[1]), text });
      return;
    }
    if (tag === 'br') return endLine();
    if (tag === 'pre') {
      flush();
      const text = node.text.replace(/^\n+|\s+$/g, '');
      if (text.trim()) blocks.push({ kind: 'text', text });
      return;
    }
    if (!BLOCK.has(tag)) {
      for (const child of node.childNodes) visit(child);
      if (tag === 'td' || tag === 'th') line += ' '; // the cells of a row read as one line
      return;
    }
    flush();
    for (const child of node.childNodes) visit(child);
    flush(tag === 'li' ? '- ' : '');
  };
  visit(root);
  flush();

  // A page without headings is still findable by its title.
  const title = root.querySelector('title')?.text.replace(/\s+/g, ' ').trim();
  if (title && !blocks.some((b) => b.kind === 'heading')) blocks.unshift({ kind: 'heading', level: 1, text: title });
  return blocks;
}

function isHidden(el: HTMLElement): boolean {
  return el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true';
}
