import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { ServiceMetrics } from '../metrics.js';
import type { Evidence, TelemetryGroup } from './registry.js';
import {
  ATTRIBUTES,
  CONVENTION_ATTRIBUTES,
  LOG_EVENTS,
  METRICS,
  SPANS,
  renderTelemetryDoc,
} from './registry.js';

const ROOT = join(__dirname, '..', '..', '..', '..');
const DOC = join(ROOT, 'docs', 'telemetry.md');
/** The registry names every signal itself: scanning it would find them all. */
const REGISTRY_FILE = 'packages/kit/src/telemetry/registry.ts';
/**
 * Functions that start a span named by their first argument, by the file defining them; they
 * count in that file's workspace. Elsewhere a span name must be a literal, unless the file is
 * the evidence of a pattern in the registry (`<METHOD> <route>`, `step <step>`).
 */
const SPAN_WRAPPERS: Readonly<Record<string, string>> = {
  'packages/kit/src/telemetry/spans.ts': 'spanRunner',
  'services/auth/src/admin.ts': 'inSpan',
  'services/auth/src/server.ts': 'inSpan',
  'services/cart/src/server.ts': 'storeStep',
  'services/checkout/src/steps.ts': 'step',
  'services/email/src/server.ts': 'inSpan',
  'services/inventory/src/server.ts': 'inSpan',
  'services/payment/src/server.ts': 'inSpan',
};
/** Attributes that instrumentations set, named in span entries for the reader. */
const INSTRUMENTATION_ATTRIBUTES = new Set(['rpc.service', 'url.path']);
const FORBIDDEN_LABELS = ['user_id', 'email', 'order_id', 'session', 'card', 'token'];

interface SourceFile {
  /** Relative to the repository, with forward slashes. */
  path: string;
  /** The workspace: kit, run, or a service name. */
  group: string;
  text: string;
}

interface Found<T> {
  /** `group: name` */
  key: string;
  detail: T;
  where: string;
}

// ---------------------------------------------------------------------------------------------
// Reading the source
// ---------------------------------------------------------------------------------------------

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!['gen', 'dist', 'node_modules'].includes(entry.name)) yield* walk(join(dir, entry.name));
    } else if (entry.name.endsWith('.ts') && !/\.(spec|d)\.ts$/.test(entry.name)) yield join(dir, entry.name);
  }
}

/** The workspaces under tools/ whose code runs beside the shop; the others generate files. */
const RUNNING_TOOLS = new Set(['run']);

/** Every source file of packages/*, services/* and tools/run (no specs, dist or generated code). */
function sourceFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const top of ['packages', 'services', 'tools']) {
    for (const workspace of readdirSync(join(ROOT, top), { withFileTypes: true })) {
      const src = join(ROOT, top, workspace.name, 'src');
      if (!workspace.isDirectory() || !existsSync(src)) continue;
      if (top === 'tools' && !RUNNING_TOOLS.has(workspace.name)) continue;
      for (const file of walk(src)) {
        const path = relative(ROOT, file).split(sep).join('/');
        if (path !== REGISTRY_FILE)
          files.push({ path, group: workspace.name, text: readFileSync(file, 'utf8') });
      }
    }
  }
  return files;
}

