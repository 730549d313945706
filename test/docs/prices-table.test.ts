import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_PRICES, estimateCost, priceTable, SELF_HOSTED, type PriceTable } from '../../src/session/cost.ts';

// docs/safeguards.md lists every price the daily budget uses (solar LOG entry 6): the table there
// is read back into a price table and must be the code's, so neither can change without the other.

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'safeguards.md'), 'utf8');
const ROW = /^\| (LLM|STT|TTS|phone) \| `([^`]+)`[^|]*\| \$([\d.]+)(?: input, \$([\d.]+) output)? [^|]*\|$/gm;

/** The price table docs/safeguards.md states. */
function documented(): PriceTable {
  const t: PriceTable = { llm: {}, sttPerMinute: {}, ttsPer1kChars: {}, phonePerMinute: { inbound: Number.NaN, outbound: Number.NaN } };
  for (const [, part, key, a, b] of doc.matchAll(ROW)) {
    if (part === 'LLM') t.llm[key!] = { inputPerMTok: Number(a), outputPerMTok: Number(b) };
    else if (part === 'STT') t.sttPerMinute[key!] = Number(a);
    else if (part === 'TTS') t.ttsPer1kChars[key!] = Number(a);
    else t.phonePerMinute[key as 'inbound' | 'outbound'] = Number(a);
  }
  return t;
}

describe('docs/safeguards.md prices', () => {
  it('lists exactly the built-in price table', () => {
    assert.deepEqual(documented(), DEFAULT_PRICES);
  });

  it('prices what it says it prices, and nothing for an unpriced or local model', () => {
    const usage = (llm: string, stt: string, tts: string) => ({ llm: { [llm]: { inputTokens: 1e6, outputTokens: 1e6 } }, stt: { [stt]: 60 }, tts: { [tts]: 1000 }, phoneSeconds: 0 });
    const table = priceTable();
    assert.deepEqual(estimateCost(usage('anthropic:claude-haiku-4-5', 'deepgram:flux-general-en', 'cartesia:sonic-2'), table), { usd: 6.0577, llm: 6, stt: 0.0077, tts: 0.05, phone: 0 });
    assert.equal(estimateCost(usage('anthropic:claude-haiku-4-5-20251001', 'x', 'y'), table).llm, 6, 'a dated id finds its model');
    assert.equal(estimateCost(usage('anthropic:claude-sonnet-4-5', 'x', 'y'), table).llm, 18, 'Sonnet 4.5 by the claude-sonnet-4 key');
    assert.equal(estimateCost(usage('anthropic:claude-opus-4-1', 'x', 'y'), table).llm, 90, 'Opus 4.1 by the claude-opus-4 key');
    assert.equal(estimateCost(usage('anthropic:claude-opus-4-5', 'x', 'y'), table).llm, 30);
    assert.equal(estimateCost(usage('anthropic:claude-some-new-model', 'x', 'y'), table).llm, 18, 'an unknown Claude model is priced by the anthropic key');
    assert.equal(estimateCost(usage('openai-compatible:qwen3', 'local:pocketsphinx', 'local:flite'), table).usd, 0);
    assert.equal(estimateCost(usage('ollama:llama3', 'sherpa:x', 'sherpa:y'), table).usd, 0, 'self-hosted engines have no built-in price');
    for (const key of [...Object.keys(DEFAULT_PRICES.llm), ...Object.keys(DEFAULT_PRICES.sttPerMinute), ...Object.keys(DEFAULT_PRICES.ttsPer1kChars)]) {
      assert.ok(!SELF_HOSTED.has(key.split(':')[0]!), `the built-in table prices the self-hosted ${key}`);
    }
    assert.equal(estimateCost(usage('openai-compatible:qwen3', 'openai:whisper-1', 'openai:tts-1'), priceTable({ llm: { 'openai-compatible:qwen3': { inputPerMTok: 1, outputPerMTok: 2 } } })).llm, 3);
  });
});
