import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { waitFor } from './readiness.js';

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly lines: string[];
}

/** Runs the entry point from source on a free port and waits for its "listening" line. */
async function startEmbeddedPostgres(t: TestContext, dataDir: string, args: string[] = []): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'embedded-postgres.ts'), ...args],
    {
      env: { ...process.env, EMBEDDED_PG_PORT: '0', EMBEDDED_PG_DATA: dataDir },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  let url = '';
  await waitFor(
    'embedded postgres listening',
    () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${lines.join('\n')}`);
      const listening = lines
        .map((line) => JSON.parse(line) as { message?: string; url?: string })
        .find((l) => l.url);
      url = listening?.url ?? '';
      return url !== '';
    },
    { timeoutMs: 60_000 },
  );
  return { child, url, lines };
}

async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('embedded postgres', () => {
  it('serves two concurrent pg clients, keeps transactions apart and keeps its data', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'glasshouse-pgdata-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));

    const first = await startEmbeddedPostgres(t, dataDir);
    const a = new pg.Client({ connectionString: first.url });
    const b = new pg.Client({ connectionString: first.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('CREATE SCHEMA shop');
      await a.query('CREATE TABLE shop.items (id int PRIMARY KEY, name text NOT NULL)');

      await a.query('BEGIN');
      await a.query("INSERT INTO shop.items VALUES (1, 'mug')");
      // b's query waits for a's transaction instead of running inside it.
      const seenByB = b.query<{ n: string }>('SELECT count(*) AS n FROM shop.items');
      await a.query('COMMIT');
      assert.equal((await seenByB).rows[0]?.n, '1');

      await Promise.all(
        [2, 3, 4, 5].map((id) =>
          (id % 2 ? a : b).query('INSERT INTO shop.items VALUES ($1, $2)', [id, `item ${id}`]),
        ),
      );
      await assert.rejects(b.query('SELECT * FROM shop.missing'), /does not exist/);
      const rows = await b.query<{ id: number }>('SELECT id FROM shop.items ORDER BY id');
      assert.deepEqual(
        rows.rows.map((r) => r.id),
        [1, 2, 3, 4, 5],
      );
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    first.child.kill('SIGTERM');
    assert.equal(await exited(first.child), 0);

    // Same data dir, supervised: the rows are still there, and closing stdin (the runner gone) stops it.
    const second = await startEmbeddedPostgres(t, dataDir, ['--supervised']);
    const c = new pg.Client({ connectionString: second.url });
    await c.connect();
    try {
      const count = await c.query<{ n: string }>('SELECT count(*) AS n FROM shop.items');
      assert.equal(count.rows[0]?.n, '5');
    } finally {
      await c.end();
    }
    second.child.stdin?.end();
    assert.equal(await exited(second.child), 0);
    assert.ok(second.lines.some((line) => line.includes('runner gone')));
  });
});
