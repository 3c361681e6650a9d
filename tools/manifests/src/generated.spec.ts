import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_DIRS, renderAll } from './render.js';
import { REPO_ROOT } from './repo.js';

describe('the committed manifests', () => {
  it('are what `npm run manifests` generates from the service table and the deploy/ sources', async () => {
    const files = await renderAll(REPO_ROOT);
    const committed = GENERATED_DIRS.flatMap((dir) =>
      readdirSync(join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name))),
    ).sort();
    assert.deepEqual(committed, [...files.keys()].sort(), 'run `npm run manifests`: files differ');
    for (const [path, content] of files) {
      assert.equal(
        readFileSync(join(REPO_ROOT, path), 'utf8'),
        content,
        `run \`npm run manifests\`: ${path} drifted`,
      );
    }
  });
});
