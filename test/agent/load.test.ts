import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { agentJsonSchema } from '../../src/agent/json-schema.ts';
import { loadAgent } from '../../src/agent/load.ts';
import { AgentLoadError, formatProblem } from '../../src/agent/problems.ts';
import { MissingSecretError, resolveSecrets } from '../../src/agent/secrets.ts';
import { EXAMPLE, ROOT, runParley, tempDir } from '../helpers/cli.ts';

function agentDir(yaml: string, files: Record<string, string> = {}): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'agent.yaml'), yaml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function problems(dir: string): Promise<string[]> {
  try {
    await loadAgent(dir);
  } catch (e) {
    assert.ok(e instanceof AgentLoadError, `expected AgentLoadError, got ${e}`);
    return e.problems.map((p) => formatProblem({ ...p, file: 'agent.yaml' }));
  }
  assert.fail('the agent loaded but should not have');
}

describe('agent folder loading', () => {
  it('loads the example agent with its defaults, prompt file and collect fields', async () => {
    const agent = await loadAgent(EXAMPLE);
    assert.equal(agent.name, 'sales-booking');
    assert.match(agent.prompt, /You are Ada/);
    assert.deepEqual(agent.collect.map((c) => c.field), ['name', 'email', 'company', 'problem']);
    assert.equal(agent.config.timeZone, 'Europe/Warsaw');
    assert.equal(agent.config.listen.turn.minEndpointingDelayMs, 500);
    assert.match(agent.version, /^[0-9a-f]{12}$/);
  });

  it('pins every schema problem to file:line:column and the field path', async () => {
    const dir = agentDir(
      ['persona:', '  prompt: Be nice.', '  firstMesage: hello', 'timeZone: Mars/Base', 'tools:', '  - end_call', '  - type: webhook', '    name: crm', '    description: d', '    url: ftp://x', 'limits:', '  maxConcurrent: -3', ''].join('\n'),
    );
    assert.deepEqual(await problems(dir), [
      'agent.yaml:1:1 persona.firstMessage: required field is missing',
      'agent.yaml:3:3 persona.firstMesage: unknown field "firstMesage"; did you mean "firstMessage"?',
      'agent.yaml:4:11 timeZone: not an IANA time zone (e.g. Europe/Warsaw, America/New_York)',
      'agent.yaml:10:10 tools.1.url: must be an http:// or https:// URL',
      'agent.yaml:12:18 limits.maxConcurrent: Too small: expected number to be >0',
    ]);
  });

  it('refuses literal secrets in auth headers and points at the header', async () => {
    const dir = agentDir(['persona: { prompt: p, firstMessage: hi }', 'tools:', '  - type: webhook', '    name: crm', '    description: d', '    url: https://crm.example/x', '    headers:', '      Authorization: Bearer sk-123', ''].join('\n'));
    assert.deepEqual(await problems(dir), ['agent.yaml:8:22 tools.0.headers.Authorization: put the secret in the environment and write ${ENV_NAME} here']);
  });

  it('reports YAML syntax errors with their position', async () => {
    const dir = agentDir('persona:\n  prompt: "unterminated\n  firstMessage: hi\n');
    const [first] = await problems(dir);
    assert.match(first, /^agent\.yaml:\d+:\d+ YAML: /);
  });

  it('checks cross-field rules: prompt source, duplicate tools and fields, missing prompt file', async () => {
    const dir = agentDir(['persona:', '  promptFile: nope.md', '  firstMessage: hi', 'collect: [name, email, name]', 'tools: [end_call, end_call]', ''].join('\n'));
    assert.deepEqual(await problems(dir), [
      'agent.yaml:2:15 persona.promptFile: file not found: nope.md',
      'agent.yaml:4:24 collect.2: field "name" is listed twice',
      'agent.yaml:5:19 tools.1: tool "end_call" is declared twice (first at tools.0)',
    ]);
  });

  it('names the missing file when there is no agent.yaml', async () => {
    const dir = tempDir();
    assert.deepEqual(await problems(dir), ['agent.yaml:1:1 agent.yaml not found in this folder']);
  });

  it('changes the version when any file of the folder changes', async () => {
    const dir = agentDir('persona: { prompt: p, firstMessage: hi }\n', { 'notes.md': 'a' });
    const before = (await loadAgent(dir)).version;
    writeFileSync(join(dir, 'notes.md'), 'b');
    assert.notEqual((await loadAgent(dir)).version, before);
  });
});

describe('secrets', () => {
  it('resolves ${NAME} from the environment and names a missing one with where it is needed', () => {
    assert.equal(resolveSecrets('Bearer ${TOKEN}', 'tools.crm', { TOKEN: 'abc' }), 'Bearer abc');
    assert.throws(() => resolveSecrets('Bearer ${TOKEN}', 'tools.crm.headers.Authorization', {}), (e: unknown) => {
      assert.ok(e instanceof MissingSecretError);
      assert.equal(e.message, 'environment variable TOKEN is not set (needed by tools.crm.headers.Authorization)');
      return true;
    });
  });
});

describe('parley check and parley schema', () => {
  it('exits 0 for a valid agent and notes unset secrets by name', async () => {
    const r = await runParley(['check', 'examples/sales-booking']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ok examples\/sales-booking\/agent\.yaml: agent "sales-booking"/);
    assert.match(r.stdout, /warning: not set in this environment: .*CRM_WEBHOOK_URL .*CRM_TOKEN /);
  });

  it('exits 1 and prints each problem as file:line:column field: message', async () => {
    const dir = agentDir('persona:\n  prompt: p\nvoice:\n  speed: 9\n');
    const r = await runParley(['check', dir]);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(lines, [`${dir}/agent.yaml:1:1 persona.firstMessage: required field is missing`, `${dir}/agent.yaml:4:10 voice.speed: Too big: expected number to be <=2`, '2 problems found']);
  });

  it('prints the JSON Schema, and docs/agent.schema.json is up to date with it', async () => {
    const r = await runParley(['schema']);
    assert.equal(r.code, 0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    assert.deepEqual(schema, agentJsonSchema());
    assert.ok(['persona', 'tools', 'limits'].every((k) => k in schema.properties));
    assert.deepEqual(JSON.parse(readFileSync(join(ROOT, 'docs/agent.schema.json'), 'utf8')), schema, 'run `npm run schema` to regenerate docs/agent.schema.json');
  });
});
