import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/store.ts';

// The store tests run on: an in-memory SQLite database, or — when PARLEY_TEST_DATABASE_URL names a
// Postgres server (`npm run test:postgres`) — a fresh schema of its own there, dropped on close.

/** The Postgres URL store tests also run against, if any. */
export const TEST_POSTGRES_URL = process.env.PARLEY_TEST_DATABASE_URL;

/** A new, empty, migrated store for one test (or one describe block). */
export async function openTestStore(url = TEST_POSTGRES_URL): Promise<Store> {
  if (!url) return openStore('file::memory:');
  return openPostgresSchema(url);
}

/** A fresh schema in the Postgres database at `url`; `schema` to share one between several opens. */
export async function openPostgresSchema(url: string, schema = `t_${randomBytes(6).toString('hex')}`, o: { drop?: boolean } = {}): Promise<Store> {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  const store = await openStore(u.toString());
  const close = store.close;
  return {
    ...store,
    close: async () => {
      if (o.drop !== false) await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(store.db).catch(() => {});
      await close();
    },
  };
}

/** Whether a Postgres server answers at `url` (tests that need one skip with a reason otherwise). */
export async function postgresUp(url: string): Promise<boolean> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
