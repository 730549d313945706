import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Records } from '../../src/store/records.ts';
import { openStore } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { agentsFolder, connect, GREETING, startServerProcess } from './helpers.ts';

describe('drain: SIGTERM lets live conversations finish and turns new ones away', () => {
  let llm: FakeOpenAI;
  let child: ChildProcess | undefined;
  before(async () => {
    llm = await startFakeOpenAI();
  });
  after(async () => {
    child?.kill('SIGKILL');
    await llm.close();
  });

  it('refuses new sessions and reports 503 on /healthz, while the live conversation goes on to its end; then exits', async () => {
    const db = join(tempDir(), 'parley.db');
    const server = await startServerProcess(agentsFolder(), { PATH: process.env.PATH, PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_DATABASE_URL: `file:${db}`, PARLEY_SESSION_SECRET: 's' });
    child = server.child;
    const { url } = (await (await fetch(`${server.base}/v1/agents/ada/sessions`, { method: 'POST' })).json()) as { url: string };
    const c = connect(url);
    const ready = await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    // The node is draining: health says so and new sessions are refused…
    let health: Response;
    do health = await fetch(`${server.base}/healthz`);
    while (health.status === 200);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { ok: false, draining: true, live: 1 });
    const refused = await fetch(`${server.base}/v1/agents/ada/sessions`, { method: 'POST' });
    assert.equal(refused.status, 503);
    assert.equal(((await refused.json()) as { code: string }).code, 'draining');
    // …while the live conversation carries on.
    llm.push({ text: 'Yes, we are still here.' });
    c.json({ type: 'text', text: 'Are you still there?' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === 'Yes, we are still here.');
    c.json({ type: 'end' });
    await c.closed;
    const [code] = await exited;
    assert.equal(code, 0, 'the node exits once its last conversation ended');
    child = undefined;

    const store = await openStore(`file:${db}`);
    const rec = await new Records(store.db).get(String(ready.conversationId));
    await store.close();
    assert.equal(rec?.endReason, 'caller left');
    assert.deepEqual(rec?.turns.map((t) => t.text), [GREETING, 'Are you still there?', 'Yes, we are still here.']);
  });
});
