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

/** Statements kept prepared, by SQL text: Kysely asks for a new one per query, and preparing costs more than running. */
const PREPARED_KEPT = 256;

/** Gives Kysely's SqliteDialect the statement shape it expects, on top of node:sqlite. */
export function kyselySqlite(db: DatabaseSync): SqliteDatabase {
  const prepared = new Map<string, StatementSync>();
  const statement = (sql: string): StatementSync => {
    let stmt = prepared.get(sql);
    if (stmt) return stmt;
    stmt = db.prepare(sql);
    // Queries built from data (an IN list of varying length) would fill the map: the oldest go first.
    if (prepared.size >= PREPARED_KEPT) prepared.delete(prepared.keys().next().value!);
    prepared.set(sql, stmt);
    return stmt;
  };
  return {
    close: () => {
      prepared.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const stmt = statement(sql);
      return {
        reader: stmt.columns().length > 0,
        all: (p) => stmt.all(...(p as never[])),
        run: (p) => stmt.run(...(p as never[])),
        // An iteration holds its statement open: two at once over one statement would share a cursor.
        iterate: (p) => db.prepare(sql).iterate(...(p as never[])),
      };
    },
  };
}
