import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { parameterSchemaProblems } from '../../src/agent/parameters-schema.ts';
import { AgentLoadError, formatProblem } from '../../src/agent/problems.ts';
import { tempDir } from '../helpers/cli.ts';

// support LOG entry 2: a comma in an unquoted flow-map description made a key "if given" inside a
// webhook's `parameters`, which loaded without a word and cut the description short.

async function loadProblems(lines: string[]): Promise<string[]> {
  const dir = tempDir();
  writeFileSync(join(dir, 'agent.yaml'), ['persona: { prompt: p, firstMessage: hi }', 'tools:', ...lines, ''].join('\n'));
  try {
    await loadAgent(dir);
  } catch (e) {
    assert.ok(e instanceof AgentLoadError, `expected AgentLoadError, got ${e}`);
    return e.problems.map((p) => formatProblem({ ...p, file: 'agent.yaml' }));
  }
  return [];
}

const webhook = ['  - type: webhook', '    name: open_ticket', '    description: Open a ticket.', '    url: https://example.com/t'];

describe('unknown keys in a webhook tool\'s parameters', () => {
  it('reports the tail of an unquoted description as an error at its key, with the fix', async () => {
    const problems = await loadProblems([
      ...webhook,
      '    parameters:',
      '      type: object',
      '      properties:',
      "        name: { type: string, description: The caller's name, if given }",
    ]);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0]!, /^agent\.yaml:10:63 tools\.0\.parameters\.properties\.name\.if given: unknown JSON Schema keyword "if given"/);
    assert.match(problems[0]!, /quote the description/);
  });

  it('reports a misspelt keyword at the top and in a property, with the keyword meant', async () => {
    const problems = await loadProblems([
      ...webhook,
      '    parameters:',
      '      type: object',
      '      requried: [email]',
      '      properties:',
      '        email: { type: string, descripton: The account email }',
    ]);
    assert.deepEqual(problems.map((p) => p.split(': unknown')[0]), ['agent.yaml:9:7 tools.0.parameters.requried', 'agent.yaml:11:32 tools.0.parameters.properties.email.descripton']);
    assert.match(problems[0]!, /did you mean "required"\?/);
    assert.match(problems[1]!, /did you mean "description"\?/);
  });

  it('looks inside items, anyOf and nested objects, and checks type names', async () => {
    const found = parameterSchemaProblems({
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string', maxLenght: 3 } },
        when: { anyOf: [{ type: 'string', format: 'date' }, { type: 'nul' }] },
        address: { type: 'object', properties: { street: { type: 'string', exmaple: 'x' } }, additionalProperties: false },
        note: 'string',
      },
    });
    assert.deepEqual(found.map((p) => [p.path.join('.'), p.atKey]), [
      ['properties.tags.items.maxLenght', true],
      ['properties.when.anyOf.1.type', false],
      ['properties.address.properties.street.exmaple', true],
      ['properties.note', false],
    ]);
    assert.match(found[1]!.message, /type "nul" is not a JSON Schema type.*did you mean "null"/);
    assert.match(found[3]!.message, /must be a JSON Schema object/);
  });

  it('accepts every documented keyword, property names of any spelling, and the default', async () => {
    assert.deepEqual(parameterSchemaProblems({
      type: 'object',
      description: 'd',
      properties: {
        'if given': { type: ['string', 'null'], description: 'a property may be called anything', enum: ['a', 'b'], default: 'a' },
        type: { type: 'integer', minimum: 1, maximum: 9 },
        code: { type: 'string', minLength: 2, maxLength: 8, pattern: '^[A-Z]+$', format: 'regex', const: 'AB' },
        list: { type: 'array', items: { type: 'object', properties: {}, required: [] }, minItems: 1 },
      },
      required: ['type'],
      additionalProperties: false,
    }), []);
    assert.deepEqual(await loadProblems(webhook), [], 'no parameters at all is fine');
  });
});
