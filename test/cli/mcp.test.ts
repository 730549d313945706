import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE, ROOT, runParley, tempDir } from '../helpers/cli.ts';

// `parley mcp` started as a real child process, spoken to over stdio with the SDK's own client,
// as Claude Code or Cursor would. The server serves a scratch folder holding a good agent and a
// broken one; the child is killed when the tests end, whatever happened.

type Structured = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('parley mcp', () => {
  let root: string;
  let transport: StdioClientTransport;
  let client: Client;
  let stderr = '';

  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Structured };
  const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

  before(async () => {
    root = tempDir('parley-mcp-');
    cpSync(EXAMPLE, join(root, 'sales-booking'), { recursive: true });
    mkdirSync(join(root, 'broken'));
    writeFileSync(join(root, 'broken', 'agent.yaml'), 'persona:\n  prompt: You are Ada.\nlimits:\n  maxConcurent: 4\n  maxDurationSec: -5\n');
    writeFileSync(join(root, 'notes.md'), '# Prices\nA boiler service costs 80 pounds.\n');
    transport = new StdioClientTransport({
      command: process.execPath, // node itself, not a wrapper, so killing it ends the server
      args: [join(ROOT, 'bin/parley.js'), 'mcp'],
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', PARLEY_LOCAL_MODEL_URL: 'http://127.0.0.1:65535/model.gguf' },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d) => (stderr += d));
    client = new Client({ name: 'parley-test', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    const pid = transport?.pid;
    await client?.close().catch(() => {});
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone: closing stdin ended it
      }
    }
  });

  it('lists its tools, each with an input schema', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['check', 'conversation_show', 'conversations_list', 'init', 'knowledge_explain', 'replay', 'schema', 'test', 'tools']);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.ok(t.description && t.description.length > 20, `${t.name} is described`);
    }
    assert.deepEqual(tools.find((t) => t.name === 'check')!.inputSchema.required, ['dir']);
  });

  it('check: a good agent is ok; a broken one gets every problem with file, line and field', async () => {
    const good = await call('check', { dir: 'sales-booking', offline: true });
    assert.ok(!good.isError, text(good));
    assert.equal(good.structuredContent!.ok, true);
    assert.equal(good.structuredContent!.agent.name, 'sales-booking');
    assert.match(text(good), /^ok: agent "sales-booking"/);

    const bad = await call('check', { dir: 'broken' });
    assert.equal(bad.structuredContent!.ok, false);
    const problems = bad.structuredContent!.problems as { file: string; line: number; field: string; message: string }[];
    const byField = new Map(problems.map((p) => [p.field, p]));
    assert.match(byField.get('persona.firstMessage')?.message ?? '', /required/);
    assert.match(byField.get('limits.maxConcurent')?.message ?? '', /unknown field.*maxConcurrent/);
    assert.equal(byField.get('limits.maxDurationSec')?.line, 5);
    assert.equal(byField.get('limits.maxDurationSec')?.file, join('broken', 'agent.yaml'), 'paths relative to the served folder');
    assert.match(text(bad), /broken\/agent\.yaml:5:\d+ limits\.maxDurationSec: /);
  });

  it('schema: the whole JSON Schema, or one block of it', async () => {
    const whole = await call('schema', {});
    assert.ok(whole.structuredContent!.schema.properties.persona);
    const limits = await call('schema', { block: 'limits' });
    assert.ok(limits.structuredContent!.schema.properties.maxConcurrent);
    const none = await call('schema', { block: 'limitz' });
    assert.equal(none.isError, true);
    assert.match(text(none), /no block "limitz".*limits/);
    for (const block of ['__proto__', 'constructor', 'toString']) assert.equal((await call('schema', { block })).isError, true, block);
  });

  it('knowledge_explain: answered, declined and guarded, and why', async () => {
    const answered = await call('knowledge_explain', { dir: 'sales-booking', question: 'How much does the audit cost?' });
    assert.ok(!answered.isError, text(answered));
    assert.equal(answered.structuredContent!.verdict, 'answered');
    assert.ok(answered.structuredContent!.hits.length > 0);
    const declined = await call('knowledge_explain', { dir: 'sales-booking', question: 'Do you repair submarine periscopes?' });
    assert.equal(declined.structuredContent!.verdict, 'declined');
    assert.match(declined.structuredContent!.why, /DECLINES/);

    const guarded = join(root, 'guarded');
    cpSync(join(root, 'sales-booking'), guarded, { recursive: true });
    writeFileSync(join(guarded, 'agent.yaml'), `${readFileSync(join(guarded, 'agent.yaml'), 'utf8').replace(/^name: .*$/m, 'name: guarded')}\nguardrails: [{ topic: medical }]\n`);
    const g = await call('knowledge_explain', { dir: 'guarded', question: 'Should I take ibuprofen for my back pain?' });
    assert.equal(g.structuredContent!.verdict, 'guarded', text(g));
    assert.equal(g.structuredContent!.decision.guarded, 'medical');
  });

  it('tools: what the model gets', async () => {
    const r = await call('tools', { dir: 'sales-booking' });
    const names = (r.structuredContent!.tools as { name: string }[]).map((t) => t.name);
    assert.ok(names.includes('search_knowledge') && names.includes('end_call'), names.join(', '));
  });

  it('init writes a folder from answers in agent.yaml’s names, which then passes check; a second init into it is refused', async () => {
    const answers = {
      template: 'support',
      business: { name: 'Hale Physio', description: 'Physiotherapy clinic in Bristol.' },
      documents: ['notes.md'],
      persona: { language: 'en-GB' },
      limits: { maxConcurrent: 4, maxDurationSec: 480 },
      guardrails: [{ topic: 'medical' }],
    };
    const plan = await call('init', { dir: 'agents/hale', answers, dryRun: true });
    assert.ok(!plan.isError, text(plan));
    assert.equal(plan.structuredContent!.written, false);
    assert.ok(!existsSync(join(root, 'agents/hale')), 'a dry run writes nothing');

    const r = await call('init', { dir: 'agents/hale', answers });
    assert.ok(!r.isError, text(r));
    assert.equal(r.structuredContent!.written, true);
    assert.ok(existsSync(join(root, 'agents/hale/knowledge/notes.md')));
    const yaml = readFileSync(join(root, 'agents/hale/agent.yaml'), 'utf8');
    assert.match(yaml, /maxConcurrent: 4/);

    const checked = await call('check', { dir: 'agents/hale', offline: true });
    assert.equal(checked.structuredContent!.ok, true, text(checked));

    const again = await call('init', { dir: 'agents/hale', answers });
    assert.equal(again.isError, true);
    assert.match(text(again), /exists and is not empty/);

    const wrong = await call('init', { dir: 'agents/other', answers: { template: 'support', business: { name: 'X', description: 'Y.' }, limits: { maxConcurent: 4 } } });
    assert.equal(wrong.isError, true);
    assert.match(text(wrong), /limits\.maxConcurent: unknown field "maxConcurent".*maxConcurrent/);
    assert.ok(!existsSync(join(root, 'agents/other')));
  });

  it('test runs the scenarios of examples/sales-booking and reports each', async () => {
    const r = await call('test', { dir: 'sales-booking' });
    assert.ok(!r.isError, text(r));
    const s = r.structuredContent!;
    assert.equal(s.agent, 'sales-booking');
    assert.ok(s.scenarios.length >= 3, `ran ${s.scenarios.length}`);
    assert.equal(s.totals.failed, 0, text(r));
    assert.equal(s.passed, true);

    const one = await call('test', { dir: 'sales-booking', filter: 'off-knowledge' });
    assert.equal(one.structuredContent!.scenarios.length, 1);
    const none = await call('test', { dir: 'sales-booking', filter: 'no-such-scenario' });
    assert.equal(none.isError, true);
    assert.match(text(none), /no scenario .* matches "no-such-scenario"/);
  });

  it('refuses paths outside the folder it serves, also through a link, and reads nothing there', async () => {
    for (const dir of ['../../etc', '/etc', 'sales-booking/../../..']) {
      const r = await call('check', { dir });
      assert.equal(r.isError, true, dir);
      assert.match(text(r), /outside the folder this server serves/, dir);
    }
    symlinkSync('/etc', join(root, 'escape'));
    const linked = await call('tools', { dir: 'escape' });
    assert.equal(linked.isError, true);
    assert.match(text(linked), /through a symbolic link/);
    const init = await call('init', { dir: '../stolen', answers: { template: 'faq', business: { name: 'X', description: 'Y.' } } });
    assert.match(text(init), /outside the folder/);
    const docs = await call('init', { dir: 'agents/thief', answers: { template: 'faq', business: { name: 'X', description: 'Y.' }, documents: ['/etc/passwd'] } });
    assert.equal(docs.isError, true);
    assert.match(text(docs), /documents\.0 "\/etc\/passwd" is outside/);
    assert.ok(!existsSync(join(root, 'agents/thief')));
  });

  it('a line that is not JSON-RPC does not stop the server: the next request is answered', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/parley.js'), 'mcp'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    try {
      let out = '';
      const answered = new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('"id":2')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`the server exited (${code}) before answering: ${out}`)));
      });
      child.stdin.write('this is not json\n{"jsonrpc":"2.0","id":1,"method":"no/such/method"}\n{"broken":\n');
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`);
      const text = await answered;
      assert.match(text, /"id":1,[^\n]*"error"|"error"[^\n]*"id":1/, 'an unknown method gets an error response');
      assert.match(text, /"serverInfo":\{"name":"parley"/);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      assert.equal(await exited, 0, 'closing stdin ends the server');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a malformed call gets an error and the server keeps serving', async () => {
    const badArgs = await client.callTool({ name: 'check', arguments: { dir: 42 } }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
    assert.equal(badArgs.isError, true);
    assert.match(text(badArgs as CallToolResult), /dir/);
    const unknown = await client.callTool({ name: 'rm_rf', arguments: {} }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
    assert.equal(unknown.isError, true);
    const missing = await call('conversation_show', { id: 'ffffffff' });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /no single conversation matches/);
    const noAgent = await call('check', { dir: 'nowhere' });
    assert.equal(noAgent.structuredContent!.ok, false);

    const still = await call('conversations_list', {});
    assert.ok(!still.isError, text(still));
    assert.ok(Array.isArray(still.structuredContent!.conversations));
    assert.doesNotMatch(stderr, /Unhandled|TypeError/);
  });
});

describe('parley mcp: conversations and replay', () => {
  let root: string;
  let llm: FakeOpenAI;
  let transport: StdioClientTransport;
  let client: Client;
  let id: string;
  const question = 'What does the automation audit cost?';

  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Structured };
  const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

  before(async () => {
    root = tempDir('parley-mcp-replay-');
    cpSync(EXAMPLE, join(root, 'sales-booking'), { recursive: true });
    llm = await startFakeOpenAI();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      PARLEY_LOCAL_MODEL_URL: 'http://127.0.0.1:65535/model.gguf',
      PARLEY_LLM: 'openai-compatible:fake-model',
      PARLEY_LLM_BASE_URL: llm.url,
      CRM_WEBHOOK_URL: 'http://127.0.0.1:9/hooks/leads',
      CRM_TOKEN: 'crm-secret-7f3a9',
    };
    llm.push({ text: 'The audit is a fixed 2,400 euros.' });
    const r = await runParley(['chat', 'sales-booking'], { env, input: question, cwd: root });
    assert.equal(r.code, 0, r.stderr);
    id = /conversation ([0-9a-f-]{36})/.exec(r.stderr)?.[1] as string;
    assert.ok(id, r.stderr);
    transport = new StdioClientTransport({ command: process.execPath, args: [join(ROOT, 'bin/parley.js'), 'mcp'], cwd: root, env, stderr: 'pipe' });
    transport.stderr?.on('data', () => {}); // drained, so a chatty server never blocks on a full pipe
    client = new Client({ name: 'parley-test', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    const pid = transport?.pid;
    await client?.close().catch(() => {});
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await llm?.close();
  });

  it('lists and shows the recorded conversation', async () => {
    const list = await call('conversations_list', { agent: 'sales-booking' });
    assert.ok((list.structuredContent!.conversations as { id: string }[]).some((c) => c.id === id), text(list));
    const shown = await call('conversation_show', { id: id.slice(0, 8) });
    assert.ok(!shown.isError, text(shown));
    const turns = shown.structuredContent!.conversation.turns as { role: string; text: string }[];
    assert.ok(turns.some((t) => t.role === 'caller' && t.text === question));
    assert.ok(turns.some((t) => t.role === 'agent' && /2,400/.test(t.text)));
  });

  it('replay: unchanged answers show no change; a different answer shows the changed turn; an unknown id is an error', async () => {
    llm.push({ text: 'The audit is a fixed 2,400 euros.' });
    const same = await call('replay', { id, agentDir: 'sales-booking' });
    assert.ok(!same.isError, text(same));
    assert.equal(same.structuredContent!.changed, false, text(same));

    llm.push({ text: 'The audit is a fixed 3,100 euros.' });
    const diff = await call('replay', { id });
    assert.ok(!diff.isError, text(diff));
    assert.equal(diff.structuredContent!.changed, true);
    assert.match(text(diff), /3,100/);

    // Cancelled by the client, the replay stops: its model request is dropped at once. (The
    // agent waits ten minutes for a model here, so only the cancellation can end that request.)
    const slow = join(root, 'slow');
    cpSync(join(root, 'sales-booking'), slow, { recursive: true });
    writeFileSync(join(slow, 'agent.yaml'), readFileSync(join(slow, 'agent.yaml'), 'utf8').replace('  temperature: 0.3\n', '  temperature: 0.3\n  responseTimeoutMs: 600000\n'));
    let asked!: () => void;
    let dropped!: () => void;
    const modelAsked = new Promise<void>((r) => (asked = r));
    const modelDropped = new Promise<void>((r) => (dropped = r));
    llm.push((_request, signal) => {
      asked();
      return new Promise((resolve) => signal.addEventListener('abort', () => (dropped(), resolve({ text: 'too late' }))));
    });
    const ac = new AbortController();
    const cancelled = client.callTool({ name: 'replay', arguments: { id, agentDir: 'slow' } }, undefined, { signal: ac.signal, timeout: 900_000 }).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await modelAsked;
    ac.abort('the owner changed their mind');
    await modelDropped;
    assert.match(await cancelled, /changed their mind|abort/i);
    const after = await call('conversations_list', {});
    assert.ok(!after.isError, 'the server still serves');

    const none = await call('replay', { id: 'ffffffff' });
    assert.equal(none.isError, true);
    assert.match(text(none), /no single conversation matches "ffffffff"/);
    const outside = await call('replay', { id, agentDir: '../elsewhere' });
    assert.match(text(outside), /outside the folder/);
  });
});
