import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { Records } from '../../src/store/records.ts';
import { openStore } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';

describe('crash safety', () => {
  let llm: FakeOpenAI;
  before(async () => {
    llm = await startFakeOpenAI();
  });
  after(() => llm.close());

  it('kill -9 mid-conversation keeps every turn completed before the kill, and the caller words in flight', async () => {
    const db = join(tempDir(), 'parley.db');
    let modelAsked!: () => void;
    const thirdTurnReachedModel = new Promise<void>((resolve) => (modelAsked = resolve));
    llm.push(
      { text: 'The audit costs 2,400 euros.' },
      { text: 'Projects usually start within two to three weeks.' },
      () => {
        modelAsked();
        return { text: 'never heard', delayMs: 60_000 };
      },
    );
    const child = spawn(process.execPath, [join(ROOT, 'bin/parley.js'), 'chat', 'examples/sales-booking'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_DATABASE_URL: `file:${db}` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const nextLine = async () => (await lines.next()).value as string;

    assert.match(await nextLine(), /^Hi, this is Ada/);
    child.stdin.write('How much is the automation audit?\n');
    assert.equal(await nextLine(), 'The audit costs 2,400 euros.');
    child.stdin.write('How quickly can you start a project?\n');
    assert.equal(await nextLine(), 'Projects usually start within two to three weeks.');
    child.stdin.write('Do you integrate with Pipedrive?\n');
    await thirdTurnReachedModel;
    child.kill('SIGKILL');
    await once(child, 'close');

    const id = /conversation ([0-9a-f-]{36})/.exec(stderr)?.[1];
    assert.ok(id, stderr);
    const store = await openStore(`file:${db}`);
    const rec = await new Records(store.db).get(id);
    await store.close();
    assert.ok(rec);
    assert.deepEqual(
      rec.turns.map((t) => [t.role, t.text]),
      [
        ['agent', rec.turns[0].text],
        ['caller', 'How much is the automation audit?'],
        ['agent', 'The audit costs 2,400 euros.'],
        ['caller', 'How quickly can you start a project?'],
        ['agent', 'Projects usually start within two to three weeks.'],
        ['caller', 'Do you integrate with Pipedrive?'],
      ],
    );
    assert.equal(rec.endedAt, null, 'the conversation was cut, not ended');
  });
});
