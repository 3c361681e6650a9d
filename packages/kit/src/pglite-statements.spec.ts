import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite, parse, protocol } from '@electric-sql/pglite';
import { PreparedStatements } from './pglite-statements.js';

describe('PreparedStatements on PGlite', () => {
  let db: PGlite;
  let statements: PreparedStatements;

  before(async () => {
    db = await PGlite.create({ parsers: { 20: (value: string) => BigInt(value) } });
    await db.exec(`CREATE TABLE items (id text PRIMARY KEY, n bigint NOT NULL CHECK (n >= 0));
                   INSERT INTO items VALUES ('a', 1), ('b', 2);`);
    statements = new PreparedStatements(db, { protocol, parse }, 3);
  });
  after(() => db.close());

  it('runs one text with different parameters, parsing rows as PGlite does', async () => {
    const text = 'SELECT id, n FROM items WHERE id = ANY($1::text[]) ORDER BY id';
    for (let i = 0; i < 8; i++) {
      assert.deepEqual(await statements.query(text, [['a', 'b']]), [
        { id: 'a', n: 1n },
        { id: 'b', n: 2n },
      ]);
      assert.deepEqual(await statements.query(text, [['b']]), [{ id: 'b', n: 2n }]);
    }
    assert.deepEqual(await statements.query('SELECT id FROM items WHERE id = $1', [null]), []);
  });

  it('answers with the new columns after a table changed under a statement', async () => {
    const text = 'SELECT * FROM items WHERE id = $1';
    assert.deepEqual(await statements.query(text, ['a']), [{ id: 'a', n: 1n }]);
    await db.exec(`ALTER TABLE items ADD COLUMN note text NOT NULL DEFAULT ''`);
    assert.deepEqual(await statements.query(text, ['a']), [{ id: 'a', n: 1n, note: '' }]);
  });

  it('keeps working past its capacity, closing the oldest statements', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 6; i++) {
        assert.deepEqual(await statements.query(`SELECT $1::int + ${i} AS sum`, [1]), [{ sum: 1 + i }]);
      }
    }
    const [{ count } = { count: -1 }] = (
      await db.query<{ count: number }>('SELECT count(*)::int AS count FROM pg_prepared_statements')
    ).rows;
    assert.ok(count <= 3, `${count} statements kept`);
  });

  it('throws the database error with its code, and the session stays usable', async () => {
    const text = 'UPDATE items SET n = n - $2 WHERE id = $1 RETURNING n';
    await assert.rejects(
      statements.query(text, ['a', 5]),
      (error: { code?: string }) => error.code === '23514',
    );
    await assert.rejects(
      statements.query('SELEC nonsense', []),
      (error: { code?: string }) => error.code === '42601',
    );
    assert.deepEqual(await statements.query(text, ['a', 1]), [{ n: 0n }]);
  });
});
