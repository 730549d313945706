import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { chunkBlocks } from '../../src/knowledge/chunk.ts';
import { formatOfPath } from '../../src/knowledge/document.ts';
import { readDocument } from '../../src/knowledge/read.ts';
import { resolveSources } from '../../src/knowledge/sources.ts';
import { folderWith, onePagePdf } from './fixtures.ts';

const folder = folderWith({
  'pricing.md': '# Pricing\n\nAll prices exclude VAT.\n\n## Retainer\n\nThe retainer is 900 EUR per month.\n',
  'notes.txt': 'Opening hours are nine to five.\r\n\r\nWe close on public holidays.\n',
  'faq.html': `<!doctype html><html><head><title>FAQ</title><style>p{color:red}</style><script>var secret = "tracking";</script></head>
    <body><nav><a href="/">Home</a> navigation links</nav>
    <h1>Questions</h1><h2>Refunds</h2><p>Deposits are <b>refundable</b> within 14&nbsp;days &amp; no fee.</p>
    <ul><li>By card</li><li>By bank transfer</li></ul>
    <div hidden>Hidden promo</div><footer>Copyright footer text</footer></body></html>`,
  'guide.pdf': onePagePdf(['Refund policy', 'Deposits are refundable within fourteen days.']),
  'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
  'sub/deeper/extra.markdown': '## Extra\n\nMore text.',
  '.DS_Store': 'junk',
});
after(() => folder.dispose());

async function read(name: string) {
  const format = formatOfPath(name);
  assert.ok(format, `no format for ${name}`);
  return readDocument({ bytes: readFileSync(join(folder.dir, name)), format });
}

describe('readers', () => {
  it('recognises formats by extension', () => {
    assert.equal(formatOfPath('a/b.MD'), 'markdown');
    assert.equal(formatOfPath('x.markdown'), 'markdown');
    assert.equal(formatOfPath('x.htm'), 'html');
    assert.equal(formatOfPath('x.txt'), 'text');
    assert.equal(formatOfPath('x.pdf'), 'pdf');
    assert.equal(formatOfPath('x.docx'), undefined);
    assert.equal(formatOfPath('README'), undefined);
  });

  it('reads Markdown with its headings', async () => {
    assert.deepEqual(chunkBlocks(await read('pricing.md')), [
      { heading: 'Pricing', text: 'All prices exclude VAT.' },
      { heading: 'Pricing › Retainer', text: 'The retainer is 900 EUR per month.' },
    ]);
  });

  it('reads plain text as paragraphs, whatever the line endings', async () => {
    assert.deepEqual(await read('notes.txt'), [
      { kind: 'text', text: 'Opening hours are nine to five.' },
      { kind: 'text', text: 'We close on public holidays.' },
    ]);
  });

  it('reads HTML: headings kept, scripts, styles, navigation, footer and hidden parts dropped', async () => {
    const blocks = await read('faq.html');
    assert.deepEqual(blocks, [
      { kind: 'heading', level: 1, text: 'Questions' },
      { kind: 'heading', level: 2, text: 'Refunds' },
      { kind: 'text', text: 'Deposits are refundable within 14 days & no fee.' }, // &nbsp; and &amp; decoded
      { kind: 'text', text: '- By card' },
      { kind: 'text', text: '- By bank transfer' },
    ]);
    const all = JSON.stringify(blocks);
    for (const gone of ['secret', 'color', 'navigation', 'Hidden promo', 'Copyright']) assert.ok(!all.includes(gone), gone);
    assert.equal(chunkBlocks(blocks)[0].heading, 'Questions › Refunds');
  });

  it('uses the title of an HTML page without headings', async () => {
    const blocks = await readDocument({ bytes: new TextEncoder().encode('<html><head><title>Terms</title></head><body><p>Be nice.</p></body></html>'), format: 'html' });
    assert.deepEqual(chunkBlocks(blocks), [{ heading: 'Terms', text: 'Be nice.' }]);
  });

  it('reads the text of a PDF page', async () => {
    const text = (await read('guide.pdf')).map((b) => b.text).join('\n');
    assert.match(text, /Refund policy/);
    assert.match(text, /Deposits are refundable within fourteen days\./);
  });

  it('rejects a broken PDF with an error instead of hanging', async () => {
    await assert.rejects(readDocument({ bytes: new TextEncoder().encode('%PDF-1.4 nonsense'), format: 'pdf' }));
  });

  it('walks folders recursively, skipping hidden files and reporting unknown formats', async () => {
    const r = await resolveSources(folder.dir, ['./', 'pricing.md', 'missing.md', 'logo.png']);
    assert.deepEqual(
      r.refs.map((s) => s.name),
      ['faq.html', 'guide.pdf', 'notes.txt', 'pricing.md', 'sub/deeper/extra.markdown'],
    );
    assert.deepEqual(r.skipped.map((s) => s.source), ['logo.png']);
    assert.match(r.skipped[0].reason, /\.png files are not supported/);
    assert.deepEqual(r.failed.map((f) => f.source), ['missing.md', 'logo.png']);
    assert.match(r.failed[0].message, /no such file or folder/);
  });
});
