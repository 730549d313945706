import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createParleyMcpServer } from '../../src/cli/mcp-server.ts';
import { tempDir } from '../helpers/cli.ts';

// The MCP `test` tool names the scenario files outside tests/ that it did not run, as `parley test`
// does on stderr: a coding agent that wrote its scenario next to agent.yaml learns it never ran,
// whether the tool passes, finds problems, or finds no scenario at all.

type Structured = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SCENARIO = 'caller:\n  turns:\n    - say: Hello\n      expect: { says: Hi }\nmodel:\n  script:\n    - text: Hi there.\n';

describe('mcp test: scenario files it does not run', () => {
  let root: string;
  let client: Client;
  const call = async (args: Record<string, unknown>) => (await client.callTool({ name: 'test', arguments: args })) as CallToolResult & { structuredContent?: Structured };
  const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

  before(async () => {
    root = tempDir('parley-mcp-not-run-');
    for (const name of ['ada', 'empty', 'broken']) {
      mkdirSync(join(root, name, 'tests'), { recursive: true });
      writeFileSync(join(root, name, 'agent.yaml'), `name: ${name}\npersona:\n  prompt: You are Ada.\n  firstMessage: Hello, this is Ada.\n`);
      writeFileSync(join(root, name, 'greeting.test.yaml'), SCENARIO);
    }
    writeFileSync(join(root, 'ada', 'tests', 'hello.yaml'), SCENARIO);
    writeFileSync(join(root, 'broken', 'tests', 'bad.yaml'), 'caller: { turns: [] }\n');
    const server = createParleyMcpServer(root);
    const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
    await server.connect(serverEnd);
    client = new Client({ name: 'parley-test', version: '1.0.0' });
    await client.connect(clientEnd);
  });
  after(() => client?.close());

  it('a passing run lists the stray file under notRun, and says so in its text', async () => {
    const r = await call({ dir: 'ada' });
    assert.ok(!r.isError, text(r));
    assert.equal(r.structuredContent!.passed, true);
    assert.equal(r.structuredContent!.scenarios.length, 1);
    assert.deepEqual(r.structuredContent!.notRun.map((s: { file: string }) => s.file), [join('ada', 'greeting.test.yaml')]);
    assert.equal(r.structuredContent!.notRun[0].reason, `outside ${join('ada', 'tests')}, the only folder parley test reads: move it there to run it`);
    assert.match(text(r), /not run: ada\/greeting\.test\.yaml — outside/);
  });

  it('with no scenario in tests/, the refusal names the stray file', async () => {
    const r = await call({ dir: 'empty' });
    assert.equal(r.isError, true);
    assert.match(text(r), /no text-mode scenarios in empty\/tests\nnot run: empty\/greeting\.test\.yaml/);
    assert.deepEqual(r.structuredContent!.notRun.map((s: { file: string }) => s.file), [join('empty', 'greeting.test.yaml')]);
  });

  it('with problems in the scenario files, the answer still names the stray file', async () => {
    const r = await call({ dir: 'broken' });
    assert.equal(r.isError, true);
    assert.ok(r.structuredContent!.problems.length > 0);
    assert.deepEqual(r.structuredContent!.notRun.map((s: { file: string }) => s.file), [join('broken', 'greeting.test.yaml')]);
  });

  it('an agent with no stray files answers notRun: []', async () => {
    rmSync(join(root, 'ada', 'greeting.test.yaml'));
    const r = await call({ dir: 'ada' });
    assert.deepEqual(r.structuredContent!.notRun, []);
    assert.doesNotMatch(text(r), /not run:/);
  });
});
