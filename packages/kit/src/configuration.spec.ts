import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { VARIABLES, declarationOf, renderConfigurationDoc } from './configuration.js';

const ROOT = join(__dirname, '..', '..', '..');
const SKIPPED = new Set(['node_modules', 'dist', 'gen', 'var']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sources(path);
    // Specs try the readers on names of their own; what they read of the machine is in the test rows.
    return /(?<!\.d|\.spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

const roots = (parent: string): string[] =>
  readdirSync(join(ROOT, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(ROOT, parent, entry.name, 'src'));

const FILES = [
  ...roots('packages'),
  ...roots('services'),
  ...roots('tools'),
  join(ROOT, 'bench'),
  join(ROOT, 'e2e'),
]
  .flatMap((dir) => {
    try {
      return sources(dir);
    } catch {
      return [];
    }
  })
  .map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

interface Read {
  readonly name: string;
  readonly where: string;
  readonly direct: boolean;
}

/** `env.int('NAME', …)`-style reader calls, and `process.env.NAME` / `process.env['NAME']`. */
function readsIn(file: { path: string; text: string }): Read[] {
  const at = (index: number) => `${file.path}:${file.text.slice(0, index).split('\n').length}`;
  const reader = /\.(?:string|optionalString|int|number|bool|oneOf|address|url)\(\s*'([A-Z][A-Z0-9_]*)'/g;
  const direct = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*'([A-Z][A-Z0-9_]*)'\s*\])/g;
  return [
    ...[...file.text.matchAll(reader)].map((m) => ({ name: m[1] ?? '', where: at(m.index), direct: false })),
    ...[...file.text.matchAll(direct)].map((m) => ({
      name: m[1] ?? m[2] ?? '',
      where: at(m.index),
      direct: true,
    })),
  ];
}

const READS = FILES.flatMap(readsIn);
const isTest = (where: string) => where.startsWith('e2e/');

/** Read by libraries or the system, not through a reader of ours. */
const READ_ELSEWHERE = new Set([
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_SEMCONV_STABILITY_OPT_IN',
]);
/** Read directly on purpose: PATH is looked through for programs; register.ts sets a default for the libraries. */
const DIRECT_ALLOWED = new Set(['PATH', 'OTEL_SEMCONV_STABILITY_OPT_IN']);

describe('configuration', () => {
  it('docs/configuration.md is the rendering of the declarations (npm run config:doc)', () => {
    const committed = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    assert.equal(
      committed,
      renderConfigurationDoc(),
      'docs/configuration.md drifted: run `npm run config:doc`',
    );
  });

  it('finds the reads it looks for', () => {
    const names = new Set(READS.map((r) => r.name));
    for (const name of ['LOG_LEVEL', 'CART_TTL_SECONDS', 'RUN_MODE', 'BENCH_SECONDS', 'TEST_POSTGRES_URL'])
      assert.ok(names.has(name), `the scan missed ${name}`);
    assert.deepEqual(
      readsIn({
        path: 'x.ts',
        text: ['env.int(', "  'A_B', 1);", 'process.env.C_D;', "process.env['E']"].join('\n'),
      }).map((r) => [r.name, r.direct]),
      [
        ['A_B', false],
        ['C_D', true],
        ['E', true],
      ],
    );
  });

  it('declares every variable the code reads', () => {
    const undeclared = READS.filter((r) => !DIRECT_ALLOWED.has(r.name) && !declarationOf(r.name));
    assert.deepEqual(
      undeclared.map(
        (r) =>
          `${r.where} reads ${r.name}, which packages/kit/src/configuration.ts does not declare: add ` +
          `['${r.name}', '<default>', '<meaning>'] to the rows of its reader in VARIABLES there, ` +
          'then run `npm run config:doc`',
      ),
      [],
    );
  });

  it('reads variables through the kit’s typed readers outside tests', () => {
    const bypasses = READS.filter((r) => r.direct && !isTest(r.where) && !DIRECT_ALLOWED.has(r.name));
    assert.deepEqual(
      bypasses.map(
        (r) =>
          `${r.where} reads process.env.${r.name}: read it with envReader() (packages/kit/src/config.ts)`,
      ),
      [],
    );
  });

  it('declares no variable that nothing reads', () => {
    const read = new Set(READS.map((r) => r.name));
    const stale = VARIABLES.filter(
      (v) => !v.name.startsWith('<SERVICE>') && !READ_ELSEWHERE.has(v.name) && !read.has(v.name),
    );
    assert.deepEqual(
      stale.map((v) => v.name),
      [],
    );
  });
});
