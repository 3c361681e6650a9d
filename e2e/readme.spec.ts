import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { SERVICES, declarationOf } from '@glasshouse/kit';

const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const IMPLEMENTED = SERVICES.filter((spec) => spec.implemented);

/** The body of the first fenced block of `language` ('' for a bare fence). */
function fenced(markdown: string, language: string): string {
  const blocks: { language: string; lines: string[] }[] = [];
  let open: { language: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      if (open) blocks.push(open);
      open = open ? undefined : { language: line.slice(3).trim(), lines: [] };
    } else open?.lines.push(line);
  }
  const block = blocks.find((b) => b.language === language);
  assert.ok(block, `a \`\`\`${language} block`);
  return block.lines.join('\n');
}

describe('README.md', () => {
  it('draws the call graph of the service table (implemented services)', () => {
    const drawn = [...fenced(README, 'mermaid').matchAll(/^\s*(\w+) --> (\w+)\s*$/gm)].map(
      (m) => `${m[1]} --> ${m[2]}`,
    );
    const table = IMPLEMENTED.flatMap((spec) => spec.calls.map((callee) => `${spec.name} --> ${callee}`));
    assert.deepEqual([...drawn].sort(), [...table].sort());
  });

  it("shows npm start's table with every service on its own protocol, port and metrics URL", () => {
    const rows = new Map(
      [...fenced(README, '').matchAll(/^ {2}(\S+)\s+(grpc|http|worker)\s+(\S+)\s+(\S+)$/gm)].map((m) => [
        m[1],
        { protocol: m[2], address: m[3], metrics: m[4] },
      ]),
    );
    for (const spec of IMPLEMENTED) {
      const row = rows.get(spec.name);
      assert.ok(row, `${spec.name} in the sample output`);
      assert.equal(row.protocol, spec.protocol, spec.name);
      assert.equal(row.address, spec.protocol === 'worker' ? '—' : `127.0.0.1:${spec.port}`, spec.name);
      assert.equal(row.metrics, `http://127.0.0.1:${spec.adminPort}/metrics`, spec.name);
    }
    assert.match(README, /^Glasshouse is ready in \d+\.\d s$/m);
  });

  it('links only to files that exist', () => {
    const links = [...README.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? '');
    const local = links.filter((link) => !/^[a-z]+:/.test(link));
    assert.ok(local.length >= 6, local.join(', '));
    assert.deepEqual(
      local.filter((link) => !existsSync(join(ROOT, link))),
      [],
    );
    for (const doc of ['configuration', 'telemetry', 'dashboards', 'compose', 'kubernetes'])
      assert.ok(local.includes(`docs/${doc}.md`), `links docs/${doc}.md`);
    assert.ok(local.includes('bench/README.md'));
  });

  it('names only npm scripts, programs and variables that exist', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: object })
      .scripts;
    for (const [, script] of README.matchAll(/npm run ([\w:]+)/g))
      assert.ok(script && Object.hasOwn(scripts, script), `npm run ${script}`);
    for (const path of ['.ci/run', 'deploy/k3d/up.sh', 'packages/kit/src/services.ts'])
      assert.ok(README.includes(path) && existsSync(join(ROOT, path)), path);
    const variables = [...README.matchAll(/`([A-Z][A-Z0-9_]{2,})(?:=[^`]*)?`/g)].map((m) => m[1] ?? '');
    assert.ok(variables.length >= 4, variables.join(', '));
    assert.deepEqual(
      variables.filter((name) => !declarationOf(name)),
      [],
      'declared in packages/kit/src/configuration.ts',
    );
    assert.ok(existsSync(join(dirname(join(ROOT, 'deploy', 'k3d', 'up.sh')), 'down.sh')));
  });
});
