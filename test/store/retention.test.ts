import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DirectoryRecordings } from '../../src/store/recordings/directory.ts';
import { Records } from '../../src/store/records.ts';
import { purgeOldConversations } from '../../src/store/retention.ts';
import { tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

describe('retention', () => {
  it('deletes one agent\'s conversations older than the limit with their lead, events and recording file, and nothing else', async () => {
    const store = await openTestStore();
    const records = new Records(store.db);
    const dir = tempDir();
    const now = Date.parse('2026-11-24T12:00:00Z');
    const day = 86_400_000;
    const add = async (id: string, agent: string, ageDays: number) => {
      const at = new Date(now - ageDays * day).toISOString();
      await records.startConversation({ id, agent, agent_version: 'v', channel: 'web', direction: 'inbound', caller: null, started_at: at });
      await records.saveLead(id, agent, { email: `${id}@example.com` }, at);
      const wav = join(dir, `${id}.wav`);
      writeFileSync(wav, 'RIFF');
      await records.appendEvent(id, at, 'recording.saved', { path: wav, durationMs: 1000 });
      return wav;
    };
    const oldWav = await add('a0a0a0a0', 'ada', 31);
    const recentWav = await add('b1b1b1b1', 'ada', 29);
    const otherWav = await add('c2c2c2c2', 'bob', 90);

    assert.deepEqual(await purgeOldConversations(store, 'ada', 30, { now, recordings: new DirectoryRecordings(dir) }), { conversations: 1, recordings: 1 });
    assert.equal(await records.get('a0a0a0a0'), undefined);
    assert.ok(await records.get('b1b1b1b1'));
    assert.ok(await records.get('c2c2c2c2'), 'another agent keeps its own retention');
    assert.equal(existsSync(oldWav), false);
    assert.ok(existsSync(recentWav) && existsSync(otherWav));
    const orphans = await store.db.selectFrom('events').select('id').where('conversation_id', '=', 'a0a0a0a0').execute();
    assert.deepEqual(orphans, [], 'the event log went with the conversation');
    const leads = await store.db.selectFrom('leads').select('conversation_id').execute();
    assert.deepEqual(leads.map((l) => l.conversation_id).sort(), ['b1b1b1b1', 'c2c2c2c2']);
    await store.close();
  });
});
