import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { speakablePieces } from '../../src/session/voice/chunker.ts';

async function* tokens(text: string, size = 3): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
const pieces = async (text: string, o = {}) => {
  const out: string[] = [];
  for await (const p of speakablePieces(tokens(text), o)) out.push(p);
  return out;
};

describe('speakablePieces', () => {
  it('starts with a clause, then goes sentence by sentence', async () => {
    assert.deepEqual(await pieces('Sure, I can help with that. The audit costs 2,400 euros. Anything else?'), ['Sure, I can help with that.', 'The audit costs 2,400 euros.', 'Anything else?']);
    assert.deepEqual(await pieces('Of course, the Essential plan is 350 euros a month, billed in advance. Would that work?'), ['Of course, the Essential plan is 350 euros a month,', 'billed in advance.', 'Would that work?']);
  });

  it('does not cut at abbreviations or decimals', async () => {
    assert.deepEqual(await pieces('Dr. Smith said e.g. version 3.5 is fine. Yes.'), ['Dr. Smith said e.g. version 3.5 is fine.', 'Yes.']);
  });

  it('yields each piece as soon as it is complete, before the stream ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slow() {
      yield 'Hello there. ';
      await gate;
      yield 'More later.';
    }
    const it = speakablePieces(slow());
    assert.deepEqual(await it.next(), { done: false, value: 'Hello there.' });
    release();
    assert.deepEqual(await it.next(), { done: false, value: 'More later.' });
  });

  it('cuts an endless sentence at a word boundary', async () => {
    const long = `${'word '.repeat(80)}end.`;
    const out = await pieces(long, { maxChars: 100 });
    assert.ok(out.length > 3);
    assert.ok(out.every((p) => p.length <= 100));
    assert.equal(out.join(' '), long.trim());
  });
});
