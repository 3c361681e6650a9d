import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { composeFiles } from './layers.js';

/** Writes every generated file of the compose stack; `npm run compose:generate`. */
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  for (const [path, content] of await composeFiles(root)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    process.stdout.write(`wrote ${path}\n`);
  }
}

void main();