/** The top-level arguments, as source text, of the call whose `(` ends just before `start`. */
function callArguments(text: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = start; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === "'" || char === '"' || char === '`') {
      let end = i + 1;
      while (end < text.length && text[end] !== char) end += text[end] === '\\' ? 2 : 1;
      current += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if (char === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      continue;
    }
    if ('([{'.includes(char)) depth++;
    if (')]}'.includes(char) && depth-- === 0) break;
    if (char === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

/** The value of a plain string literal, or undefined for anything else. */
function literal(source: string | undefined): string | undefined {
  return /^(['"])((?:(?!\1)[^\\]|\\.)*)\1$/s.exec(source?.trim() ?? '')?.[2];
}

const KEY = /^(?:'([^']+)'|"([^"]+)"|([A-Za-z_$][\w$]*))\s*(?::|$)/;

/**
 * The keys of an object literal as written (shorthand included). A spread of an object literal
 * gives its keys; a spread of anything else leaves the keys open.
 */
function objectKeys(source: string): { keys: string[]; open: boolean } {
  if (!source.startsWith('{')) return { keys: [`<not an object: ${source.slice(0, 40)}>`], open: false };
  let open = false;
  const keys = callArguments(source, 1).flatMap((part) => {
    if (!part.startsWith('...')) {
      const key = KEY.exec(part);
      return [key?.[1] ?? key?.[2] ?? key?.[3] ?? `<${part.slice(0, 40)}>`];
    }
    const inner = [...part.matchAll(/\{\s*'([^']+)'\s*:/g)].map((m) => m[1] ?? '');
    if (inner.length === 0) open = true;
    return inner;
  });
  return { keys, open };
}

function* calls(file: SourceFile, pattern: RegExp): Generator<{ match: RegExpExecArray; args: string[] }> {
  for (const match of file.text.matchAll(pattern))
    yield { match, args: callArguments(file.text, (match.index ?? 0) + match[0].length) };
}

const lineOf = (file: SourceFile, index: number | undefined) =>
  `${file.path}:${file.text.slice(0, index).split('\n').length}`;

function metricsInCode(files: readonly SourceFile[]): Found<{ type: string; labels: string[] }>[] {
  return files.flatMap((file) =>
    [...calls(file, /\.(counter|gauge|histogram)\(/g)].map(({ match, args }) => {
      const type = match[1] ?? '';
      const name = literal(args[0]) ?? `<not a literal: ${args[0]}>`;
      // The kit strips _total from counter names and OpenMetrics adds it back.
      const exposed = type === 'counter' ? `${name.replace(/_total$/, '')}_total` : name;
      const labels = [...(args[2] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
      return { key: `${file.group}: ${exposed}`, detail: { type, labels }, where: lineOf(file, match.index) };
    }),
  );
}

function spansInCode(
  files: readonly SourceFile[],
  patternFiles: ReadonlySet<string>,
): { found: Found<null>[]; dynamic: string[] } {
  const found: Found<null>[] = [];
  const dynamic: string[] = [];
  for (const file of files) {
    const wrappers = Object.entries(SPAN_WRAPPERS)
      .filter(([path]) => path.split('/')[1] === file.group)
      .map(([, name]) => name);
    const starts = new RegExp(`\\b(${['startActiveSpan', 'startSpan', ...wrappers].join('|')})\\(`, 'g');
    const mayBeDynamic = patternFiles.has(file.path) || file.path in SPAN_WRAPPERS;
    for (const { match, args } of calls(file, starts)) {
      const name = literal(args[0]);
      if (name !== undefined)
        found.push({ key: `${file.group}: ${name}`, detail: null, where: lineOf(file, match.index) });
      else if (!mayBeDynamic) dynamic.push(lineOf(file, match.index));
    }
    for (const match of file.text.matchAll(/\.updateName\(/g))
      if (!mayBeDynamic) dynamic.push(lineOf(file, match.index));
  }
  return { found, dynamic };
}

type LogSite = Found<{ level: string; fields: string[]; open: boolean }>;

/** pino calls on `logger`, `log`, `x.logger`, `x.log`: `(fields, 'message')` or `('message')`. */
function logsInCode(files: readonly SourceFile[]): LogSite[] {
  const pattern = /\b(?:logger|log)\.(trace|debug|info|warn|error|fatal)\(/g;
  return files.flatMap((file) =>
    [...calls(file, pattern)].flatMap(({ match, args }) => {
      const last = args[args.length - 1] ?? '';
      const ternary = /^[^'"`]+\?\s*('[^']*')\s*:\s*('[^']*')$/s.exec(last);
      const messages = ternary ? [literal(ternary[1]), literal(ternary[2])] : [literal(last)];
      const { keys, open } = args.length > 1 ? objectKeys(args[0] ?? '') : { keys: [], open: false };
      return messages.map((message) => ({
        key: `${file.group}: ${message ?? `<not a literal: ${last.slice(0, 60)}>`}`,
        detail: { level: match[1] ?? '', fields: keys, open },
        where: lineOf(file, match.index),
      }));
    }),
  );
}

/** Attribute keys: every app.* string, and the dotted keys of objects and setAttribute calls. */
function attributesInCode(files: readonly SourceFile[]): Map<string, string> {
  const patterns = [
    /(['"`])(app\.[a-z0-9_.]+)\1/g,
    /setAttribute\(\s*(')([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)'/g,
    /(')([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)'\s*:/g,
  ];
  const found = new Map<string, string>();
  for (const file of files)
    for (const pattern of patterns)
      for (const match of file.text.matchAll(pattern)) {
        const key = match[2] ?? '';
        // gRPC channel options are configuration, not telemetry.
        if (!key.startsWith('grpc.') && !found.has(key)) found.set(key, lineOf(file, match.index));
      }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

function entriesOf<E>(registry: Readonly<Partial<Record<TelemetryGroup, readonly E[]>>>) {
  return Object.entries(registry).flatMap(([group, entries]) => entries.map((entry) => ({ group, entry })));
}

function assertNone(problems: readonly string[], title: string): void {
  if (problems.length) assert.fail(`${title}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

/** Fails naming what the code has and the registry lacks, and what the registry has and the code lost. */
function assertSameNames(signal: string, inCode: readonly Found<unknown>[], inRegistry: readonly string[]) {
  const registered = new Set(inRegistry);
  const coded = new Set(inCode.map((f) => f.key));
  const missing = inCode.filter((f) => !registered.has(f.key)).map((f) => `${f.key}   (${f.where})`);
  assertNone([...new Set(missing)], `${signal} in the code but not in ${REGISTRY_FILE}`);
  assertNone(
    inRegistry.filter((key) => !coded.has(key)),
    `${signal} in ${REGISTRY_FILE} but no longer in the code`,
  );
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const files = sourceFiles();

describe('the telemetry registry', () => {
  it('reads the source files it checks', () => {
    assert.ok(files.some((f) => f.path === 'packages/kit/src/metrics.ts'));
    assert.ok(files.some((f) => f.path.startsWith('services/checkout/src/')));
    assert.ok(!files.some((f) => f.path.endsWith('.spec.ts') || f.path.includes('/gen/')));
  });

  it('lists every metric the code registers, with its type and labels', () => {
    const found = metricsInCode(files);
    const registered = entriesOf(METRICS).filter(({ entry }) => !entry.evidence);
    assertSameNames(
      'Metrics',
      found,
      registered.map(({ group, entry }) => `${group}: ${entry.name}`),
    );
    const mismatches = found.flatMap(({ key, detail, where }) => {
      const entry = registered.find(({ group, entry }) => `${group}: ${entry.name}` === key)?.entry;
      const labels = Object.keys(entry?.labels ?? {});
      return !entry || (entry.type === detail.type && sorted(labels).join() === sorted(detail.labels).join())
        ? []
        : [
            `${key} (${where}): code ${detail.type} [${detail.labels.join(', ')}], ` +
              `registry ${entry.type} [${labels.join(', ')}]`,
          ];
    });
    assertNone(mismatches, 'Metrics whose type or labels differ');
  });

  it("lists every metric a fresh ServiceMetrics exposes: the kit's and the Node.js runtime's", async () => {
    const { body } = await new ServiceMetrics().scrape();
    const exposed = [...body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, family = '', type = '']) => ({
      key: `${type === 'counter' ? `${family}_total` : family} (${type})`,
      detail: null,
      where: 'the /metrics of new ServiceMetrics()',
    }));
    const shared = [...(METRICS.kit ?? []), ...(METRICS.runtime ?? [])];
    assertSameNames(
      'Metrics',
      exposed,
      shared.map((m) => `${m.name} (${m.type})`),
    );
  });

  it('lists every span the code names, and takes span names from variables only in known places', () => {
    const patternFiles = new Set(entriesOf(SPANS).flatMap(({ entry }) => entry.evidence?.file ?? []));
    const { found, dynamic } = spansInCode(files, patternFiles);
    assertSameNames(
      'Spans',
      found,
      entriesOf(SPANS)
        .filter(({ entry }) => !entry.evidence)
        .map(({ group, entry }) => `${group}: ${entry.name}`),
    );
    assertNone(dynamic, 'Span names that are neither literals nor a pattern in registry.ts citing the file');
  });

  it('lists every log message the code writes, with its level and fields', () => {
    const found = logsInCode(files);
    const registered = entriesOf(LOG_EVENTS).filter(({ entry }) => !entry.evidence);
    assertSameNames(
      'Log messages',
      found,
      registered.map(({ group, entry }) => `${group}: ${entry.message}`),
    );
    const mismatches = registered.flatMap(({ group, entry }) => {
      const sites = found.filter((f) => f.key === `${group}: ${entry.message}`);
      const levels = sorted(sites.map((s) => s.detail.level));
      const fields = sorted(sites.flatMap((s) => s.detail.fields));
      // Fields spread from a variable cannot be read here: the registry may name more.
      const open = sites.some((s) => s.detail.open);
      const sameFields = open
        ? fields.every((f) => entry.fields.includes(f))
        : fields.join() === sorted(entry.fields).join();
      return sites.length === 0 || (levels.join() === entry.level && sameFields)
        ? []
        : [
            `${group}: ${entry.message} (${sites.map((s) => s.where).join(', ')}): ` +
              `code ${levels.join('/')} [${fields.join(', ')}${open ? ', …' : ''}], ` +
              `registry ${entry.level} [${sorted(entry.fields).join(', ')}]`,
          ];
    });
    assertNone(mismatches, 'Log events whose level or fields differ');
  });

  it('lists every attribute of our own the code sets, and only those', () => {
    const found = attributesInCode(files);
    const conventions = new Set(CONVENTION_ATTRIBUTES);
    const ours = [...found]
      .filter(([key]) => !conventions.has(key))
      .map(([key, where]) => ({ key, detail: null, where }));
    assertSameNames(
      'Attributes',
      ours,
      ATTRIBUTES.map((a) => a.name),
    );
    assertNone(
      CONVENTION_ATTRIBUTES.filter((name) => !found.has(name)),
      'Convention attributes in registry.ts that the code no longer sets',
    );
  });

  it('describes every attribute its spans and log events name', () => {
    const known = new Set([
      ...ATTRIBUTES.map((a) => a.name),
      ...CONVENTION_ATTRIBUTES,
      ...INSTRUMENTATION_ATTRIBUTES,
    ]);
    const named = [
      ...entriesOf(SPANS).flatMap(({ entry }) => entry.attributes),
      ...entriesOf(LOG_EVENTS).flatMap(({ entry }) => entry.fields.filter((field) => field.includes('.'))),
    ];
    assertNone(
      sorted(named.filter((name) => !known.has(name))),
      'Attributes named by entries but described nowhere in registry.ts',
    );
  });

  it('still finds the code behind every name made by an instrumentation, a library or a template', () => {
    const cited: { name: string; evidence: Evidence }[] = [
      ...[...entriesOf(METRICS), ...entriesOf(SPANS)].map(({ entry }) => ({
        name: entry.name,
        evidence: entry.evidence,
      })),
      ...entriesOf(LOG_EVENTS).map(({ entry }) => ({ name: entry.message, evidence: entry.evidence })),
    ].flatMap(({ name, evidence }) => (evidence ? [{ name, evidence }] : []));
    const lost = cited
      .filter(({ evidence: { file, text } }) => {
        const path = join(ROOT, file);
        return !existsSync(path) || !readFileSync(path, 'utf8').includes(text);
      })
      .map(({ name, evidence: { file, text } }) => `${name}: "${text}" is no longer in ${file}`);
    assertNone(lost, 'Registry entries whose code is gone');
  });

  it('names each entry once per group, and says who emits the shared ones', () => {
    const keys = [
      ...entriesOf(METRICS).map(({ group, entry }) => `metric ${group}: ${entry.name}`),
      ...entriesOf(SPANS).map(({ group, entry }) => `span ${group}: ${entry.name} (${entry.kind})`),
      ...entriesOf(LOG_EVENTS).map(({ group, entry }) => `log ${group}: ${entry.message}`),
      ...ATTRIBUTES.map((a) => `attribute ${a.name}`),
    ];
    assertNone(
      keys.filter((key, index) => keys.indexOf(key) !== index),
      'Registered twice',
    );
    const shared = [...entriesOf(METRICS), ...entriesOf(SPANS), ...entriesOf(LOG_EVENTS)]
      .filter(({ group, entry }) => (group === 'kit' || group === 'runtime') && !entry.emittedBy)
      .map(({ entry }) => JSON.stringify(entry).slice(0, 60));
    assertNone(shared, 'Kit and runtime entries without emittedBy');
  });

  it('keeps user ids, emails, order ids, sessions, cards and tokens out of metric labels', () => {
    const offending = entriesOf(METRICS).flatMap(({ group, entry }) =>
      Object.keys(entry.labels)
        .filter((label) => FORBIDDEN_LABELS.some((word) => label.includes(word)))
        .map((label) => `${group}: ${entry.name}{${label}}`),
    );
    assertNone(
      offending,
      'Metric labels that would carry user ids, emails, order ids, sessions, cards or tokens',
    );
  });

  it('is frozen', () => {
    assert.ok(Object.isFrozen(METRICS) && Object.isFrozen(METRICS.checkout?.[0]?.labels));
    assert.ok(Object.isFrozen(SPANS.kit?.[0]?.attributes) && Object.isFrozen(ATTRIBUTES[0]));
  });

  it('matches the committed docs/telemetry.md', () => {
    const committed = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
    assert.ok(
      committed === renderTelemetryDoc(),
      'docs/telemetry.md differs from the registry: run `npm run telemetry:doc`',
    );
  });
});

describe('the registry scanner', () => {
  const file = (text: string, group = 'x'): SourceFile => ({
    path: `services/${group}/src/a.ts`,
    group,
    text,
  });

  it("reads pino's (fields, 'message') and ('message') forms, both sides of a ternary, and spreads", () => {
    const found = logsInCode([
      file(
        "call.logger.info({ 'app.order.id': id, outcome, n: f(a, b) }, 'order placed');\n" +
          "this.logger.info('stopped');\n" +
          "request.log.warn({ created }, created ? 'made' : 'found');\n" +
          "logger.info({ ...settings, ...(e ? { 'error.message': e } : {}) }, 'set');\n" +
          'logger.error({ err }, `failed ${x}`);',
      ),
    ]);
    assert.deepEqual(
      found.map((f) => [f.key, f.detail.level, f.detail.fields.join(), f.detail.open]),
      [
        ['x: order placed', 'info', 'app.order.id,outcome,n', false],
        ['x: stopped', 'info', '', false],
        ['x: made', 'warn', 'created', false],
        ['x: found', 'warn', 'created', false],
        ['x: set', 'info', 'error.message', true],
        ['x: <not a literal: `failed ${x}`>', 'error', 'err', false],
      ],
    );
  });

  it("reads span names from tracer calls and the workspace's wrappers, and flags names from variables", () => {
    const text =
      "tracer.startActiveSpan('cache lookup', fn);\nstep(\n  'get cart', fn);\ntracer.startSpan(name);";
    const { found, dynamic } = spansInCode([file(text, 'checkout'), file(text)], new Set());
    assert.deepEqual(
      found.map((f) => f.key),
      ['checkout: cache lookup', 'checkout: get cart', 'x: cache lookup'],
    );
    assert.deepEqual(dynamic, ['services/checkout/src/a.ts:4', 'services/x/src/a.ts:4']);
    assert.deepEqual(spansInCode([file(text)], new Set(['services/x/src/a.ts'])).dynamic, []);
  });

  it('reads metric names as exposed, with their labels', () => {
    const found = metricsInCode([
      file("metrics.counter('orders_persisted', 'Help, with a comma.', ['result']);\nm.gauge('g', 'h', []);"),
    ]);
    assert.deepEqual(
      found.map((f) => [f.key, f.detail.type, f.detail.labels.join()]),
      [
        ['x: orders_persisted_total', 'counter', 'result'],
        ['x: g', 'gauge', ''],
      ],
    );
  });
});
