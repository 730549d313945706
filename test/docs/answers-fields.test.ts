import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { answerFields, INIT_ONLY_FIELDS } from '../../src/agent/init/answer-fields.ts';
import { planFromAnswers } from '../../src/agent/init/plan.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { fieldsAt } from '../../src/agent/schema-fields.ts';
import { formatOfPath } from '../../src/knowledge/document.ts';
import { PROVIDERS } from '../../src/llm/model.ts';
import { ROOT } from '../helpers/cli.ts';

// AGENTS.md lists every field `parley init --answers` reads. The list is checked against the
// answers schema both ways, so a field added to the code and not the doc (or the reverse) fails.

const agentsMd = () => readFileSync(join(ROOT, 'AGENTS.md'), 'utf8');

/** The fields the AGENTS.md list names: current ones (a `block.` prefix token applies to its line) and older names with their new ones. */
function documented(): { current: string[]; deprecated: { old: string; now: string }[] } {
  const text = agentsMd();
  const start = text.indexOf('<!-- answers-fields:start -->');
  const end = text.indexOf('<!-- answers-fields:end -->');
  assert.ok(start > 0 && end > start, 'AGENTS.md has the answers-fields block');
  const current: string[] = [];
  const deprecated: { old: string; now: string }[] = [];
  for (const line of text.slice(start, end).split('\n').filter((l) => l.startsWith('- '))) {
    if (line.includes('→')) {
      // `old` → `new`; a nested older name is written `block `old``, so no doc reads it as an agent.yaml path.
      for (const m of line.matchAll(/(?:\b([a-z]+) )?`([^`]+)` → `([^`]+)`/g)) deprecated.push({ old: m[1] ? `${m[1]}.${m[2]}` : m[2]!, now: m[3]! });
      continue;
    }
    const tokens = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const prefix = tokens[0]?.endsWith('.') ? tokens.shift()! : '';
    current.push(...tokens.map((t) => prefix + t));
  }
  return { current, deprecated };
}

describe('AGENTS.md lists exactly the fields the answers file accepts', () => {
  it('every field of the schema is listed, and every listed field is in the schema', () => {
    const code = answerFields();
    const doc = documented();
    const missing = code.current.filter((f) => !doc.current.includes(f));
    const extra = doc.current.filter((f) => !code.current.includes(f));
    assert.deepEqual(missing, [], `AGENTS.md does not list: ${missing.join(', ')}`);
    assert.deepEqual(extra, [], `AGENTS.md lists fields the answers schema lacks: ${extra.join(', ')}`);
    assert.deepEqual(new Set(doc.current).size, doc.current.length, 'no field listed twice');
    assert.deepEqual(doc.deprecated, code.deprecated, 'the older names and their replacements');
  });

  it('besides init’s own fields, every answers field is agent.yaml’s field of the same name at the same place', () => {
    for (const path of answerFields().current) {
      if ((INIT_ONLY_FIELDS as readonly string[]).includes(path)) continue;
      const parts = path.split('.');
      const known = fieldsAt(AgentFile, parts.slice(0, -1));
      assert.ok(parts.length === 1 ? Object.keys(AgentFile.shape).includes(path) : known.includes(parts.at(-1)!), `${path} is not a field of agent.yaml`);
    }
  });

  it('the answers example in AGENTS.md is accepted without a warning', () => {
    const text = agentsMd();
    const json = text.slice(text.indexOf('```json\n{\n  "template"') + 8, text.indexOf('```', text.indexOf('```json\n{\n  "template"') + 8));
    const answers = JSON.parse(json) as Record<string, unknown>;
    delete answers.documents; // files of the reader's own, not of this repository
    const ctx = { cwd: ROOT, dir: join(ROOT, 'agents', 'acme'), schemaRef: '../docs/agent.schema.json', providers: PROVIDERS, defaultTimeZone: 'UTC', readable: (p: string) => formatOfPath(p) !== undefined };
    const r = planFromAnswers(JSON.stringify(answers), 'answers.json', ctx);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, []);
  });
});
