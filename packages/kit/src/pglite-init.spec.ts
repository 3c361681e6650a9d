import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { TEMPLATE_FOLDER, holdsDatabase, initPgliteDataDir, prepareTemplate } from './pglite-init.js';

async function systemIdentifier(dataDir: string): Promise<string> {
  const db = await PGlite.create({ dataDir });
  try {
    const { rows } = await db.query<{ id: string }>(
      'SELECT system_identifier::text AS id FROM pg_control_system()',
    );
    return rows[0]?.id ?? '';
  } finally {
    await db.close();
  }
}

describe('initPgliteDataDir', () => {
  it('creates a cluster that PGlite then opens, and leaves an existing one alone', async (t) => {
    const parent = mkdtempSync(join(tmpdir(), 'glasshouse-initdb-'));
    t.after(() => rmSync(parent, { recursive: true, force: true }));
    const dir = join(parent, 'orders');
    mkdirSync(dir);
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

  it('runs initdb once for services that start side by side: each gets a copy of one cluster', async (t) => {
    const parent = mkdtempSync(join(tmpdir(), 'glasshouse-initdb-'));
    t.after(() => rmSync(parent, { recursive: true, force: true }));
    const dirs = ['orders', 'inventory', 'productcatalog'].map((name) => join(parent, name));
    for (const dir of dirs) mkdirSync(dir);

    await Promise.all(dirs.map((dir) => initPgliteDataDir(dir)));

    // A copy keeps the cluster's identity; three initdb runs would have made three.
    const ids = await Promise.all(dirs.map(systemIdentifier));
    assert.equal(new Set(ids).size, 1, ids.join(' '));
    assert.equal(holdsDatabase(join(parent, TEMPLATE_FOLDER)), true);
    // No lock, build or copy folder is left behind.
    assert.deepEqual(readdirSync(parent).sort(), [TEMPLATE_FOLDER, 'inventory', 'orders', 'productcatalog']);
  });

  it('prepares the template ahead of the services only when one of their folders has no cluster', async (t) => {
    const parent = join(mkdtempSync(join(tmpdir(), 'glasshouse-initdb-')), 'pgdata');
    t.after(() => rmSync(dirname(parent), { recursive: true, force: true }));
    assert.equal(await prepareTemplate(parent, ['orders', 'inventory']), true);
    assert.equal(holdsDatabase(join(parent, TEMPLATE_FOLDER)), true);
    const made = statSync(join(parent, TEMPLATE_FOLDER, 'PG_VERSION')).mtimeMs;

    // The services then copy it: one cluster, no second initdb.
    const dirs = ['orders', 'inventory'].map((name) => join(parent, name));
    for (const dir of dirs) mkdirSync(dir);
    await Promise.all(dirs.map((dir) => initPgliteDataDir(dir)));
    assert.equal(new Set(await Promise.all(dirs.map(systemIdentifier))).size, 1);
    assert.equal(statSync(join(parent, TEMPLATE_FOLDER, 'PG_VERSION')).mtimeMs, made);

    // A restart finds every cluster: nothing to prepare, even without the template.
    rmSync(join(parent, TEMPLATE_FOLDER), { recursive: true });
    assert.equal(await prepareTemplate(parent, ['orders', 'inventory']), false);
    assert.equal(existsSync(join(parent, TEMPLATE_FOLDER)), false);
  });

  it('fails with the reason when the folder cannot be written', async (t) => {
    const parent = mkdtempSync(join(tmpdir(), 'glasshouse-initdb-'));
    t.after(() => rmSync(parent, { recursive: true, force: true }));
    const file = join(parent, 'a-file');
    writeFileSync(file, 'not a folder');
    await assert.rejects(initPgliteDataDir(join(file, 'orders')), /ENOTDIR/);
    assert.equal(existsSync(join(parent, TEMPLATE_FOLDER)), false);
  });
});
