import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from '../../src/store/migrations.ts';
import { Records } from '../../src/store/records.ts';
import { migrateStore, openStore, type Store } from '../../src/store/store.ts';
import { TEST_POSTGRES_URL } from '../helpers/store.ts';

// Transcript search on a store upgraded from before 0010_owner_dashboard: the turns it already held are found,
// and so are the ones written after; words are words (search syntax is not passed through).

async function oldStore(): Promise<{ store: Store; schema?: string; drop: () => Promise<void> }> {
  if (!TEST_POSTGRES_URL) return { store: await openStore('file::memory:', { migrate: false }), drop: async () => {} };
  const u = new URL(TEST_POSTGRES_URL);
  const schema = `t_${randomBytes(6).toString('hex')}`;
  u.searchParams.set('schema', schema);
  const store = await openStore(u.toString(), { migrate: false });
  return { store, schema, drop: async () => void (await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(store.db)) };
}

describe('transcript search', () => {
  it('finds turns written before and after the upgrade, by words and word starts', async () => {
    const { store, schema, drop } = await oldStore();
    try {
      const { error } = await new Migrator({ db: store.db, provider: migrations(store.kind), migrationTableSchema: schema }).migrateTo('0009_analysis');
      assert.equal(error, undefined);
      const r = new Records(store.db, store.kind);
      const turn = async (id: string, text: string) => {
        await r.startConversation({ id, agent: 'ada', agent_version: 'v', channel: 'web', direction: 'inbound', caller: null, started_at: new Date().toISOString() });
        await r.addTurn(id, { seq: 0, role: 'caller', text, heardText: null, interrupted: false, grounding: null, startedAt: new Date().toISOString(), endedAt: null, latency: null });
      };
      await turn('40000000-0000-4000-8000-000000000001', 'Do you install heat pumps in Kraków?');
      await migrateStore(store);
      await turn('40000000-0000-4000-8000-000000000002', 'How much is a heat pump service?');
      const ids = async (text: string) => (await r.search({ text })).items.map((i) => i.id.slice(-1)).sort();
      assert.deepEqual(await ids('heat'), ['1', '2']);
      assert.deepEqual(await ids('pump'), ['1', '2'], 'a word start matches "pumps"');
      assert.deepEqual(await ids('krakow'), store.kind === 'sqlite' ? ['1'] : [], 'SQLite folds diacritics; Postgres "simple" does not');
      assert.deepEqual(await ids('Kraków'), ['1']);
      assert.deepEqual(await ids('heat service'), ['2'], 'every word, in one line');
      assert.deepEqual(await ids('"heat" OR NEAR(x'), [], 'operators are words too');
      assert.equal((await r.search({ text: '?!' })).items.length, 2, 'no word: no filter');
      // Deleting a conversation takes its turns out of the index.
      await store.db.deleteFrom('turns').where('conversation_id', '=', '40000000-0000-4000-8000-000000000001').execute();
      assert.deepEqual(await ids('heat'), ['2']);
    } finally {
      await drop();
      await store.close();
    }
  });
});
