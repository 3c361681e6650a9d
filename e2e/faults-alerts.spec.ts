import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { ScenarioName, ScenarioValues, ServiceName } from '@glasshouse/kit';
import { FlagControl, allOffDocument, renderFlagsDocument } from '@glasshouse/kit';
import type { ServiceProcess } from '@glasshouse/kit/testing';
import { OtlpReceiver, waitFor } from '@glasshouse/kit/testing';
import type { ProcessShop } from '@glasshouse/testing';
import { startProcessShop } from '@glasshouse/testing';
import type { Signature } from '../tools/faults/src/answer-key.js';
import { ANSWER_KEY } from '../tools/faults/src/answer-key.js';
import type { AlertingStack } from './support/alerting-stack.js';
import { startAlertingStack, startShoppers } from './support/alerting-stack.js';

/**
 * The answer key proven end to end: the shop as processes reading one flags file, the load
 * generator, a real Prometheus and Alertmanager (rules six times faster than real time) and an
 * OTLP receiver. Scenarios whose signatures do not overlap are switched on side by side; each
 * must cross its PromQL threshold, log its event, export its span and deliver every alert the
 * key lists; no alert outside the keys of the scenarios on may fire; switched off, the alerts
 * resolve (the SLO burn pages outlast a test, as in e2e/alerts.spec.ts, and are not awaited).
 */

const TIME_SCALE = 6;
const TOKEN = 'e2e-admin-token';

/**
 * Proven side by side in one shop. Not here: cart-store-outage and currency-errors stop the
 * journeys before checkout (nothing reaches payment, orders or email); recommendation-leak
 * needs a small heap limit; catalog-slow, payment-unreachable and traffic-surge await a shop
 * of their own (e2e/faults-hooks.spec.ts proves their hooks).
 */
const SIDE_BY_SIDE: readonly ScenarioName[] = [
  'payment-failure',
  'product-drained',
  'ad-cpu-burn',
  'orders-db-slow',
  'email-backlog',
];

