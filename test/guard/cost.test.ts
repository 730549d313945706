import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateCost, priceTable } from '../../src/session/cost.ts';
import { Usage } from '../../src/session/usage.ts';
import { MemoryRateWindow } from '../../src/guard/rate-window.ts';

describe('cost estimate', () => {
  it('prices tokens, speech and phone minutes; the most specific price wins; local engines are free', () => {
    const u = new Usage();
    u.addTokens('openai:gpt-4.1-mini-2025-04-14', 1_000_000, 500_000); // matches openai:gpt-4.1-mini: 0.4 + 0.8
    u.addTokens('ollama:llama3.1', 5_000_000, 5_000_000); // local: free
    u.addSpeechIn('deepgram:nova-3', 120); // 2 min × 0.0077
    u.addSpeechIn('local:pocketsphinx', 600);
    u.addSpeechOut('elevenlabs:eleven_flash_v2_5', 2000); // 2 × 0.18
    u.data.phoneSeconds = 60;
    const c = estimateCost(u.data, priceTable(), 'outbound');
    assert.equal(c.llm, 1.2);
    assert.equal(c.stt, 0.0154);
    assert.equal(c.tts, 0.36);
    assert.equal(c.phone, 0.014);
    assert.equal(c.usd, 1.5894);
  });

  it('takes an agent\'s prices over the defaults, and an unknown provider costs nothing rather than failing', () => {
    const u = new Usage();
    u.addTokens('fake:m', 1_000_000, 0);
    u.addTokens('mystery:x', 1_000_000, 1_000_000);
    assert.equal(estimateCost(u.data, priceTable()).usd, 0);
    assert.equal(estimateCost(u.data, priceTable({ llm: { fake: { inputPerMTok: 3, outputPerMTok: 0 } } })).usd, 3);
  });
});

describe('a price the owner sets for a self-hosted model', () => {
  const usage = (id: string) => {
    const u = new Usage();
    u.addTokens(id, 1_000_000, 1_000_000);
    return u.data;
  };

  it('counts, by exact key, by a key the id starts with, or by the provider (support LOG entry 4)', () => {
    const price = { inputPerMTok: 0.5, outputPerMTok: 1.5 };
    assert.equal(estimateCost(usage('vllm:meta-llama/Llama-3.1-70B-Instruct'), priceTable({ llm: { 'vllm:meta-llama/Llama-3.1-70B-Instruct': price } })).llm, 2);
    assert.equal(estimateCost(usage('vllm:meta-llama/Llama-3.1-70B-Instruct'), priceTable({ llm: { 'vllm:meta-llama': price } })).llm, 2);
    assert.equal(estimateCost(usage('vllm:meta-llama/Llama-3.1-70B-Instruct'), priceTable({ llm: { vllm: price } })).llm, 2);
    assert.equal(estimateCost(usage('ollama:llama3.1'), priceTable({ llm: { ollama: price } })).llm, 2);
    assert.equal(estimateCost(usage('llamacpp:qwen'), priceTable({ llm: { 'llamacpp:qwen': price } })).llm, 2);
  });

  it('costs nothing when unpriced, and a price for one self-hosted provider does not leak to another', () => {
    assert.equal(estimateCost(usage('vllm:m'), priceTable()).usd, 0);
    assert.equal(estimateCost(usage('vllm:m'), priceTable({ llm: { ollama: { inputPerMTok: 9, outputPerMTok: 9 } } })).usd, 0);
    const u = new Usage();
    u.addSpeechIn('sherpa:whisper', 600);
    assert.equal(estimateCost(u.data, priceTable({ sttPerMinute: { sherpa: 0.01 } })).stt, 0.1, 'an owner-set speech price counts too');
  });
});

describe('MemoryRateWindow', () => {
  it('allows `limit` events per window per key, says when the next frees up, and forgets idle keys', async () => {
    let now = 1_000_000;
    const w = new MemoryRateWindow({ now: () => now });
    for (let i = 0; i < 3; i++) assert.equal((await w.take('a', 3, 60_000)).ok, true);
    now += 10_000;
    assert.deepEqual(await w.take('a', 3, 60_000), { ok: false, retryAfterMs: 50_000 });
    assert.equal((await w.take('b', 3, 60_000)).ok, true, 'another key is not affected');
    now += 50_001;
    assert.equal((await w.take('a', 3, 60_000)).ok, true, 'the oldest left the window');
    now += 120_000;
    await w.take('c', 3, 60_000);
    assert.equal(w.keys, 1, 'idle keys were pruned');
  });

  it('gives a taken place back once, and only that one', async () => {
    const w = new MemoryRateWindow({ now: () => 1_000_000 });
    const first = await w.take('a', 2, 60_000);
    assert.ok(first.ok);
    assert.equal((await w.take('a', 2, 60_000)).ok, true);
    assert.equal((await w.take('a', 2, 60_000)).ok, false);
    await first.giveBack();
    await first.giveBack(); // twice frees no second place
    assert.equal((await w.take('a', 2, 60_000)).ok, true, 'the given-back place is free again');
    assert.equal((await w.take('a', 2, 60_000)).ok, false);
  });
});
