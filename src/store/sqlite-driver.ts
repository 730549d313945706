import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How hard SQLite syncs to disk: NORMAL survives a process crash, FULL also a power cut. */
export type SqliteSync = 'NORMAL' | 'FULL';

/** Opens a SQLite file with the pragmas Parley relies on (WAL, busy timeout, foreign keys). */
export function openSqlite(path: string, sync: SqliteSync = 'NORMAL'): DatabaseSync {
  const db = new DatabaseSync(path);
  // WAL lets a dashboard read while a session writes, and two processes share one file.
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${sync}; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;`);
  return db;
}

/** Gives Kysely's SqliteDialect the statement shape it expects, on top of node:sqlite. */
export function kyselySqlite(db: DatabaseSync): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const stmt: StatementSync = db.prepare(sql);
      return {
        reader: stmt.columns().length > 0,
        all: (p) => stmt.all(...(p as never[])),
        run: (p) => stmt.run(...(p as never[])),
        iterate: (p) => stmt.iterate(...(p as never[])),
      };
    },
  };
}
