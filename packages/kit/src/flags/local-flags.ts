import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureAdminToken } from './control.js';

/** The flags file of a local run (`npm start`), relative to the repository root. */
export const LOCAL_FLAGS_FILE = join('var', 'flags', 'glasshouse.flagd.json');
/** The audit trail of a local run's flag changes, one JSON line each. */
export const LOCAL_AUDIT_FILE = join('var', 'flags', 'audit.jsonl');
/** The admin token of a local run, readable by its owner only. */
export const LOCAL_ADMIN_TOKEN_FILE = join('var', 'admin-token');

/**
 * Before a local run starts its services: the flags file they read, copied from deploy/flags
 * (every scenario off) unless a run left one, and the admin token. Returns the absolute paths.
 */
export function prepareLocalFlags(root: string): { flagsFile: string; tokenFile: string } {
  const flagsFile = join(root, LOCAL_FLAGS_FILE);
  if (!existsSync(flagsFile)) {
    mkdirSync(dirname(flagsFile), { recursive: true });
    copyFileSync(join(root, 'deploy', 'flags', 'glasshouse.flagd.json'), flagsFile);
  }
  const tokenFile = join(root, LOCAL_ADMIN_TOKEN_FILE);
  ensureAdminToken(tokenFile);
  return { flagsFile, tokenFile };
}
