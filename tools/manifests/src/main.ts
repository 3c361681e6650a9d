import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { GENERATED_DIRS, renderAll } from './render.js';
import { REPO_ROOT } from './repo.js';

/** Writes every generated file and removes generated ones the generator no longer makes. */
async function main(): Promise<void> {
  const root = REPO_ROOT;
  const files = await renderAll(root);
  for (const dir of GENERATED_DIRS) {
    for (const path of listFiles(join(root, dir))) {
      if (!files.has(relative(root, path))) rmSync(path);
    }
  }
  for (const [path, content] of files) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  process.stdout.write(`wrote ${files.size} files under ${GENERATED_DIRS.join(', ')}\n`);
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

void main();
