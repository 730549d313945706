import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kyselySqlite, openSqlite } from '../../src/store/sqlite-driver.ts';

/** node:sqlite rows have no prototype; compared as plain objects. */
const plain = (rows: Iterable<unknown>) => [...rows].map((r) => ({ ...(r as object) }));
const one = (r: IteratorResult<unknown>) => ({ ...(r.value as object) });

// Statements are kept prepared by SQL text: a kept statement must behave like a fresh one.

function table() {
  const db = openSqlite(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  return { db, driver: kyselySqlite(db) };
}

describe('kyselySqlite', () => {
  it('runs one SQL text many times with its own parameters and sees every write', () => {
    const { driver } = table();
    for (let i = 0; i < 5; i++) driver.prepare('INSERT INTO t (v) VALUES (?)').run([`v${i}`]);
    const count = driver.prepare('SELECT count(*) AS n FROM t');
    assert.equal(count.reader, true);
    assert.deepEqual(plain(count.all([])), [{ n: 5 }]);
    driver.prepare('INSERT INTO t (v) VALUES (?)').run(['v5']);
    assert.deepEqual(plain(driver.prepare('SELECT count(*) AS n FROM t').all([])), [{ n: 6 }]);
    assert.deepEqual(plain(driver.prepare('SELECT v FROM t WHERE id = ?').all([3])), [{ v: 'v2' }]);
    assert.equal(driver.prepare('INSERT INTO t (v) VALUES (?)').reader, false);
  });

  it('iterates one SQL text twice at once without the two sharing a cursor', () => {
    const { driver } = table();
    for (let i = 0; i < 3; i++) driver.prepare('INSERT INTO t (v) VALUES (?)').run([`v${i}`]);
    const a = driver.prepare('SELECT v FROM t ORDER BY id').iterate([])[Symbol.iterator]();
    const b = driver.prepare('SELECT v FROM t ORDER BY id').iterate([])[Symbol.iterator]();
    assert.deepEqual(one(a.next()), { v: 'v0' });
    assert.deepEqual(one(b.next()), { v: 'v0' });
    assert.deepEqual(one(a.next()), { v: 'v1' });
    assert.deepEqual(one(b.next()), { v: 'v1' });
  });

  it('keeps working past the number of statements it keeps (SQL built from data)', () => {
    const { driver } = table();
    driver.prepare('INSERT INTO t (v) VALUES (?)').run(['x']);
    for (let n = 1; n <= 600; n++) {
      const list = Array.from({ length: n }, () => '?').join(',');
      const rows = driver.prepare(`SELECT count(*) AS n FROM t WHERE v IN (${list})`).all(Array.from({ length: n }, () => 'x'));
      assert.deepEqual(plain(rows), [{ n: 1 }]);
    }
    assert.deepEqual(plain(driver.prepare('SELECT v FROM t').all([])), [{ v: 'x' }]);
  });
});
