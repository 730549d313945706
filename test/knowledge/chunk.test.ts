import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkBlocks } from '../../src/knowledge/chunk.ts';
import { parseMarkdown } from '../../src/knowledge/markdown.ts';

const sentence = (i: number) => `Sentence number ${i} explains one more detail of the retainer agreement.`;

describe('chunking', () => {
  it('cuts by heading and carries the heading path', () => {
    const chunks = chunkBlocks(
      parseMarkdown(['Intro before any heading.', '# Pricing', 'All prices in euros.', '## Retainer', 'Monthly fee.', '### Extras', 'Hours beyond.', '## Audit', 'Fixed price.', '# Process', 'Four steps.'].join('\n\n')),
    );
    assert.deepEqual(
      chunks.map((c) => [c.heading, c.text]),
      [
        ['', 'Intro before any heading.'],
        ['Pricing', 'All prices in euros.'],
        ['Pricing › Retainer', 'Monthly fee.'],
        ['Pricing › Retainer › Extras', 'Hours beyond.'],
        ['Pricing › Audit', 'Fixed price.'],
        ['Process', 'Four steps.'],
      ],
    );
  });

  it('makes no chunk for a heading without text, and none for empty input', () => {
    assert.deepEqual(chunkBlocks(parseMarkdown('# A\n\n## B\n\nbody\n\n## C\n\n   \n')), [{ heading: 'A › B', text: 'body' }]);
    assert.deepEqual(chunkBlocks([]), []);
    assert.deepEqual(chunkBlocks([{ kind: 'text', text: '  \n ' }]), []);
  });

  it('keeps a short section whole, paragraphs and all', () => {
    const [chunk] = chunkBlocks(parseMarkdown('## Care plans\n\nFirst paragraph.\n\n- Essential: 350 EUR\n- Growth: 900 EUR'));
    assert.equal(chunk.text, 'First paragraph.\n\n- Essential: 350 EUR\n- Growth: 900 EUR');
  });

  it('splits a long section at paragraph boundaries, within the size limit', () => {
    const paragraphs = Array.from({ length: 6 }, (_, p) => Array.from({ length: 4 }, (_, i) => sentence(p * 10 + i)).join(' '));
    const chunks = chunkBlocks(parseMarkdown(`# Retainer\n\n${paragraphs.join('\n\n')}`), { maxChars: 800 });
    assert.ok(chunks.length >= 2, `expected several chunks, got ${chunks.length}`);
    for (const c of chunks) {
      assert.equal(c.heading, 'Retainer');
      assert.ok(c.text.length <= 800, `chunk of ${c.text.length} chars`);
      assert.ok(c.text.trim().length > 0);
    }
    // Paragraphs are never cut in the middle here: each fits, so each chunk is whole paragraphs.
    for (const c of chunks) for (const p of c.text.split('\n\n')) assert.ok(paragraphs.includes(p));
    assert.equal(chunks.map((c) => c.text).join('\n\n'), paragraphs.join('\n\n'));
  });

  it('splits one huge paragraph at sentence boundaries, and a huge word anyhow', () => {
    const para = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkBlocks([{ kind: 'text', text: para }], { maxChars: 300 });
    assert.ok(chunks.length > 5);
    for (const c of chunks) {
      assert.ok(c.text.length <= 300);
      assert.match(c.text, /^Sentence number \d+ .*agreement\.$/); // starts and ends on a sentence
    }
    assert.equal(chunks.map((c) => c.text).join(' '), para);

    const blob = 'x'.repeat(1000);
    const pieces = chunkBlocks([{ kind: 'text', text: blob }], { maxChars: 300 });
    assert.deepEqual(pieces.map((c) => c.text.length), [300, 300, 300, 100]);
  });

  it('splits a long list between items, not inside them', () => {
    const items = Array.from({ length: 30 }, (_, i) => `- Item ${i}: a line of a long price list, spelled out in full`);
    const chunks = chunkBlocks(parseMarkdown(`## Price list\n\n${items.join('\n')}`), { maxChars: 400 });
    assert.ok(chunks.length > 1);
    for (const c of chunks) for (const line of c.text.split('\n')) assert.ok(items.includes(line), line);
  });
});

describe('markdown reader', () => {
  it('reads ATX and setext headings, drops front matter, leaves # in code alone', () => {
    const blocks = parseMarkdown('---\ntitle: hidden\n---\nGuide\n=====\n\nIntro text.\n\n```sh\n# not a heading\n```\n\nSetup\n-----\nStep one. ## not a heading\n\n## Closing ##\n');
    assert.deepEqual(blocks, [
      { kind: 'heading', level: 1, text: 'Guide' },
      { kind: 'text', text: 'Intro text.' },
      { kind: 'text', text: '```sh\n# not a heading\n```' },
      { kind: 'heading', level: 2, text: 'Setup' },
      { kind: 'text', text: 'Step one. ## not a heading' },
      { kind: 'heading', level: 2, text: 'Closing' },
    ]);
  });
});
