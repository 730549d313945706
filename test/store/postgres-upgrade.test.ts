import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { searchKnowledge } from '../../src/knowledge/search.ts';
import { migrations } from '../../src/store/migrations.ts';
import { migrateStore, openStore } from '../../src/store/store.ts';
import { postgresUp } from '../helpers/store.ts';

const PG = process.env.PARLEY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

describe('upgrading a PostgreSQL store that already holds knowledge', { skip: (await postgresUp(PG)) ? false : `no PostgreSQL at ${PG}` }, () => {
  it('indexes the chunks it finds for the new search, and keeps them searchable', async () => {
    const u = new URL(PG);
    u.searchParams.set('schema', `t_${randomBytes(6).toString('hex')}`);
    const store = await openStore(u.toString(), { migrate: false });
    try {
      // A store as 0004 left it, with a document indexed.
      const { error } = await new Migrator({ db: store.db, provider: migrations('postgres'), migrationTableSchema: u.searchParams.get('schema')! }).migrateTo('0004_knowledge_index');
      assert.equal(error, undefined);
      await store.db.insertInto('knowledge_chunks').values([
        { agent: 'ada', source: 'pricing.md', heading: 'Pricing › Audit', text: 'The automation audit costs 2,400 EUR.', seq: 0 },
        { agent: 'ada', source: 'pricing.md', heading: 'Pricing › Care plans', text: 'Care plans start at 350 EUR a month.', seq: 1 },
      ]).execute();
      await store.db.insertInto('knowledge_sources').values({ agent: 'ada', source: 'pricing.md', hash: 'h', chunks: 2, ingested_at: new Date().toISOString() }).execute();

      // Every later migration runs, 0005 first (later branches add theirs after it).
      const later = Object.keys(await migrations('postgres').getMigrations()).filter((n) => n > '0004_knowledge_index');
      assert.deepEqual(later.slice(0, 2), ['0005_knowledge_postings', '0006_open_conversations']);
      assert.deepEqual(await migrateStore(store), later);
      const hits = await searchKnowledge(store, 'ada', 'how much is the audit?');
      assert.equal(hits[0]?.heading, 'Pricing › Audit');
      const { rows } = await sql<{ lexemes: number }>`SELECT lexemes FROM knowledge_sources WHERE agent = 'ada'`.execute(store.db);
      assert.ok(rows[0]!.lexemes > 0, 'the per-source sums are filled for BM25 length normalisation');
    } finally {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(u.searchParams.get('schema')!)} CASCADE`.execute(store.db);
      await store.close();
    }
  });
});
