import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { envReader } from '../config.js';
import { createLogger } from '../logging.js';
import { ServiceMetrics } from '../metrics.js';
import { waitFor } from '../wait.js';
import { FlagdFeatureFlags, FixedFeatureFlags, flagSourceFrom, openFeatureFlags } from './feature-flags.js';
import { allOffDocument, renderFlagsDocument, withSetting } from './flags-file.js';

const dir = mkdtempSync(join(tmpdir(), 'glasshouse-flags-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ serviceName: 'payment', level: 'info', destination }), lines };
}

const paymentFailureAt = (rate: number) =>
  renderFlagsDocument(withSetting(allOffDocument(), 'payment-failure', { on: true, values: { rate } }));

async function flagState(metrics: ServiceMetrics, flag: string): Promise<number | undefined> {
  const gauge = await metrics.registry.getSingleMetric('glasshouse_feature_flag_state')?.get();
  return gauge?.values.find((v) => v.labels['flag'] === flag)?.value;
}

/**
 * Writes the flags file until `done`: fs.watchFile, which the provider uses, takes its first look
 * in the background, and a write before that look is never seen as a change.
 */
const writeUntil = (path: string, text: string, done: () => boolean, what: string) =>
  waitFor(
    () => {
      if (done()) return true;
      writeFileSync(path, text);
      return false;
    },
    { timeoutMs: 20_000, intervalMs: 250, what },
  );

describe('feature flags from a flagd file (in-process provider)', () => {
  it('reads the scenarios that are on, follows edits, and keeps the last good flags when the file breaks', async () => {
    const path = join(dir, 'flags.json');
    writeFileSync(path, paymentFailureAt(0.25));
    const { logger, lines } = capturedLogger();
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const flags = new FlagdFeatureFlags({ kind: 'file', path }, logger, metrics);
    try {
      await flags.ready;
      assert.equal(flags.isOn('payment-failure'), true);
      assert.equal(flags.number('payment-failure', 'rate', 0), 0.25);
      assert.equal(flags.isOn('catalog-slow'), false);
      assert.equal(await flagState(metrics, 'payment-failure'), 1);
      assert.equal(await flagState(metrics, 'catalog-slow'), 0);

      await writeUntil(
        path,
        paymentFailureAt(0.75),
        () => flags.number('payment-failure', 'rate', 0) === 0.75,
        'the edited rate',
      );

      await writeUntil(
        path,
        '{ "flags": { "payment-failure": ',
        () => lines.some((l) => l['message'] === 'feature flag provider error'),
        'the malformed file logged',
      );
      assert.equal(flags.isOn('payment-failure'), true, 'the last good flags stay');
      assert.equal(flags.number('payment-failure', 'rate', 0), 0.75);

      await writeUntil(
        path,
        renderFlagsDocument(allOffDocument()),
        () => !flags.isOn('payment-failure'),
        'switched off',
      );
      assert.equal(await flagState(metrics, 'payment-failure'), 0);
      assert.ok(
        lines.some((l) => l['message'] === 'feature flag changed' && l['feature_flag.variant'] === 'off'),
      );
    } finally {
      await flags.close();
    }
  });

  it('runs a game day’s hidden scenario with neither its gauge nor a log line telling of it', async () => {
    const path = join(dir, 'gameday.json');
    const hiddenAt = (rate: number) =>
      renderFlagsDocument(
        withSetting(allOffDocument(), 'payment-failure', { on: true, values: { rate }, hidden: true }),
      );
    writeFileSync(path, renderFlagsDocument(allOffDocument()));
    const { logger, lines } = capturedLogger();
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const flags = new FlagdFeatureFlags({ kind: 'file', path }, logger, metrics);
    try {
      await flags.ready;
      await writeUntil(path, hiddenAt(0.5), () => flags.isOn('payment-failure'), 'the hidden scenario on');
      assert.equal(flags.isHidden('payment-failure'), true);
      assert.equal(flags.number('payment-failure', 'rate', 0), 0.5);
      assert.equal(await flagState(metrics, 'payment-failure'), 0);

      await writeUntil(
        path,
        renderFlagsDocument(allOffDocument()),
        () => !flags.isOn('payment-failure'),
        'switched off',
      );
      assert.equal(flags.isHidden('payment-failure'), false);
      assert.deepEqual(
        lines.filter((l) => l['message'] === 'feature flag changed'),
        [],
        'a log line named the hidden flag',
      );

      await writeUntil(
        path,
        paymentFailureAt(0.5),
        () => flags.isOn('payment-failure'),
        'switched on openly',
      );
      assert.equal(flags.isHidden('payment-failure'), false);
      assert.equal(await flagState(metrics, 'payment-failure'), 1);
    } finally {
      await flags.close();
    }
  });

  it('starts with every scenario off when the file is malformed from the start', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, 'not json');
    const { logger, lines } = capturedLogger();
    const flags = new FlagdFeatureFlags(
      { kind: 'file', path },
      logger,
      new ServiceMetrics({ defaultMetrics: false }),
    );
    try {
      await flags.ready;
      assert.equal(flags.isOn('payment-failure'), false);
      assert.ok(lines.some((l) => l['message'] === 'feature flag provider error'));
    } finally {
      await flags.close();
    }
  });
});

describe('flag sources', () => {
  it('prefers FLAGS_FILE, then FLAGD_HOST, else none (everything off)', async () => {
    assert.deepEqual(flagSourceFrom(envReader({ FLAGS_FILE: '/x.json', FLAGD_HOST: 'flagd' })), {
      kind: 'file',
      path: '/x.json',
    });
    assert.deepEqual(flagSourceFrom(envReader({ FLAGD_HOST: 'flagd' })), {
      kind: 'flagd',
      host: 'flagd',
      port: 8015,
    });
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    const opened = openFeatureFlags(envReader({}), capturedLogger().logger, metrics);
    assert.equal(opened.flags.isOn('payment-failure'), false);
    assert.equal(await flagState(metrics, 'traffic-surge'), 0);
  });

  it('fixed flags answer what they were set to', () => {
    const flags = new FixedFeatureFlags();
    flags.set('product-drained', { product: 'L9ECAV7KIM' });
    assert.equal(flags.text('product-drained', 'product', 'OLJCESPC7Z'), 'L9ECAV7KIM');
    assert.equal(flags.number('product-drained', 'rate', 1), 1);
    flags.set('product-drained', undefined);
    assert.equal(flags.isOn('product-drained'), false);
  });
});