const SLO_PAGES = /BudgetBurn\{/;
const signatureOf = (scenario: ScenarioName): Signature => {
  const entry = ANSWER_KEY[scenario];
  if ('pending' in entry) throw new Error(`${scenario} has no signature`);
  return entry;
};

describe('failure scenarios, end to end against their answer key', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'glasshouse-faults-'));
  const flagsFile = join(dir, 'flags.json');
  const control = new FlagControl({ flagsFile, auditFile: join(dir, 'audit.jsonl'), adminToken: TOKEN });
  const receiver = new OtlpReceiver();
  let shop: ProcessShop;
  let loadgen: ServiceProcess;
  let stack: AlertingStack;

  before(async () => {
    writeFileSync(flagsFile, renderFlagsDocument(allOffDocument()));
    const otlp = await receiver.start();
    shop = await startProcessShop({
      logLevel: 'info',
      otlpEndpoint: otlp,
      env: { FLAGS_FILE: flagsFile },
      readyTimeoutMs: 120_000,
    });
    const shoppers = await startShoppers(shop);
    loadgen = shoppers.loadgen;
    stack = await startAlertingStack({ scraped: shoppers.scraped, timeScale: TIME_SCALE });
  });

  after(async () => {
    await stack?.stop();
    await loadgen?.stop();
    await shop?.stop();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const provenHere = new Set<string>();

  /** Switches `scenarios` on side by side, checks every signature, switches them off and awaits the resolutions. */
  async function prove(
    scenarios: readonly ScenarioName[],
    values: Partial<Record<ScenarioName, ScenarioValues>> = {},
  ): Promise<void> {
    const expected = new Map(scenarios.map((s) => [s, signatureOf(s)]));
    const key = (alert: string, service: string | undefined) => `${alert}{service=${service ?? ''}}`;
    const required = [...expected.values()].flatMap((s) => s.alerts.map((a) => key(a.alert, a.service)));
    const allowed = new Set([
      ...required,
      ...[...expected.values()].flatMap((s) => (s.follows ?? []).map((a) => key(a.alert, a.service))),
    ]);
    // What an earlier proof in this shop set off may still fire (an SLO page outlasts its cause,
    // a stock gauge settles): it is in that proof's key, not this one's.
    for (const earlier of provenHere) allowed.add(earlier);
    for (const alert of await stack.activeAlerts()) {
      if (alert.state === 'firing')
        allowed.add(key(alert.labels['alertname'] ?? '', alert.labels['service']));
    }
    for (const alert of allowed) provenHere.add(alert);
    const unexpected = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const alert of await stack.activeAlerts().catch(() => [])) {
          const name = key(alert.labels['alertname'] ?? '', alert.labels['service']);
          if (alert.state === 'firing' && !allowed.has(name)) unexpected.add(name);
        }
        await delay(1_000);
      }
    })();

    try {
      await switchOnAndCheck();
    } finally {
      // Always: a watcher left polling would keep the test process alive after a failure.
      watching = false;
      await watcher;
    }
    assert.deepEqual([...unexpected], [], 'alerts outside the answer key fired');

    async function switchOnAndCheck(): Promise<void> {
      const since = Date.now();
      for (const scenario of scenarios) control.switch(TOKEN, 'e2e', scenario, true, values[scenario]);
      const report: string[] = [];
      try {
        const crossed = new Map<string, number>();
        const firedAt = new Map<string, number>();
        const delivered = ({ alert, service }: { alert: string; service: string }) =>
          stack.webhook.delivered.find(
            (a) =>
              a.status === 'firing' && a.labels['alertname'] === alert && a.labels['service'] === service,
          );
        let missing: string[] = [];
        const deadline = Date.now() + 240_000;
        do {
          for (const [scenario, { promql, alerts }] of expected) {
            if (!crossed.has(scenario)) {
              const value = await stack.prometheus.query(promql.expr).catch(() => undefined);
              const over =
                value !== undefined &&
                (promql.op === '>' ? value > promql.threshold : value < promql.threshold);
              if (over) crossed.set(scenario, Date.now());
            }
            for (const alert of alerts) {
              const found = delivered(alert);
              if (found && !firedAt.has(`${scenario}/${alert.alert}`)) {
                firedAt.set(`${scenario}/${alert.alert}`, found.receivedAt);
              }
            }
          }
          missing = [...expected].flatMap(([scenario, { alerts }]) => [
            ...(crossed.has(scenario) ? [] : [`${scenario}: PromQL`]),
            ...alerts
              .filter((a) => !firedAt.has(`${scenario}/${a.alert}`))
              .map((a) => `${scenario}: ${a.alert}`),
          ]);
          if (missing.length > 0) await delay(1_000);
        } while (missing.length > 0 && Date.now() < deadline);
        for (const [scenario, { alerts }] of expected) {
          const times = alerts.map(
            (a) =>
              `${a.alert} ${(((firedAt.get(`${scenario}/${a.alert}`) ?? since) - since) / 1000).toFixed(0)} s`,
          );
          report.push(
            `${scenario}: PromQL crossed ${(((crossed.get(scenario) ?? since) - since) / 1000).toFixed(0)} s, alerts ${times.join(', ')}`,
          );
        }

        for (const [scenario, { log, span }] of expected) {
          if (log && !shop.logs(log.service as ServiceName).some((line) => line['message'] === log.message)) {
            missing.push(`${scenario}: log "${log.message}" from ${log.service}`);
          }
          if (!span) continue;
          const found = receiver.spans.some(
            (s) =>
              s.serviceName === span.service &&
              s.name === span.name &&
              (span.status !== 'ERROR' || s.status?.code === 2) &&
              Object.entries(span.attributes ?? {}).every(([k, v]) => s.attributes[k] === v),
          );
          if (!found) missing.push(`${scenario}: span ${span.name} (${span.status}) from ${span.service}`);
        }
        assert.deepEqual(missing, [], 'not seen within 240 s');
      } finally {
        control.allOff(TOKEN, 'e2e');
        process.stdout.write(`# switch-on to alert:\n${report.map((l) => `#   ${l}`).join('\n')}\n`);
        process.stdout.write(`# outside the key so far: ${[...unexpected].join(', ') || 'none'}\n`);
      }

      const resolving = required.filter((alert) => !SLO_PAGES.test(alert));
      await waitFor(
        () =>
          resolving.every((alert) =>
            stack.webhook.delivered.some(
              (a) =>
                a.status === 'resolved' && key(a.labels['alertname'] ?? '', a.labels['service']) === alert,
            ),
          ),
        { timeoutMs: 150_000, intervalMs: 1_000, what: `resolved: ${resolving.join(', ')}` },
      );
    }
  }

  it('proves side by side the scenarios that do not stop each other’s traffic', async () => {
    await prove(SIDE_BY_SIDE);
  });

  it('proves trace-export-failure alone (it takes every span with it)', async () => {
    await prove(['trace-export-failure']);
  });

  it('proves a failing page beside orders failing after the charge', async () => {
    // A share of the product pages only, so journeys still reach checkout.
    await prove(['frontend-route-errors', 'orders-fail-after-charge'], {
      'frontend-route-errors': { rate: 0.3, route: '/product/:id' },
    });
  });
});
