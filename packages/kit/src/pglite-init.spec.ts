import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { holdsDatabase, initPgliteDataDir } from './pglite-init.js';

describe('initPgliteDataDir', () => {
  it('creates a cluster that PGlite then opens, and leaves an existing one alone', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'glasshouse-initdb-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    assert.equal(holdsDatabase(dir), false);

    await initPgliteDataDir(dir);
    assert.equal(holdsDatabase(dir), true);
    const made = statSync(join(dir, 'PG_VERSION')).mtimeMs;

    const db = await PGlite.create({ dataDir: dir });
    await db.exec('CREATE TABLE kept (id int); INSERT INTO kept VALUES (7);');
    await db.close();

    await initPgliteDataDir(dir);
    assert.equal(statSync(join(dir, 'PG_VERSION')).mtimeMs, made);
    const again = await PGlite.create({ dataDir: dir });
    t.after(() => again.close());
    assert.deepEqual((await again.query('SELECT id FROM kept')).rows, [{ id: 7 }]);
  });

  it('fails with the reason when the folder cannot hold a cluster', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'glasshouse-initdb-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    await assert.rejects(initPgliteDataDir(file), /initdb in .*a-file failed/);
  });
});
