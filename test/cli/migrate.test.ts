import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../../src/store/store.ts';
import { runParley, tempDir } from '../helpers/cli.ts';
import { postgresUp } from '../helpers/store.ts';

const PG = process.env.PARLEY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const pgUp = await postgresUp(PG);

describe('parley migrate', () => {
  it('brings a new SQLite file up to date once, and --check then reports nothing pending', async () => {
    const url = `file:${join(tempDir(), 'parley.db')}`;
    const pending = await runParley(['migrate', '--check'], { env: { PARLEY_DATABASE_URL: url } });
    assert.equal(pending.code, 1, pending.stderr);
    assert.match(pending.stdout, /pending\s+0001_initial/);
    const first = await runParley(['migrate'], { env: { PARLEY_DATABASE_URL: url } });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /applied 0001_initial, 0002_bookings, 0003_usage/);
    const second = await runParley(['migrate'], { env: { PARLEY_DATABASE_URL: url } });
    assert.match(second.stdout, /is up to date/);
    const check = await runParley(['migrate', '--check'], { env: { PARLEY_DATABASE_URL: url } });
    assert.equal(check.code, 0);
    assert.doesNotMatch(check.stdout, /pending/);
  });

  it('names an unreachable database without printing its password', async () => {
    const r = await runParley(['migrate'], { env: { PARLEY_DATABASE_URL: 'postgres://parley:hunter2@127.0.0.1:1/parley' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /parley migrate: store migration failed \(postgres:\/\/parley:\*\*\*@127\.0\.0\.1:1\/parley/);
    assert.match(r.stderr, /ECONNREFUSED/);
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2/);
  });

  it('refuses a URL scheme it does not know, saying which ones it does', async () => {
    const r = await runParley(['migrate'], { env: { PARLEY_DATABASE_URL: 'mysql://root@localhost/parley' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unsupported scheme in mysql:\/\/.*use file:PATH \(SQLite\) or postgres:\/\//);
  });

  describe('on PostgreSQL', { skip: pgUp ? false : `no PostgreSQL at ${PG}` }, () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = (() => {
      const u = new URL(PG);
      u.searchParams.set('schema', schema);
      return u.toString();
    })();
    after(async () => {
      const s = await openStore(PG, { migrate: false });
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(s.db);
      await s.close();
    });

    it('three nodes starting at once on a new schema: one migrates, all end up on the same schema', async () => {
      const runs = await Promise.all([0, 1, 2].map(() => runParley(['migrate'], { env: { PARLEY_DATABASE_URL: url } })));
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      assert.equal(runs.filter((r) => /applied 0001_initial/.test(r.stdout)).length, 1, runs.map((r) => r.stdout).join(''));
      const store = await openStore(url, { migrate: false });
      const tables = await store.db.introspection.getTables();
      await store.close();
      const mine = tables.filter((t) => t.schema === schema).map((t) => t.name);
      for (const t of ['conversations', 'turns', 'tool_calls', 'knowledge_chunks', 'bookings']) assert.ok(mine.includes(t), `${t} in ${mine}`);
      const check = await runParley(['migrate', '--check'], { env: { PARLEY_DATABASE_URL: url } });
      assert.equal(check.code, 0, check.stdout);
    });
  });
});
