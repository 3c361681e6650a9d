import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creating a PGlite database runs initdb, which grows the WebAssembly memory to several hundred
 * megabytes; WebAssembly memory never shrinks, so a service that ran initdb itself would carry
 * that for its whole life (≈ 800 MB instead of ≈ 170 MB). The first start therefore runs
 * initdb in a short-lived child process (a worker thread hands back too little: ≈ 150 MB stay),
 * and the service then opens the finished folder like any later start.
 */
const INITDB_SCRIPT = `
const [module, dataDir] = process.argv.slice(1);
const { PGlite } = require(module);
PGlite.create({ dataDir })
  .then((db) => db.close())
  .then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(String(error && error.stack || error) + '\\n');
      process.exit(1);
    },
  );
`;

/** True when `dataDir` already holds a database cluster. */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** Creates the database cluster in `dataDir` (an existing folder) unless it already holds one. */
export async function initPgliteDataDir(dataDir: string): Promise<void> {
  if (holdsDatabase(dataDir)) return;
  const args = ['-e', INITDB_SCRIPT, require.resolve('@electric-sql/pglite'), dataDir];
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, args, (error, _stdout, stderr) => {
      if (!error && holdsDatabase(dataDir)) resolve();
      else
        reject(
          new Error(`initdb in ${dataDir} failed: ${stderr.trim() || (error?.message ?? 'no cluster made')}`),
        );
    });
  });
}
