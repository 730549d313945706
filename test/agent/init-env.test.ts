import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planFromAnswers, planSummary } from '../../src/agent/init/plan.ts';
import { envExample } from '../../src/agent/init/render.ts';
import { formatOfPath } from '../../src/knowledge/index.ts';
import { PROVIDERS } from '../../src/llm/model.ts';

// `parley init` lists every secret the agent it writes will need — the model's key, the
// calendar's, and the voice provider's (an ElevenLabs voice needs ELEVENLABS_API_KEY) — in its
// plan and in .env.example, each once.

const ROOT = join(import.meta.dirname, '..', '..');
const ctx = { cwd: ROOT, dir: join(ROOT, 'agents', 'x'), schemaRef: '../docs/agent.schema.json', providers: PROVIDERS, defaultTimeZone: 'Europe/London', readable: (p: string) => formatOfPath(p) !== undefined };

function envOf(answers: object): { names: string[]; example: string; summary: string } {
  const { plan, problems } = planFromAnswers(JSON.stringify({ template: 'sales-booking', business: { name: 'Acme', description: 'Boilers.' }, ...answers }), 'answers.json', ctx);
  assert.deepEqual(problems, []);
  return { names: plan!.env.map((e) => e.name), example: envExample(plan!), summary: planSummary(plan!, [], { cwd: ROOT }) };
}

describe('parley init: the voice provider’s key', () => {
  it('is in the plan and in .env.example for each cloud voice', () => {
    for (const [tts, key] of [['elevenlabs:eleven_flash_v2_5', 'ELEVENLABS_API_KEY'], ['cartesia:sonic-2', 'CARTESIA_API_KEY']] as const) {
      const r = envOf({ voice: { tts, voiceId: 'JBFqnCBsd6RMkjVDRZzb' }, calendar: { provider: 'calcom', eventTypeId: 7 } });
      assert.deepEqual(r.names, ['OPENAI_API_KEY', key, 'CALCOM_API_KEY']);
      assert.match(r.example, new RegExp(`# The API key of the voice \\(${tts}\\)\\.\\n${key}=\\n`));
      assert.match(r.summary, new RegExp(`^Secrets\\s+OPENAI_API_KEY, ${key}, CALCOM_API_KEY`, 'm'));
    }
  });

  it('is listed once when the model and the voice share it, and not at all for a local voice', () => {
    assert.deepEqual(envOf({ voice: { tts: 'openai:gpt-4o-mini-tts', voiceId: 'coral' } }).names, ['OPENAI_API_KEY']);
    assert.deepEqual(envOf({ voice: { tts: 'local:flite' } }).names, ['OPENAI_API_KEY']);
    assert.deepEqual(envOf({ model: 'local:default', voice: { tts: 'elevenlabs:eleven_flash_v2_5' } }).names, ['ELEVENLABS_API_KEY']);
  });
});

describe('parley init: every ${NAME} the answers use', () => {
  it('brain.baseURL, the phone number and the recogniser’s key are in the plan and .env.example', () => {
    const r = envOf({
      brain: { llm: 'openai-compatible:meta-llama/Llama-3.1-70B-Instruct', baseURL: '${LEDGERLY_VLLM_BASE_URL}' },
      listen: { stt: 'deepgram:nova-3' },
      channels: { phone: { number: '${LEDGERLY_TWILIO_NUMBER}' } },
    });
    for (const name of ['LEDGERLY_VLLM_BASE_URL', 'DEEPGRAM_API_KEY', 'LEDGERLY_TWILIO_NUMBER', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']) {
      assert.ok(r.names.includes(name), `${name} missing from ${r.names.join(', ')}`);
      assert.match(r.example, new RegExp(`^${name}=$`, 'm'));
    }
  });
});

describe('parley init: ${NAME} in the answers’ server URLs', () => {
  it('the old modelBaseURL and a calendar’s baseURL take ${NAME}, listed in .env.example', () => {
    const r = envOf({ model: 'openai-compatible:qwen', modelBaseURL: '${VLLM_URL}', calendar: { provider: 'calcom', eventTypeId: 7, baseURL: '${CALCOM_URL}' } });
    for (const name of ['VLLM_URL', 'CALCOM_URL']) assert.match(r.example, new RegExp(`^${name}=$`, 'm'));
  });
});
