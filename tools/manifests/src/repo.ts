import { join } from 'node:path';

/** The repository root, from src/ or dist/ of this workspace. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
