import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { agentsFolder, connect, GREETING, startServerProcess as startServer, type TestClient } from './helpers.ts';

describe('crash: kill -9 the server during live conversations', () => {
  let llm: FakeOpenAI;
  const children: ChildProcess[] = [];
  before(async () => {
    llm = await startFakeOpenAI();
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await llm.close();
  });

  it('after a restart every record is intact up to the last event, and new conversations work', async () => {
    const dir = agentsFolder();
    const env = { PATH: process.env.PATH, PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_DATABASE_URL: `file:${join(tempDir(), 'parley.db')}`, PARLEY_SESSION_SECRET: 's' };
    let hanging = 0;
    let allHanging!: () => void;
    const threeHanging = new Promise<void>((r) => (allHanging = r));
    const lastQuestion = (req: ChatRequest) => String(req.messages.filter((m) => m.role === 'user').at(-1)?.content).split('\n\n[DOCUMENTS]')[0]!.trim();
    llm.push(
      ...Array.from({ length: 7 }, () => (req: ChatRequest) => {
        const q = lastQuestion(req);
        if (!q.startsWith('second')) return { text: `About ${q}: yes.` };
        if (++hanging === 3) allHanging();
        return { text: 'never heard', delayMs: 60_000 };
      }),
    );

    const first = await startServer(dir, env);
    children.push(first.child);
    const talk = async (i: number): Promise<{ c: TestClient; id: string }> => {
      const { url } = (await (await fetch(`${first.base}/v1/agents/ada/sessions`, { method: 'POST' })).json()) as { url: string };
      const c = connect(url);
      const ready = await c.waitFor((e) => e.type === 'ready');
      c.json({ type: 'start', mode: 'text' });
      await c.waitFor((e) => e.type === 'agent_text' && e.final === true);
      c.json({ type: 'text', text: `first question ${i}` });
      await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === `About first question ${i}: yes.`);
      c.json({ type: 'text', text: `second question ${i}` });
      return { c, id: String(ready.conversationId) };
    };
    const live = await Promise.all([talk(0), talk(1), talk(2)]);
    await threeHanging;
    first.child.kill('SIGKILL');
    await once(first.child, 'close');
    for (const { c } of live) await c.closed;

    const second = await startServer(dir, env);
    children.push(second.child);
    for (const [i, { id }] of live.entries()) {
      const res = await fetch(`${second.base}/v1/admin/conversations/${id}`);
      assert.equal(res.status, 200);
      const rec = (await res.json()) as { turns: { role: string; text: string }[]; endedAt: string | null };
      assert.deepEqual(
        rec.turns.map((t) => [t.role, t.text]),
        [
          ['agent', GREETING],
          ['caller', `first question ${i}`],
          ['agent', `About first question ${i}: yes.`],
          ['caller', `second question ${i}`],
        ],
        `conversation ${i} kept everything up to the words in flight`,
      );
      assert.equal(rec.endedAt, null, 'cut, not ended');
    }
    // The restarted server takes conversations again.
    const { url } = (await (await fetch(`${second.base}/v1/agents/ada/sessions`, { method: 'POST' })).json()) as { url: string };
    const c = connect(url);
    await c.waitFor((e) => e.type === 'ready');
    c.json({ type: 'start', mode: 'text' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
    c.json({ type: 'end' });
    await c.closed;
  });
});
