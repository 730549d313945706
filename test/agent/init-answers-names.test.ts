import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { planFromAnswers } from '../../src/agent/init/plan.ts';
import { renderAgentFolder } from '../../src/agent/init/render.ts';
import { answerFieldPaths } from '../../src/agent/init/answer-fields.ts';
import { AgentFile, Calendar } from '../../src/agent/schema.ts';
import { formatOfPath } from '../../src/knowledge/document.ts';
import { PROVIDERS } from '../../src/llm/model.ts';

// `parley init --answers` reads agent.yaml's own names (issue 23: a coding agent wrote
// limits.maxConcurrent and was refused); the older names still work, with a warning.

const ROOT = join(import.meta.dirname, '..', '..');
const BUSINESS = { name: 'Hale Physio', description: 'Physiotherapy clinic in Bristol.' };
const ctx = { cwd: ROOT, dir: join(ROOT, 'agents', 'hale'), schemaRef: '../docs/agent.schema.json', providers: PROVIDERS, defaultTimeZone: 'UTC', readable: (p: string) => formatOfPath(p) !== undefined };

function rendered(answers: unknown) {
  const r = planFromAnswers(JSON.stringify(answers, null, 2), 'answers.json', ctx);
  assert.deepEqual(r.problems, [], 'no problems');
  const files = renderAgentFolder(r.plan!);
  const text = (path: string) => {
    const f = files.find((x) => x.path === path)!;
    return 'text' in f ? f.text : '';
  };
  return { yaml: text('agent.yaml'), config: AgentFile.parse(parse(text('agent.yaml'))), env: text('.env.example'), warnings: r.warnings, plan: r.plan! };
}

