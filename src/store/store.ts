import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { migrations, type StoreKind } from './migrations.ts';
import { openPostgres, postgresTarget } from './postgres.ts';
import { kyselySqlite, openSqlite, type SqliteSync } from './sqlite-driver.ts';
import type { Tables } from './tables.ts';

/** An open store: one query layer (Kysely) over SQLite or PostgreSQL. */
export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Tables>;
  /** The raw SQLite handle, for the few hot paths (FTS5 search) that skip the query builder. */
  readonly sqlite?: DatabaseSync;
  /** Where it is, for logs and `parley migrate`: a file path, or a Postgres URL without its password. */
  readonly where: string;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'file:.parley/parley.db';

/** Where the store lives: PARLEY_DATABASE_URL, else `.parley/parley.db` in the working directory. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PARLEY_DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** How to open a store. */
export interface OpenStoreOptions {
  sync?: SqliteSync;
  /** Bring the schema up to date (default). `parley migrate --check` opens without. */
  migrate?: boolean;
}

/** Opens (creating and migrating when needed) the store named by a database URL. */
export async function openStore(url: string = databaseUrl(), o: OpenStoreOptions = {}): Promise<Store> {
  const store = /^postgres(ql)?:\/\//.test(url) ? await openPostgres(url) : openSqliteStore(url, o.sync);
  if (o.migrate === false) return store;
  try {
    await migrateStore(store);
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  return store;
}

function openSqliteStore(url: string, sync?: SqliteSync): Store {
  if (!url.startsWith('file:') && /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error(`PARLEY_DATABASE_URL: unsupported scheme in ${url.split('://')[0]}://…; use file:PATH (SQLite) or postgres://USER@HOST/DB`);
  }
  const path = url === ':memory:' || url === 'file::memory:' ? ':memory:' : resolve(url.replace(/^file:/, ''));
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = openSqlite(path, sync ?? (process.env.PARLEY_SQLITE_SYNC === 'FULL' ? 'FULL' : 'NORMAL'));
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: kyselySqlite(sqlite) }) });
  return { kind: 'sqlite', db, sqlite, where: path, close: () => db.destroy() };
}

/**
 * Applies every migration not yet applied and returns their names. Safe when several nodes start
 * at once: the migrator takes a lock (an advisory lock on Postgres) so one of them migrates.
 */
export async function migrateStore(store: Store): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator(store).migrateToLatest();
    if (!error) return applied(results);
    // The migrator lists every table of every schema (Kysely's introspection resolves each by
    // name); another schema dropped meanwhile fails that listing (3F000). Nothing was applied: retry.
    if ((error as { code?: string }).code === '3F000' && attempt < 5) continue;
    throw new Error(`store migration failed (${store.where}): ${(error as Error).message}`, { cause: error });
  }
}

/** The migrations this build knows, each marked applied or pending in the store. */
export async function migrationStatus(store: Store): Promise<{ name: string; applied: boolean }[]> {
  return (await migrator(store).getMigrations()).map((m) => ({ name: m.name, applied: m.executedAt !== undefined }));
}

function migrator(store: Store): Migrator {
  const schema = store.kind === 'postgres' ? postgresTarget(store.where).schema : undefined;
  return new Migrator({ db: store.db, provider: migrations(store.kind), migrationTableSchema: schema });
}

function applied(results: MigrationResultSet['results']): string[] {
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
