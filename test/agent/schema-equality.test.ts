import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { planFromAnswers } from '../../src/agent/init/plan.ts';
import { renderAgentFolder } from '../../src/agent/init/render.ts';
import { agentJsonSchema } from '../../src/agent/json-schema.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { formatOfPath } from '../../src/knowledge/index.ts';
import { PROVIDERS } from '../../src/llm/model.ts';

// One truth for the format: an editor or a coding agent validating agent.yaml with
// docs/agent.schema.json must get the same verdict as `parley check` (the zod schema) — for the
// examples, every `parley init` template, every whole agent shown in the docs, and a set of
// right and wrong variants. (Checks no JSON Schema can express — that a time zone exists, that
// an auth header holds ${ENV} rather than a literal secret — are check's alone, and left out.)

const ROOT = join(import.meta.dirname, '..', '..');
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validate = ajv.compile(agentJsonSchema());

const verdicts = (doc: unknown) => ({ check: AgentFile.safeParse(doc).success, schema: validate(doc) as boolean });

function sameVerdict(name: string, doc: unknown, expected?: boolean): void {
  const v = verdicts(doc);
  assert.equal(v.schema, v.check, `${name}: parley check says ${v.check ? 'valid' : 'invalid'}, the JSON Schema says ${v.schema ? 'valid' : `invalid: ${ajv.errorsText(validate.errors)}`}`);
  if (expected !== undefined) assert.equal(v.check, expected, `${name}: expected ${expected ? 'valid' : 'invalid'}`);
}

/** Whole agents in YAML code blocks of the docs (a block with `persona:` at the top level). */
function agentsInDocs(): { name: string; doc: unknown }[] {
  const files = ['README.md', 'AGENTS.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const found: { name: string; doc: unknown }[] = [];
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const [i, m] of [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) {
      if (!/^persona:/m.test(m[1])) continue;
      found.push({ name: `${file} yaml block ${i + 1}`, doc: parse(m[1]) });
    }
  }
  return found;
}

describe('agent.yaml: the JSON Schema and parley check agree', () => {
  it('on the example agents', () => {
    for (const dir of readdirSync(join(ROOT, 'examples'))) {
      sameVerdict(`examples/${dir}`, parse(readFileSync(join(ROOT, 'examples', dir, 'agent.yaml'), 'utf8')), true);
    }
  });

  it('on every parley init template with every calendar', () => {
    for (const template of ['sales-booking', 'support', 'faq'] as const) {
      for (const calendar of [{ provider: 'builtin' }, { provider: 'calcom', eventTypeId: 7 }, { provider: 'calendly', eventType: 'https://api.calendly.com/event_types/abc' }, { provider: 'none' }]) {
        const answers = JSON.stringify({ template, business: { name: 'Acme Plumbing', description: 'Boiler repairs in Leeds.' }, calendar });
        const ctx = { cwd: ROOT, dir: join(ROOT, 'agents', 'acme'), schemaRef: '../docs/agent.schema.json', providers: PROVIDERS, defaultTimeZone: 'Europe/Warsaw', readable: (p: string) => formatOfPath(p) !== undefined };
        const { plan, problems } = planFromAnswers(answers, 'answers.json', ctx);
        assert.deepEqual(problems, []);
        const yaml = renderAgentFolder(plan!).find((f) => f.path === 'agent.yaml')!;
        sameVerdict(`init ${template}/${calendar.provider}`, parse('text' in yaml ? yaml.text : ''), true);
      }
    }
  });

  it('on every whole agent the docs show', () => {
    const docs = agentsInDocs();
    assert.ok(docs.length >= 1, `expected whole agents in the docs, found ${docs.length}`);
    for (const { name, doc } of docs) sameVerdict(name, doc, true);
  });

  it('on right and wrong variants of the fields people get wrong', () => {
    const base = { persona: { prompt: 'You are Ada.', firstMessage: 'Hi!' } };
    const cases: [string, unknown, boolean][] = [
      ['tools as bare names', { ...base, tools: ['end_call', 'save_lead'] }, true],
      ['tools as names and objects', { ...base, tools: ['end_call', { type: 'webhook', name: 'crm', description: 'Send the lead.', url: 'https://crm.example.com/x' }] }, true],
      ['an unknown tool name', { ...base, tools: ['end_cal'] }, false],
      ['a webhook without a url', { ...base, tools: [{ type: 'webhook', name: 'crm', description: 'x' }] }, false],
      ['an unknown top-level field', { ...base, voices: {} }, false],
      ['an unknown knowledge field', { ...base, knowledge: { strict: true, topk: 3 } }, false],
      ['synonyms as groups', { ...base, knowledge: { synonyms: [['physio', 'physiotherapy']] } }, true],
      ['a synonym group of one', { ...base, knowledge: { synonyms: [['physio']] } }, false],
      ['embeddings without a provider', { ...base, knowledge: { embeddings: { model: 'text-embedding-3-small' } } }, false],
      ['collect as names and objects', { ...base, collect: ['name', { field: 'team_size', description: 'How many people', required: false }] }, true],
      ['topK out of range', { ...base, knowledge: { topK: 50 } }, false],
      ['no persona', { name: 'x' }, false],
      ['a budget in pounds with its rate', { ...base, limits: { dailyBudget: { amount: 3, currency: 'GBP', usdPerUnit: 1.27 } } }, true],
      ['a budget rate from the environment', { ...base, limits: { dailyBudget: { amount: 3, currency: 'GBP', usdPerUnit: '${PARLEY_USD_PER_GBP}' } } }, true],
      ['a currency that is not a code', { ...base, limits: { dailyBudget: { amount: 3, currency: 'pounds', usdPerUnit: 1.27 } } }, false],
    ];
    for (const [name, doc, valid] of cases) sameVerdict(name, doc, valid);
  });
});
