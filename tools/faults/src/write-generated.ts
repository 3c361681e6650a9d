import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from './generate.js';

/** `npm run faults`: the all-off flags file and docs/faults.md, from the tables. */
const root = join(__dirname, '..', '..', '..');
for (const [path, text] of generatedFiles()) {
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path}`);
}
