import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceName } from '@glasshouse/kit';
import { adminAddressVariable } from '@glasshouse/kit';
import { ServiceProcess, freePort, waitFor } from '@glasshouse/kit/testing';
import { parse, stringify } from 'yaml';
import { prometheusConfig, toYaml } from '../../tools/run/src/prometheus-config.js';
import type { ScrapedService } from '../../tools/run/src/prometheus-config.js';
import type { AlertWebhook, PrometheusAlert, RunningAlertmanager, RunningPrometheus } from './alerting.js';
import { startAlertWebhook, startAlertmanager, startPrometheus } from './alerting.js';

/**
 * The shop's alerting for an end-to-end test: deploy/prometheus/rules loaded into a real
 * Prometheus scraping the given services every two seconds, alerts to a real Alertmanager with the
 * embedded run's configuration, delivered to a webhook the test reads.
 *
 * `timeScale` compresses the rules' clock: every `for` and every range window is divided by it
 * (5m → 50 s at 6), so a test sees in one minute what the rules would do in six. The
 * thresholds, expressions and their order of firing are untouched; promtool's tests check the
 * real durations.
 */

const ROOT = join(__dirname, '..', '..');
const RULES = join(ROOT, 'deploy', 'prometheus', 'rules');
const EMBEDDED_ALERTMANAGER = join(ROOT, 'deploy', 'alertmanager', 'alertmanager.yml');
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};

/** A Prometheus duration divided by `scale`, in milliseconds (Prometheus accepts `ms`). */
export function scaledDuration(duration: string, scale: number): string {
  let seconds = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)(ms|[smhdw])/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  return `${Math.max(1, Math.round((seconds * 1000) / scale))}ms`;
}

interface RawRule {
  expr: string;
  for?: string;
}

/** Every rule file of deploy/prometheus/rules with its durations divided by `scale`, written to `dir`. */
export function scaledRuleFiles(dir: string, scale: number): string[] {
  mkdirSync(dir, { recursive: true });
  return readdirSync(RULES)
    .filter((file) => file.endsWith('.yml'))
    .map((file) => {
      const content = parse(readFileSync(join(RULES, file), 'utf8')) as { groups: { rules: RawRule[] }[] };
      for (const rule of content.groups.flatMap((group) => group.rules)) {
        rule.expr = rule.expr.replace(
          /\[((?:\d+(?:ms|[smhdw]))+)\]/g,
          (_, range: string) => `[${scaledDuration(range, scale)}]`,
        );
        if (rule.for) rule.for = scaledDuration(rule.for, scale);
      }
      const path = join(dir, file);
      writeFileSync(path, stringify(content, { lineWidth: 0 }));
      return path;
    });
}

export interface AlertingStackOptions {
  readonly scraped: readonly ScrapedService[];
  /** How many times faster than real time the rules run; 1 by default. */
  readonly timeScale?: number;
  /**
   * How often Prometheus scrapes and evaluates, and each scrape's timeout; 2s by default. A busy
   * machine answers /metrics slower than a second now and then (ad-cpu-burn blocks ad's event
   * loop 300 ms of every 500), and every timed-out scrape is a gap that restarts an alert's
   * `for` or, ten seconds of them at ×6, fires TargetDown. The shortest window of the rules at
   * ×6 (5m ÷ 6 = 50 s) still holds 25 samples.
   */
  readonly scrapeInterval?: string;
}

export interface AlertingStack {
  readonly prometheus: RunningPrometheus;
  readonly alertmanager: RunningAlertmanager;
  readonly webhook: AlertWebhook;
  /** Alerts Prometheus holds now, Watchdog left out. */
  activeAlerts(): Promise<PrometheusAlert[]>;
  stop(): Promise<void>;
}

export async function startAlertingStack(options: AlertingStackOptions): Promise<AlertingStack> {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-rules-'));
  const webhook = await startAlertWebhook();
  let alertmanager: RunningAlertmanager | undefined;
  let prometheus: RunningPrometheus | undefined;
  const stop = async () => {
    await Promise.all([prometheus?.stop(), alertmanager?.stop()]);
    await webhook.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The embedded run's routing, delivering to this webhook without waiting to group.
    const config = readFileSync(EMBEDDED_ALERTMANAGER, 'utf8')
      .replace(/url: \S+/, `url: ${webhook.url}`)
      .replace(/group_wait: \S+/, 'group_wait: 0s')
      .replace(/group_interval: \S+/, 'group_interval: 1s');
    alertmanager = await startAlertmanager(config);
    const ruleFiles = scaledRuleFiles(join(dir, 'rules'), options.timeScale ?? 1);
    prometheus = await startPrometheus(
      toYaml(
        prometheusConfig(options.scraped, {
          scrapeInterval: options.scrapeInterval ?? '2s',
          ruleFiles,
          alertmanagerUrl: alertmanager.url,
        }),
      ),
    );
    const running = prometheus;
    await waitFor(async () => (await running.alerts()).some((a) => a.labels.alertname === 'Watchdog'), {
      timeoutMs: 15_000,
      what: 'the rules loaded (Watchdog active)',
    });
    return {
      prometheus: running,
      alertmanager,
      webhook,
      activeAlerts: async () => (await running.alerts()).filter((a) => a.labels.alertname !== 'Watchdog'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Shoppers driving a shop, and every target Prometheus must scrape: the shop's and theirs. */
export interface Shoppers {
  readonly loadgen: ServiceProcess;
  readonly scraped: ScrapedService[];
  /** Journeys the shoppers finished so far, by journey (the load generator's GET /status). */
  journeysDone(): Promise<Partial<Record<string, number>>>;
}

/**
 * The load generator as a process of its own against `shop`, ready once it serves /metrics;
 * `env` adds to its variables (FLAGS_FILE, for the traffic-surge scenario).
 */
export async function startShoppers(
  shop: {
    readonly url: string;
    readonly admin: Readonly<Partial<Record<ServiceName, string>>>;
  },
  env: Readonly<Record<string, string>> = {},
): Promise<Shoppers> {
  const admin = `127.0.0.1:${await freePort()}`;
  const loadgen = new ServiceProcess('loadgen', join(ROOT, 'services', 'loadgen', 'dist', 'main.js'), {
    LOADGEN_TARGET_URL: shop.url,
    [adminAddressVariable('loadgen')]: admin,
    LOG_LEVEL: 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    ...env,
  }).start();
  await loadgen.ready(`http://${admin}/metrics`, 30_000);
  const scraped = Object.entries({ ...shop.admin, loadgen: `http://${admin}` }).map(([name, url]) => {
    const { hostname, port } = new URL(url ?? '');
    return { name, adminHost: hostname, adminPort: Number(port) };
  });
  const journeysDone = async () => {
    const status = (await (await fetch(`http://${admin}/status`)).json()) as {
      counts: { journeys: Partial<Record<string, number>> };
    };
    return status.counts.journeys;
  };
  return { loadgen, scraped, journeysDone };
}
