import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const GEN = join(ROOT, 'packages', 'contracts', 'src', 'gen');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('generated contracts', () => {
  const out = mkdtempSync(join(tmpdir(), 'glasshouse-gen-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('match what `npm run proto:gen` makes from proto/ today', () => {
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'buf'),
      ['generate', 'proto', '--template', 'proto/buf.gen.yaml', '--output', out],
      {
        cwd: ROOT,
        stdio: 'pipe',
      },
    );
    const fresh = join(out, 'packages', 'contracts', 'src', 'gen');
    const committed = filesUnder(GEN)
      .map((f) => relative(GEN, f))
      .sort();
    assert.deepEqual(
      filesUnder(fresh)
        .map((f) => relative(fresh, f))
        .sort(),
      committed,
    );
    for (const file of committed) {
      assert.equal(
        readFileSync(join(fresh, file), 'utf8'),
        readFileSync(join(GEN, file), 'utf8'),
        `${file} drifted from the protos: run npm run proto:gen`,
      );
    }
  });
});
