import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * initdb grows PGlite's WebAssembly memory, which never shrinks: the first start runs it in a
 * short-lived child process (a worker thread would keep part of it), and the service opens the
 * finished folder like any later start. The cluster is the same for everyone, so services whose
 * folders share a parent (PGLITE_DATA_DIR/<service>) run it once, into `.initdb-template` next to
 * their folders, and each copies that. The sizes and times are in bench/README.md.
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

/** Where embedded databases live when PGLITE_DATA_DIR is unset (relative to the working folder). */
export const DEFAULT_PGLITE_DATA_DIR = 'var/pgdata';

export const TEMPLATE_FOLDER = '.initdb-template';
/** A lock older than this belongs to a start that died: it is taken over. */
const STALE_LOCK_MS = 120_000;
const LOCK_POLL_MS = 50;

/** True when `dataDir` already holds a database cluster. */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** Creates the database cluster in `dataDir` (an existing, empty folder) unless it holds one. */
export async function initPgliteDataDir(dataDir: string): Promise<void> {
  if (holdsDatabase(dataDir)) return;
  const template = join(dirname(dataDir), TEMPLATE_FOLDER);
  await ensureTemplate(template);
  // Copied beside the target first, then moved in: a half-copied folder never looks finished.
  const copy = `${dataDir}.copy-${process.pid}`;
  rmSync(copy, { recursive: true, force: true });
  cpSync(template, copy, { recursive: true });
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(copy, dataDir);
}

/**
 * Builds the template under `parent` ahead of the services whose folders (`parent/<folder>`)
 * hold no cluster yet, so that initdb's seconds overlap the services loading their code instead
 * of following it; each service then only copies it. Nothing is done when every folder holds a
 * cluster (a restart). Resolves true when a template was made or found.
 */
export async function prepareTemplate(parent: string, folders: readonly string[]): Promise<boolean> {
  if (folders.every((folder) => holdsDatabase(join(parent, folder)))) return false;
  mkdirSync(parent, { recursive: true });
  await ensureTemplate(join(parent, TEMPLATE_FOLDER));
  return true;
}

/** Makes the template cluster once, whoever asks first; the others wait for it. */
async function ensureTemplate(template: string): Promise<void> {
  const lock = `${template}.lock`;
  for (;;) {
    if (holdsDatabase(template)) return;
    if (takeLock(lock)) break;
    await delay(LOCK_POLL_MS);
  }
  try {
    if (holdsDatabase(template)) return;
    const building = `${template}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    await runInitdb(building);
    renameSync(building, template);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** mkdir is atomic: whoever creates the folder holds the lock. */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (Date.now() - lockTime(lock) > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

function lockTime(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}

function runInitdb(dataDir: string): Promise<void> {
  const args = ['-e', INITDB_SCRIPT, require.resolve('@electric-sql/pglite'), dataDir];
  return new Promise<void>((resolve, reject) => {
    execFile(process.execPath, args, (error, _stdout, stderr) => {
      if (!error && holdsDatabase(dataDir)) resolve();
      else
        reject(
          new Error(`initdb in ${dataDir} failed: ${stderr.trim() || (error?.message ?? 'no cluster made')}`),
        );
    });
  });
}
