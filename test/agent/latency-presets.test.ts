import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { tempDir } from '../helpers/cli.ts';

async function agentWith(yaml: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'agent.yaml'), `persona: { prompt: p, firstMessage: hi }\n${yaml}`);
  return (await loadAgent(dir)).config;
}

describe('latency presets', () => {
  it('fill models and turn settings the file leaves out', async () => {
    const fast = await agentWith('latency: fast\n');
    assert.equal(fast.brain.llm, 'openai:gpt-4.1-nano');
    assert.equal(fast.voice.tts, 'local:flite');
    assert.deepEqual([fast.listen.turn.minEndpointingDelayMs, fast.listen.turn.maxEndpointingDelayMs], [300, 1500]);
    const quality = await agentWith('latency: quality\n');
    assert.equal(quality.brain.llm, 'openai:gpt-4.1');
    assert.deepEqual([quality.listen.turn.minEndpointingDelayMs, quality.listen.turn.maxEndpointingDelayMs], [700, 4000]);
    assert.equal((await agentWith('')).brain.llm, 'openai:gpt-4.1-mini', 'balanced by default');
  });

  it('give a provider named without a model the preset model for that provider', async () => {
    const c = await agentWith('latency: fast\nbrain: { llm: anthropic }\nvoice: { tts: elevenlabs }\nlisten: { stt: deepgram }\n');
    assert.equal(c.brain.llm, 'anthropic:claude-haiku-4-5');
    assert.equal(c.voice.tts, 'elevenlabs:eleven_flash_v2_5');
    assert.equal(c.listen.stt, 'deepgram:nova-3');
  });

  it('never override what the file sets, field by field', async () => {
    const c = await agentWith('latency: fast\nbrain: { llm: "openai:gpt-4.1" }\nlisten: { turn: { minEndpointingDelayMs: 800 } }\n');
    assert.equal(c.brain.llm, 'openai:gpt-4.1');
    assert.equal(c.listen.turn.minEndpointingDelayMs, 800);
    assert.equal(c.listen.turn.maxEndpointingDelayMs, 1500, 'the unset one still comes from the preset');
  });
});
