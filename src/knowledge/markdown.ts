import type { Block } from './document.ts';
import { trimLines } from './text.ts';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * Markdown to blocks: ATX (`## x`) and setext (underlined) headings become headings, everything
 * else stays as written, paragraph by paragraph. Inline markup is kept: the model reads it fine.
 */
export function parseMarkdown(source: string): Block[] {
  const lines = stripFrontMatter(source).replace(/<!--[\s\S]*?-->/g, '').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const text = trimLines(para.join('\n'));
    if (text) blocks.push({ kind: 'text', text });
    para = [];
  };

  for (const line of lines) {
    if (fence !== null) {
      // Code stays verbatim, and a `#` inside it is never a heading.
      para.push(line);
      if (line.trim().startsWith(fence)) {
        fence = null;
        flush();
      }
      continue;
    }
    const f = FENCE.exec(line);
    if (f) {
      flush(); // a code block is a block of its own
      fence = f[1];
      para.push(line);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      blocks.push({ kind: 'heading', level: atx[1].length, text: (atx[2] ?? '').trim() });
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && isPlainParagraph(para)) {
      // CommonMark: a paragraph directly underlined with === or --- is a heading.
      const text = para.map((l) => l.trim()).join(' ').trim();
      para = [];
      blocks.push({ kind: 'heading', level: setext[1].startsWith('=') ? 1 : 2, text });
      continue;
    }
    if (line.trim() === '' || THEMATIC_BREAK.test(line)) {
      flush();
      continue;
    }
    para.push(line);
  }
  flush();
  return blocks;
}

/** Whether lines are ordinary paragraph text (not a list, quote or code), so an underline makes them a heading. */
function isPlainParagraph(lines: string[]): boolean {
  return lines.length > 0 && lines.every((l) => l.trim() !== '' && !/^\s*([-*+>]|\d+[.)])(\s|$)/.test(l) && !FENCE.test(l));
}

/** YAML front matter (`---` … `---` at the very top) is metadata, not knowledge. */
function stripFrontMatter(text: string): string {
  const m = /^---[ \t]*\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  return m ? text.slice(m[0].length) : text;
}
