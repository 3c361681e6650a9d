import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { baseFiles } from './base.js';
import { componentFiles } from './components.js';
import type { Files } from './output.js';
import { overlayFiles } from './overlays.js';
import { valuesFiles } from './values.js';

/** Folders whose every file the generator owns; a file it no longer makes is removed. */
export const GENERATED_DIRS = ['deploy/kubernetes', 'deploy/helm'] as const;

/** Every generated file, by path relative to the repository root, as the repository's Prettier writes it. */
export async function renderAll(root: string): Promise<Files> {
  const files = new Map([
    ...baseFiles(),
    ...componentFiles(root),
    ...overlayFiles(root),
    ...valuesFiles(root),
  ]);
  const formatted: Files = new Map();
  for (const [path, content] of files) {
    const filepath = join(root, path);
    const options = (await resolveConfig(filepath)) ?? {};
    formatted.set(path, await format(content, { ...options, filepath }));
  }
  return formatted;
}
