import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ENV_FIELDS } from '../../src/agent/env-fields.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { runProblems } from '../../src/cli/agent-checks.ts';

// docs/agent-file.md § Secrets lists the fields that take ${NAME}. The schema says the same in
// its descriptions ("${ENV_NAME} allowed") and patterns; this test keeps the two lists equal, so a
// field that starts (or stops) taking ${NAME} cannot leave the doc behind.

const ROOT = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs/agent-file.md'), 'utf8');
const schema = JSON.parse(readFileSync(join(ROOT, 'docs/agent.schema.json'), 'utf8')) as Node;

interface Node {
  $ref?: string;
  description?: string;
  pattern?: string;
  default?: unknown;
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
  allOf?: Node[];
  additionalProperties?: Node | boolean;
  $defs?: Record<string, Node>;
}

/** Every field whose description, pattern or default mentions ${…}, with the patterns it must meet. */
function envFieldsOfSchema(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const defs = schema.$defs ?? {};
  const walk = (n: Node | undefined, path: string, depth: number): void => {
    if (!n || depth > 40) return;
    if (n.$ref) walk(defs[n.$ref.split('/').pop()!], path, depth + 1);
    const said = `${n.description ?? ''} ${n.pattern ?? ''} ${JSON.stringify(n.default ?? '')}`;
    if (path && /\$\{|\\\$\\\{/.test(said)) out.set(path, [...(out.get(path) ?? []), ...(n.pattern ? [n.pattern] : [])]);
    for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, path ? `${path}.${k}` : k, depth + 1);
    if (n.items) walk(n.items, `${path}[]`, depth + 1);
    for (const v of [...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.allOf ?? [])]) walk(v, path, depth + 1);
    if (n.additionalProperties && typeof n.additionalProperties === 'object') walk(n.additionalProperties, path, depth + 1);
  };
  walk(schema, '', 0);
  return out;
}

function envFieldsOfDoc(): string[] {
  const block = /<!-- env-fields -->([\s\S]*?)<!-- \/env-fields -->/.exec(doc)?.[1];
  assert.ok(block, 'docs/agent-file.md § Secrets has no <!-- env-fields --> list');
  return [...block.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

describe('docs/agent-file.md § Secrets: the fields that take ${NAME}', () => {
  it('lists exactly the fields the schema lets hold ${NAME}', () => {
    assert.deepEqual(envFieldsOfDoc().sort(), [...envFieldsOfSchema().keys()].sort());
  });

  it('lists exactly the fields the code fills from the environment (src/agent/env-fields.ts)', () => {
    const doc = envFieldsOfDoc().map((f) => f.replace(/ \(.*$/, ''));
    assert.deepEqual([...ENV_FIELDS].sort(), doc.sort());
  });

  it('a ${NAME} in any other field is a problem check names, not a value sent as written', () => {
    const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Hi ${CALLER}.' }, calendar: { provider: 'calendly', token: '${CALENDLY_TOKEN}', eventType: '${CALENDLY_EVENT_TYPE}' } });
    const flagged = runProblems(config, ROOT).filter((p) => /not filled in from the environment here/.test(p.message)).map((p) => p.path.join('.'));
    assert.deepEqual(flagged.sort(), ['calendar.eventType', 'persona.firstMessage']);
  });

  it('each listed field accepts ${NAME} where its schema has a pattern', () => {
    for (const [field, patterns] of envFieldsOfSchema()) {
      if (patterns.length) assert.ok(patterns.some((p) => new RegExp(p, 'u').test('${SOME_NAME}')), `${field} refuses \${SOME_NAME}: ${patterns.join(' | ')}`);
    }
  });

  it('knowledge.sources, which the doc says refuses ${NAME}, is refused by the checks', () => {
    assert.match(doc, /`knowledge\.sources` refuses one on purpose/);
    const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Hi.' }, knowledge: { sources: ['${STATUS_URL}'] } });
    const problems = runProblems(config, ROOT);
    assert.ok(problems.some((p) => p.path.join('.') === 'knowledge.sources.0' && /take no \$\{NAME\}/.test(p.message)), JSON.stringify(problems));
  });
});
