import { Kysely, PostgresDialect } from 'kysely';
import { withoutPassword } from '../util/service-url.ts';
import type { Store } from './store.ts';
import type { Tables } from './tables.ts';

// PostgreSQL, for several nodes sharing one store. The URL is libpq's (postgres://user:pass@host/db,
// with sslmode=… and friends), plus `schema=NAME` to keep Parley's tables in their own schema
// (created when missing) — handy when one database serves several things, and how tests isolate.

/** The parts of a Postgres URL Parley reads itself: the schema, and the URL to hand to pg without it. */
export function postgresTarget(url: string): { connectionString: string; schema: string; redacted: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('PARLEY_DATABASE_URL is not a valid postgres:// URL');
  }
  const schema = u.searchParams.get('schema') ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`PARLEY_DATABASE_URL: schema "${schema}" must be letters, digits and _ (at most 63)`);
  u.searchParams.delete('schema');
  const connectionString = u.toString();
  u.searchParams.set('schema', schema);
  return { connectionString, schema, redacted: withoutPassword(u) };
}

/** Opens a pool on a Postgres URL as a Store (not yet migrated). */
export async function openPostgres(url: string, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const target = postgresTarget(url);
  // Loaded here, not at start: a SQLite deployment never pays for the driver (~12 MB of RSS).
  const { default: pg } = await import('pg');
  const max = Number(env.PARLEY_DATABASE_POOL) > 0 ? Number(env.PARLEY_DATABASE_POOL) : 10;
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max,
    // Every connection looks in Parley's schema first; unqualified names then resolve there. Only
    // sent for a schema of its own: PgBouncer refuses the `options` startup parameter.
    ...(target.schema === 'public' ? {} : { options: `-c search_path=${target.schema}` }),
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by a Postgres restart must not take the process down; the pool
  // replaces it on the next query.
  pool.on('error', (e) => process.stderr.write(`postgres: idle connection lost: ${e.message}\n`));
  let ready: Promise<void> | undefined;
  const ensureSchema = () =>
    (ready ??= target.schema === 'public'
      ? Promise.resolve()
      : pool.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`).then(
          () => {},
          (e: { code?: string }) => {
            // Two nodes creating it at once: the loser sees a duplicate, which is the goal anyway.
            if (e.code === '23505' || e.code === '42P06') return;
            ready = undefined; // Postgres not up yet: try again on the next query
            throw e;
          },
        ));
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({
      pool: async () => {
        await ensureSchema();
        return pool;
      },
    }),
  });
  return { kind: 'postgres', db, where: target.redacted, close: () => db.destroy() };
}
