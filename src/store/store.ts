import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations, type StoreKind } from './migrations.ts';
import { kyselySqlite, openSqlite, type SqliteSync } from './sqlite-driver.ts';
import type { Tables } from './tables.ts';

/** An open store: one query layer (Kysely) over SQLite or, later, PostgreSQL. */
export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Tables>;
  /** The raw SQLite handle, for the few hot paths (FTS5 search) that skip the query builder. */
  readonly sqlite?: DatabaseSync;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'file:.parley/parley.db';

/** Where the store lives: PARLEY_DATABASE_URL, else `.parley/parley.db` in the working directory. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PARLEY_DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** Opens (creating and migrating when needed) the store named by a database URL. */
export async function openStore(url: string = databaseUrl(), o: { sync?: SqliteSync } = {}): Promise<Store> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    throw new Error('PARLEY_DATABASE_URL points at PostgreSQL, which this build does not support yet; use file:PATH (SQLite).');
  }
  const path = url === ':memory:' || url === 'file::memory:' ? ':memory:' : resolve(url.replace(/^file:/, ''));
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sync = o.sync ?? (process.env.PARLEY_SQLITE_SYNC === 'FULL' ? 'FULL' : 'NORMAL');
  const sqlite = openSqlite(path, sync);
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: kyselySqlite(sqlite) }) });
  await migrate(db, 'sqlite');
  return { kind: 'sqlite', db, sqlite, close: () => db.destroy() };
}

async function migrate(db: Kysely<Tables>, kind: StoreKind): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrations(kind) }).migrateToLatest();
  if (error) throw new Error(`store migration failed: ${(error as Error).message}`, { cause: error });
}
