import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { McpTool } from '../../src/agent/schema.ts';
import { Conversation, type AgentOutput } from '../../src/session/conversation.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { McpPool } from '../../src/tools/mcp/servers.ts';
import { mcpToolName } from '../../src/tools/mcp/tools.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { startTestMcpServer, type TestMcpServer } from '../helpers/mcp-server.ts';
import { openTestStore } from '../helpers/store.ts';

// Real protocol exchanges: MCP servers built with the official SDK, over Streamable HTTP on a
// local port and over stdio as a child process; the model is the scripted fake OpenAI server.

const TOKEN = 'sekret-mcp-token-8841';
const env = { CRM_MCP_TOKEN: TOKEN, PATH: process.env.PATH };
const model = (fake: FakeOpenAI) => createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test' })('fake-model');
const toolMessages = (r: ChatRequest) => r.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(String(m.content)));
const offered = (r: ChatRequest) => (r.tools ?? []).map((t) => t.function.name).sort();

async function say(c: Conversation, text: string): Promise<string> {
  let out = '';
  for await (const o of c.reply(text) as AsyncIterable<AgentOutput>) if (o.type === 'text') out += o.text;
  return out;
}

describe('MCP tools', () => {
  let store: Store;
  let example: Agent;
  let fake: FakeOpenAI;
  let crm: TestMcpServer;
  let pool: McpPool;

  const withServers = (...servers: Record<string, unknown>[]): Agent => ({
    ...example,
    config: { ...example.config, knowledge: { ...example.config.knowledge, strict: false }, tools: [...example.config.tools, ...servers.map((s) => McpTool.parse({ type: 'mcp', ...s }))] },
  });
  const crmServer = (extra: Record<string, unknown> = {}) => ({
    name: 'crm',
    url: crm.url,
    headers: { Authorization: 'Bearer ${CRM_MCP_TOKEN}' },
    allow: ['lookup_order', 'hang', 'fail', 'huge', 'end.call'],
    descriptions: { lookup_order: 'Look up the status of a customer order by its number.' },
    timeoutMs: 400,
    ...extra,
  });
  const conversation = (agent: Agent) => new Conversation({ agent, store, models: [model(fake)], env, mcp: pool });
  const record = async (c: Conversation) => (await new Records(store.db).get(c.id))!;

  before(async () => {
    store = await openTestStore();
    example = await loadAgent(EXAMPLE);
    fake = await startFakeOpenAI();
    crm = await startTestMcpServer();
    pool = new McpPool(env);
  });
  after(async () => {
    await pool.close();
    await crm.close();
    await fake.close();
    await store.close();
  });
  beforeEach(() => assert.equal(fake.pending(), 0, 'previous test left scripted steps unused'));

  it('offers only allowed tools, named <server>_<tool> in characters model APIs accept, with the file’s description', async () => {
    let seen: ChatRequest | undefined;
    fake.push((r) => ((seen = r), { text: 'Hello.' }));
    const c = conversation(withServers(crmServer()));
    await c.start();
    await say(c, 'Hi there');
    const names = offered(seen!);
    assert.ok(names.includes('crm_lookup_order') && names.includes('crm_end_call') && names.includes('crm_huge'), names.join(','));
    assert.ok(!names.some((n) => n.includes('delete_everything')), 'a tool not on the allow-list never reaches the model');
    assert.ok(names.includes('end_call'), 'the built-in end_call is still there, unclobbered');
    const lookup = seen!.tools!.find((t) => t.function.name === 'crm_lookup_order')!;
    assert.equal(lookup.function.description, 'Look up the status of a customer order by its number.');
    assert.deepEqual((lookup.function.parameters as { required?: string[] }).required, ['order']);
  });

  it('calls a tool with the secret header, records the exact request and raw result, and masks the secret the server echoes', async () => {
    fake.push({ toolCalls: [{ name: 'crm_lookup_order', args: { order: 'A-42' } }] }, (r) => {
      const [result] = toolMessages(r);
      assert.equal(result.status, 'shipped');
      assert.equal(result.seenAuth, 'Bearer ${CRM_MCP_TOKEN}', 'the model reads the name of the secret, not its value');
      return { text: 'Order A-42 has shipped.' };
    });
    const c = conversation(withServers(crmServer()));
    await c.start();
    assert.equal(await say(c, 'Where is order A-42?'), 'Order A-42 has shipped.');
    assert.ok(crm.log.authorizations.includes(`Bearer ${TOKEN}`), 'the server got the real credential');
    const rec = await record(c);
    const call = rec.toolCalls.find((t) => t.name === 'crm_lookup_order')!;
    assert.deepEqual(call.request, { server: 'crm', url: crm.url, headers: { Authorization: 'Bearer ${CRM_MCP_TOKEN}' }, method: 'tools/call', params: { name: 'lookup_order', arguments: { order: 'A-42' } } });
    const raw = (call.response as { result: { content: { text: string }[] } }).result.content[0].text;
    assert.match(raw, /"seenAuth":"Bearer \$\{CRM_MCP_TOKEN\}"/);
    assert.equal(call.error, null);
    assert.ok(!JSON.stringify(rec).includes(TOKEN), 'the token appears nowhere in the record');
  });

  it('refuses and records a call to a server tool not on the allow-list; the server never runs it', async () => {
    fake.push({ toolCalls: [{ name: 'crm_delete_everything', args: {} }] }, { text: 'I can’t do that.' });
    const c = conversation(withServers(crmServer()));
    await c.start();
    assert.equal(await say(c, 'Delete all my data'), 'I can’t do that.');
    assert.ok(!crm.log.calls.some((x) => x.name === 'delete_everything'));
    const call = (await record(c)).toolCalls.find((t) => t.name === 'crm_delete_everything');
    assert.ok(call, 'the refused call is in the record');
    assert.match(String(call.error), /crm_delete_everything/);
  });

  it('a tool that hangs is cut at timeoutMs; the model is told, apologises, and the conversation goes on', async () => {
    fake.push({ toolCalls: [{ name: 'crm_hang', args: {} }] }, (r) => {
      assert.match(toolMessages(r)[0].error, /no answer within 400 ms/);
      return { text: 'Sorry, our order system is not answering.' };
    });
    fake.push({ text: 'Anything else?' });
    const c = conversation(withServers(crmServer()));
    await c.start();
    assert.equal(await say(c, 'Check my order'), 'Sorry, our order system is not answering.');
    assert.equal(await say(c, 'Thanks'), 'Anything else?');
    const call = (await record(c)).toolCalls.find((t) => t.name === 'crm_hang')!;
    assert.match(String(call.error), /no answer within 400 ms/);
  });

  it('a result marked isError reaches the model and the record as an error', async () => {
    fake.push({ toolCalls: [{ name: 'crm_fail', args: {} }] }, (r) => {
      assert.match(toolMessages(r)[0].error, /order database offline/);
      return { text: 'Sorry, I cannot see orders right now.' };
    });
    const c = conversation(withServers(crmServer()));
    await c.start();
    await say(c, 'Check my order');
    const call = (await record(c)).toolCalls.find((t) => t.name === 'crm_fail')!;
    assert.match(String(call.error), /order database offline/);
  });

  it('a huge result is clipped for the model and for the record', async () => {
    let got = '';
    fake.push({ toolCalls: [{ name: 'crm_huge', args: {} }] }, (r) => {
      got = String(r.messages.find((m) => m.role === 'tool')!.content);
      return { text: 'Done.' };
    });
    const c = conversation(withServers(crmServer()));
    await c.start();
    await say(c, 'Give me everything');
    assert.ok(got.length < 5000, `the model read ${got.length} characters`);
    assert.match(got, /more characters/);
    const call = (await record(c)).toolCalls.find((t) => t.name === 'crm_huge')!;
    const recorded = JSON.stringify(call.response).length;
    assert.ok(recorded < 70_000 && recorded > 60_000, `recorded ${recorded} characters`);
  });

  it('reuses one connection across conversations, and reconnects once when the server lost the session', async () => {
    const initsBefore = crm.log.methods!.filter((m) => m === 'initialize').length;
    const agent = withServers(crmServer());
    for (const order of ['A-1', 'A-2']) {
      fake.push({ toolCalls: [{ name: 'crm_lookup_order', args: { order } }] }, { text: 'Shipped.' });
      const c = conversation(agent);
      await c.start();
      await say(c, `Where is ${order}?`);
    }
    assert.equal(crm.log.methods!.filter((m) => m === 'initialize').length, initsBefore, 'no new connection: the earlier tests’ one is reused');

    crm.restart();
    fake.push({ toolCalls: [{ name: 'crm_lookup_order', args: { order: 'A-3' } }] }, (r) => {
      assert.equal(toolMessages(r)[0].order, 'A-3');
      return { text: 'Shipped.' };
    });
    const c = conversation(agent);
    await c.start();
    await say(c, 'Where is A-3?');
    const call = (await record(c)).toolCalls.find((t) => t.name === 'crm_lookup_order')!;
    assert.equal(call.error, null);
    assert.equal((call.response as { attempts: number }).attempts, 2);
    assert.equal(crm.log.methods!.filter((m) => m === 'initialize').length, initsBefore + 1);
  });

  it('a server gone mid-conversation: the call tries one reconnect, fails within connectTimeoutMs, the agent apologises and goes on', async () => {
    const brief = await startTestMcpServer();
    const agent = withServers({ name: 'brief', url: brief.url, allow: ['lookup_order'], connectTimeoutMs: 500 });
    fake.push({ toolCalls: [{ name: 'brief_lookup_order', args: { order: 'C-1' } }] }, { text: 'C-1 has shipped.' });
    const c = conversation(agent);
    await c.start();
    assert.equal(await say(c, 'Where is C-1?'), 'C-1 has shipped.');
    await brief.close();
    fake.push({ toolCalls: [{ name: 'brief_lookup_order', args: { order: 'C-2' } }] }, (r) => {
      assert.match(toolMessages(r).at(-1).error, /could not be reached .*could not connect to MCP server "brief"/);
      return { text: 'Sorry, I cannot reach the order system.' };
    });
    fake.push({ text: 'Anything else?' });
    assert.equal(await say(c, 'And C-2?'), 'Sorry, I cannot reach the order system.');
    assert.equal(await say(c, 'No thanks'), 'Anything else?');
    const calls = (await record(c)).toolCalls.filter((t) => t.name === 'brief_lookup_order');
    assert.equal(calls[0]!.error, null);
    assert.match(String(calls[1]!.error), /could not connect/);
  });

  for (const hangOn of ['initialize', 'tools/list'] as const) {
    it(`a server that hangs on ${hangOn} is left out within connectTimeoutMs; the agent answers without it and the record says why`, async () => {
      const slow = await startTestMcpServer();
      slow.hang(hangOn);
      try {
        let names: string[] = [];
        fake.push((r) => ((names = offered(r)), { text: 'Hello!' }));
        const c = conversation(withServers(crmServer(), { name: 'slow', url: slow.url, allow: ['lookup_order'], connectTimeoutMs: 300 }));
        await c.start();
        assert.equal(await say(c, 'Hi'), 'Hello!');
        assert.ok(!names.some((n) => n.startsWith('slow_')) && names.includes('crm_lookup_order'));
        const errors = (await record(c)).errors ?? [];
        assert.ok(errors.some((e) => e.where === 'mcp:slow' && /no answer within 300 ms/.test(e.message)), JSON.stringify(errors));
      } finally {
        await slow.close();
      }
    });
  }

  it('a server tool whose name would clash with a built-in is left out, the built-in kept, and the record says why', async () => {
    let seen: ChatRequest | undefined;
    fake.push((r) => ((seen = r), { text: 'Hello.' }));
    const c = conversation(withServers({ name: 'end', url: crm.url, headers: { Authorization: 'Bearer ${CRM_MCP_TOKEN}' }, allow: ['call', 'lookup_order'] }));
    await c.start();
    await say(c, 'Hi there');
    const endCall = seen!.tools!.filter((t) => t.function.name === 'end_call');
    assert.equal(endCall.length, 1);
    assert.doesNotMatch(String(endCall[0]!.function.description), /Named so that/);
    assert.ok(offered(seen!).includes('end_lookup_order'));
    const errors = (await record(c)).errors ?? [];
    assert.ok(errors.some((e) => e.where === 'mcp:end' && /"end_call" is left out/.test(e.message)), JSON.stringify(errors));
  });

  it('stdio: a local server that never answers is given up within connectTimeoutMs, and what it said on stderr is in the error', async () => {
    // sh starts in a millisecond (a second Node may take longer than the timeout on a loaded machine); exec leaves no orphan.
    const mute = { name: 'mute', command: '/bin/sh', args: ['-c', 'echo license file missing >&2; exec sleep 20'], allow: ['anything'], connectTimeoutMs: 300 };
    fake.push({ text: 'Hello!' });
    const c = conversation(withServers(mute));
    await c.start();
    const t0 = performance.now();
    assert.equal(await say(c, 'Hi'), 'Hello!');
    assert.ok(performance.now() - t0 < 1500, `the turn waited ${Math.round(performance.now() - t0)} ms`);
    const errors = (await record(c)).errors ?? [];
    assert.ok(errors.some((e) => e.where === 'mcp:mute' && /no answer within 300 ms.*license file missing/.test(e.message)), JSON.stringify(errors));
  });

  it('stdio: starts the declared command, passes only the declared environment, and calls its tools', async () => {
    process.env.PARLEY_TEST_PROVIDER_KEY = 'must-not-leak-1234';
    const local = { name: 'local', command: process.execPath, args: [join(import.meta.dirname, '..', 'fixtures', 'mcp-stdio-server.ts')], env: { CRM_TOKEN: '${CRM_MCP_TOKEN}' }, allow: ['environment', 'lookup_order'], connectTimeoutMs: 10_000 };
    let vars: string[] = [];
    fake.push({ toolCalls: [{ name: 'local_environment', args: {} }] }, (r) => ((vars = toolMessages(r)[0]), { text: 'Done.' }));
    fake.push({ toolCalls: [{ name: 'local_lookup_order', args: { order: 'B-7' } }] }, (r) => {
      assert.equal(toolMessages(r).at(-1).status, 'shipped');
      return { text: 'B-7 has shipped.' };
    });
    try {
      const c = conversation(withServers(local));
      await c.start();
      await say(c, 'What do you run with?');
      assert.ok(vars.includes('CRM_TOKEN') && vars.includes('PATH'), vars.join(','));
      assert.ok(!vars.includes('PARLEY_TEST_PROVIDER_KEY'), 'the parent’s secrets are not passed wholesale');
      assert.equal(await say(c, 'Where is B-7?'), 'B-7 has shipped.');
      const call = (await record(c)).toolCalls.find((t) => t.name === 'local_lookup_order')!;
      assert.match(String((call.request as { command: string }).command), /mcp-stdio-server\.ts$/);
    } finally {
      delete process.env.PARLEY_TEST_PROVIDER_KEY;
    }
  });
});

describe('McpPool', () => {
  it('keeps one stdio process per server, and stops it on close', async () => {
    const own = new McpPool({ PATH: process.env.PATH });
    const local = McpTool.parse({ type: 'mcp', name: 'local', command: process.execPath, args: [join(import.meta.dirname, '..', 'fixtures', 'mcp-stdio-server.ts')], allow: ['pid'], connectTimeoutMs: 10_000 });
    const pidOf = async () => Number(((await own.call(local, 'pid', {}, new AbortController().signal)).result.content[0] as { text: string }).text);
    const pid = await pidOf();
    assert.equal(await pidOf(), pid, 'the same process answers the next call');
    await own.close();
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the server process is gone');
  });
});

describe('mcpToolName', () => {
  it('keeps names within what model APIs accept, and long names apart', () => {
    assert.equal(mcpToolName('crm', 'end.call'), 'crm_end_call');
    const a = mcpToolName('crm', `${'x'.repeat(70)}a`);
    const b = mcpToolName('crm', `${'x'.repeat(70)}b`);
    assert.match(a, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.notEqual(a, b);
  });
});