describe('init answers in agent.yaml’s names', () => {
  it('takes every block as agent.yaml has it and writes it as given', () => {
    const r = rendered({
      template: 'sales-booking',
      business: BUSINESS,
      persona: { firstMessage: 'Hello, Hale Physio here.', language: 'en-GB', tone: 'friendly' },
      voice: { tts: 'elevenlabs:eleven_flash_v2_5', voiceId: 'abc', speed: 1.1 },
      listen: { stt: 'deepgram:nova-3', silenceEnd: 30 },
      brain: { llm: 'anthropic:claude-haiku-4-5', temperature: 0.2, apiKey: '${HALE_LLM_KEY}' },
      knowledge: { strict: true, synonyms: [['physio', 'physiotherapy']] },
      calendar: { provider: 'builtin', ownerEmail: 'owner@hale.example', closedDates: ['2027-12-25'] },
      channels: { web: { allowedOrigins: ['hale.example', 'Www.Hale.example'], widget: { color: '#0f766e', label: 'Ask us' } } },
      limits: { maxDurationSec: 480, maxConcurrent: 4, dailyBudget: { amount: 3, currency: 'GBP', usdPerUnit: 1.27 } },
      guardrails: [{ topic: 'medical' }],
    });
    assert.deepEqual(r.warnings, []);
    const c = r.config;
    assert.deepEqual([c.persona.firstMessage, c.persona.language, c.persona.tone], ['Hello, Hale Physio here.', 'en-GB', 'friendly']);
    assert.deepEqual([c.voice.tts, c.voice.voiceId, c.voice.speed], ['elevenlabs:eleven_flash_v2_5', 'abc', 1.1]);
    assert.deepEqual([c.listen.stt, c.listen.silenceEnd], ['deepgram:nova-3', 30]);
    assert.deepEqual([c.brain.llm, c.brain.temperature, c.brain.apiKey], ['anthropic:claude-haiku-4-5', 0.2, '${HALE_LLM_KEY}']);
    assert.deepEqual(c.knowledge.synonyms, [['physio', 'physiotherapy']]);
    assert.equal(c.calendar?.provider === 'builtin' && c.calendar.ownerEmail, 'owner@hale.example');
    assert.deepEqual(c.channels.web.allowedOrigins, ['hale.example', 'www.hale.example']);
    assert.deepEqual([c.channels.web.widget.color, c.channels.web.widget.label, c.channels.web.widget.position], ['#0f766e', 'Ask us', 'bottom-right']);
    assert.deepEqual([c.limits.maxDurationSec, c.limits.maxConcurrent, c.limits.conversationsPerIpPerHour], [480, 4, 10]);
    assert.deepEqual(c.limits.dailyBudget, { amount: 3, currency: 'GBP', usdPerUnit: 1.27 });
    assert.doesNotMatch(r.yaml, /dailyBudgetUsd/, 'a budget in the owner’s currency replaces the default in dollars');
    assert.deepEqual(c.guardrails.map((g) => g.topic), ['medical']);
    assert.doesNotMatch(r.yaml, /silenceReprompt|turn:/, 'defaults the answers did not give stay out of the file');
    assert.match(r.env, /^HALE_LLM_KEY=/m, 'a ${NAME} the answers use is listed in .env.example');
    assert.doesNotMatch(r.env, /ANTHROPIC_API_KEY/, 'brain.apiKey replaces the provider’s standard variable');
    assert.match(r.env, /^ELEVENLABS_API_KEY=|^$/m);
  });

  it('reads the older names as their agent.yaml names, warning at each with the new name', () => {
    const old = rendered({
      template: 'sales-booking',
      business: BUSINESS,
      language: 'en-GB',
      tone: 'friendly',
      firstMessage: 'Hello!',
      strictKnowledge: false,
      widget: { color: '#0f766e' },
      allowedOrigins: ['hale.example'],
      model: 'openai:gpt-4.1-nano',
      modelBaseURL: 'http://127.0.0.1:8080/v1',
      limits: { maxMinutes: 8, dailyBudgetUsd: 3 },
      calendar: { provider: 'calcom', eventTypeId: 7, apiKeyEnv: 'HALE_CALCOM' },
    });
    const now = rendered({
      template: 'sales-booking',
      business: BUSINESS,
      persona: { language: 'en-GB', tone: 'friendly', firstMessage: 'Hello!' },
      knowledge: { strict: false },
      channels: { web: { widget: { color: '#0f766e' }, allowedOrigins: ['hale.example'] } },
      brain: { llm: 'openai:gpt-4.1-nano', baseURL: 'http://127.0.0.1:8080/v1' },
      limits: { maxDurationSec: 480, dailyBudgetUsd: 3 },
      calendar: { provider: 'calcom', eventTypeId: 7, apiKey: '${HALE_CALCOM}' },
    });
    assert.equal(old.yaml, now.yaml, 'the same agent.yaml either way');
    assert.equal(old.env, now.env);
    const byField = new Map(old.warnings.map((w) => [w.field, w]));
    for (const [field, replacement] of [['language', 'persona.language'], ['model', 'brain.llm'], ['widget', 'channels.web.widget'], ['limits.maxMinutes', 'limits.maxDurationSec: 480'], ['calendar.apiKeyEnv', 'calendar.apiKey: "${HALE_CALCOM}"'], ['strictKnowledge', 'knowledge.strict']]) {
      const w = byField.get(field);
      assert.ok(w, `a warning at ${field}`);
      assert.ok(w.message.includes(replacement), `${field}: "${w.message}" names ${replacement}`);
      assert.ok(w.line > 1, `${field} is pinned to its line`);
    }
    assert.equal(old.warnings.length, 11 - 1, 'one per older name used (tokenEnv is Calendly’s)');
  });

  it('refuses an older and a newer name for the same setting, and a value wrong under its older name is shown there', () => {
    const both = planFromAnswers(JSON.stringify({ template: 'faq', business: BUSINESS, tone: 'warm', persona: { tone: 'cold' } }, null, 2), 'answers.json', ctx);
    assert.equal(both.plan, undefined);
    assert.equal(both.problems.length, 1);
    assert.equal(both.problems[0]!.field, 'tone');
    assert.match(both.problems[0]!.message, /older name of persona\.tone, which is given too/);

    const wrong = planFromAnswers(JSON.stringify({ template: 'faq', business: BUSINESS, model: 'openia:gpt-4.1-mini' }, null, 2), 'answers.json', ctx);
    assert.equal(wrong.problems[0]!.field, 'model');
    assert.equal(wrong.problems[0]!.line, 7);
    assert.match(wrong.problems[0]!.message, /unknown model provider "openia"/);
  });

  it('a misspelt agent.yaml name is answered with the right one, and nothing is planned', () => {
    const r = planFromAnswers(JSON.stringify({ template: 'faq', business: BUSINESS, limits: { maxConcurent: 4 } }, null, 2), 'answers.json', ctx);
    assert.equal(r.plan, undefined);
    assert.equal(r.problems[0]!.field, 'limits.maxConcurent');
    assert.match(r.problems[0]!.message, /unknown field "maxConcurent".*maxConcurrent/);
  });

  it('agent.yaml’s rules apply to its names: a currency budget needs its rate, a duration at most a day', () => {
    const r = planFromAnswers(JSON.stringify({ template: 'faq', business: BUSINESS, limits: { maxDurationSec: 90_000, dailyBudget: { amount: 3, currency: 'GBP' } } }, null, 2), 'answers.json', ctx);
    assert.equal(r.plan, undefined);
    assert.deepEqual(r.problems.map((p) => p.field).sort(), ['limits.dailyBudget.usdPerUnit', 'limits.maxDurationSec']);
  });

  it('accepts every field agent.yaml’s calendar has, for the providers that have it', () => {
    const builtin = rendered({ template: 'sales-booking', business: BUSINESS, calendar: { provider: 'builtin', location: 'Clifton Road 4, Bristol', meetingName: 'first assessment' } });
    assert.deepEqual(builtin.config.calendar?.provider === 'builtin' && [builtin.config.calendar.location, builtin.config.calendar.meetingName], ['Clifton Road 4, Bristol', 'first assessment']);
    const calcom = rendered({ template: 'sales-booking', business: BUSINESS, calendar: { provider: 'calcom', eventTypeId: 42, meetingName: 'first assessment' } });
    assert.equal(calcom.config.calendar?.meetingName, 'first assessment');
    const fields = answerFieldPaths();
    for (const option of Calendar.options) {
      for (const key of Object.keys(option.shape)) assert.ok(fields.includes(`calendar.${key}`), `calendar.${key} is an answer`);
    }
    const r = planFromAnswers(JSON.stringify({ template: 'sales-booking', business: BUSINESS, calendar: { provider: 'calcom', eventTypeId: 42, location: 'Bristol' } }), 'answers.json', ctx);
    assert.match(r.problems.map((p) => p.message).join('\n'), /only for builtin calendars, not calcom/);
  });
});
