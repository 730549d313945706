import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { AgentChange } from '../../src/server/agents.ts';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { connect, listenOnLoopback } from './helpers.ts';
import { openTestStore } from '../helpers/store.ts';

const agentYaml = (greeting: string) => ['persona:', '  prompt: You are a test agent.', `  firstMessage: ${greeting}`, 'knowledge: { sources: [], strict: false }', ''].join('\n');

describe('parley dev: agents reload when their files change', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let dir: string;

  before(async () => {
    llm = await startFakeOpenAI();
    store = await openTestStore();
    dir = tempDir('parley-reload-');
    mkdirSync(join(dir, 'bea'));
    writeFileSync(join(dir, 'bea', 'agent.yaml'), agentYaml('Hello, version one.'));
    app = await buildServer({ agentsDir: dir, store, mode: 'dev', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's' } });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
  });

  /** The next reload the registry reports for `name` (the watcher debounces, then reloads). */
  const nextChange = (test: (c: AgentChange) => boolean) =>
    new Promise<AgentChange>((resolve) => {
      const stop = app.parley.agents.onChange((c) => {
        if (!test(c)) return;
        stop();
        resolve(c);
      });
    });

  async function greeting(agent: string): Promise<string> {
    const { url } = (await (await fetch(`${base}/v1/agents/${agent}/sessions`, { method: 'POST' })).json()) as { url: string };
    const c = connect(url);
    await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    const first = await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
    c.json({ type: 'end' });
    await c.closed;
    return String(first.text);
  }

  it('serves an edited agent file to the next session', async () => {
    assert.equal(await greeting('bea'), 'Hello, version one.');
    const reloaded = nextChange((c) => c.name === 'bea' && c.outcome === 'loaded');
    writeFileSync(join(dir, 'bea', 'agent.yaml'), agentYaml('Hello, version two.'));
    await reloaded;
    assert.equal(await greeting('bea'), 'Hello, version two.');
  });

  it('keeps serving the last good version when an edit breaks the file, and says why', async () => {
    const failed = nextChange((c) => c.name === 'bea' && c.outcome === 'failed');
    writeFileSync(join(dir, 'bea', 'agent.yaml'), 'persona:\n  prompt: [unclosed\n');
    const change = await failed;
    assert.match(change.message ?? '', /agent\.yaml:\d+:\d+/);
    assert.equal(await greeting('bea'), 'Hello, version two.');
    const problems = app.parley.agents.problems();
    assert.equal(problems.length, 1);
    assert.ok(problems[0]!.serving, 'the problem names the version still serving');
    const fixed = nextChange((c) => c.name === 'bea' && c.outcome === 'loaded');
    writeFileSync(join(dir, 'bea', 'agent.yaml'), agentYaml('Hello, version three.'));
    await fixed;
    assert.deepEqual(app.parley.agents.problems(), []);
    assert.equal(await greeting('bea'), 'Hello, version three.');
  });

  it('picks up a new agent folder and drops a removed one', async () => {
    const added = nextChange((c) => c.name === 'cy' && c.outcome === 'loaded');
    mkdirSync(join(dir, 'cy'));
    writeFileSync(join(dir, 'cy', 'agent.yaml'), agentYaml('Hi from Cy.'));
    await added;
    assert.deepEqual(((await (await fetch(`${base}/healthz`)).json()) as { agents: string[] }).agents, ['bea', 'cy']);
    const removed = nextChange((c) => c.outcome === 'removed');
    rmSync(join(dir, 'cy'), { recursive: true });
    assert.equal((await removed).name, 'cy');
    assert.equal((await fetch(`${base}/v1/agents/cy/sessions`, { method: 'POST' })).status, 404);
  });
});
