import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { ServiceMetrics } from '@glasshouse/kit';
import type { ServiceProcess } from '@glasshouse/kit/testing';
import { waitFor } from '@glasshouse/kit/testing';
import type { ProcessShop, ShopClients } from '@glasshouse/testing';
import {
  EXPIRED_CARD,
  dialer,
  fillCart,
  newShopper,
  orderRequest,
  shopClients,
  startProcessShop,
} from '@glasshouse/testing';
import { JOURNEY_NAMES } from '../services/loadgen/src/journeys.js';
import type { AlertingStack } from './support/alerting-stack.js';
import { startAlertingStack, startShoppers } from './support/alerting-stack.js';
import type { SlowLink } from './support/slow-link.js';
import { startSlowLink } from './support/slow-link.js';

/**
 * The shop, a real Prometheus and a real Alertmanager: under the default traffic nothing but
 * the Watchdog fires; four conditions caused for real each bring their alert Pending → Firing →
 * delivered, and resolved once the condition ends. The rules run six times faster than real
 * time (alerting-stack.ts: every `for` and range window divided by 6), so 5m reads 50 s.
 */

const TIME_SCALE = 6;
const STEADY_MS = 75_000;
const DRAINED = 'L9ECAV7KIM';
const DECLINED_WITH = '9SIQT8TOJO';

interface Expected {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly severity: string;
  readonly cause: keyof Causes;
  /** An SLO page stays up while its 30 m window holds the burn (5 min at ×6): not awaited. */
  readonly outlasts?: boolean;
}
type Causes = { killed: number; declined: number; drained: number; slowed: number };

const EXPECTED: readonly Expected[] = [
  { name: 'TargetDown', labels: { service: 'ad' }, severity: 'page', cause: 'killed' },
  { name: 'PaymentDeclineRatioHigh', labels: { service: 'payment' }, severity: 'ticket', cause: 'declined' },
  {
    name: 'OutOfStock',
    labels: { service: 'inventory', product_id: DRAINED },
    severity: 'ticket',
    cause: 'drained',
  },
  { name: 'LowStock', labels: { service: 'inventory' }, severity: 'ticket', cause: 'drained' },
  { name: 'LatencyP99High', labels: { service: 'checkout' }, severity: 'ticket', cause: 'slowed' },
  {
    name: 'CheckoutLatencyBudgetBurn',
    labels: { service: 'checkout', slo: 'checkout-latency' },
    severity: 'page',
    cause: 'slowed',
    outlasts: true,
  },
];

const matches = (labels: Readonly<Record<string, string>>, expected: Expected): boolean =>
  labels.alertname === expected.name &&
  labels.severity === expected.severity &&
  Object.entries(expected.labels).every(([key, value]) => labels[key] === value);

describe('alerts, end to end', { timeout: 360_000 }, () => {
  let shop: ProcessShop;
  let link: SlowLink;
  let loadgen: ServiceProcess;
  let stack: AlertingStack;
  let clients: ShopClients;
  const opened: { close(): void }[] = [];

  before(async () => {
    // No supplier deliveries, so a drained product stays drained; the shelves are stocked below.
    shop = await startProcessShop({
      logLevel: 'warn',
      env: { INVENTORY_RESTOCK_INTERVAL_MS: '0' },
      readyTimeoutMs: 120_000,
    });
    // Checkout reaches shipping through a link the test can slow down.
    link = await startSlowLink(shop.addresses.shipping ?? '');
    await shop.restart('checkout', { SHIPPING_ADDR: link.address });
    clients = shopClients(
      dialer({
        addresses: shop.addresses,
        metrics: new ServiceMetrics({ defaultMetrics: false }),
        deadlineMs: 10_000,
        opened,
      }),
    );
    const { products } = await clients.catalog.listProducts({});
    for (const { id } of products) {
      const [level] = (await clients.inventory.getStock({ productIds: [id] })).levels;
      await clients.inventory.setStock({
        productId: id,
        quantity: 5_000,
        lowStockThreshold: level?.lowStockThreshold ?? 10,
      });
    }
    const shoppers = await startShoppers(shop);
    loadgen = shoppers.loadgen;
    // The first pages of a fresh shop are slow while its code compiles: Prometheus starts once
    // the shoppers have walked every journey, so every page and call behind it has run.
    await waitFor(
      async () => {
        const done = await shoppers.journeysDone();
        return JOURNEY_NAMES.every((journey) => (done[journey] ?? 0) > 0);
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'the shoppers walked every journey once' },
    );
    stack = await startAlertingStack({ scraped: shoppers.scraped, timeScale: TIME_SCALE });
  });

  after(async () => {
    for (const client of opened) client.close();
    await stack?.stop();
    await loadgen?.stop();
    await shop?.stop();
    await link?.close();
  });

  it('evaluates every rule healthily and fires nothing but the Watchdog under the default traffic, and delivers the Watchdog', async () => {
    const fired = new Set<string>();
    const until = Date.now() + STEADY_MS;
    while (Date.now() < until) {
      for (const alert of await stack.activeAlerts()) {
        if (alert.state === 'firing') fired.add(JSON.stringify(alert.labels));
      }
      await delay(1_000);
    }
    assert.deepEqual([...fired], [], 'alerts fired under normal traffic');
    // Every rule evaluated on the shop's real series without an error (Prometheus' /rules page).
    const rules = await stack.prometheus.rules();
    assert.ok(rules.length > 60, `only ${rules.length} rules loaded`);
    assert.deepEqual(
      rules
        .filter((rule) => rule.health !== 'ok')
        .map((rule) => `${rule.group}/${rule.name}: ${rule.lastError ?? rule.health}`),
      [],
    );
    assert.ok(
      stack.webhook.delivered.some((a) => a.labels.alertname === 'Watchdog' && a.status === 'firing'),
    );
    assert.deepEqual(
      stack.webhook.delivered.filter((a) => a.labels.alertname !== 'Watchdog').map((a) => a.labels.alertname),
      [],
    );
  });

  it('sees a killed service, declined cards, a drained product and a slow dependency through Pending, Firing, delivery and resolution', async () => {
    const seen = new Map<string, { pending?: number; firing?: number }>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const alerts = await stack.activeAlerts().catch(() => []);
        for (const alert of alerts) {
          const expected = EXPECTED.find((e) => matches(alert.labels, e));
          if (!expected) continue;
          const times = seen.get(expected.name) ?? {};
          times[alert.state] ??= Date.now();
          seen.set(expected.name, times);
        }
        await delay(250);
      }
    })();

    try {
      let declining = true;
      let ended = 0;
      const decline = async () => {
        while (declining) {
          const userId = newShopper('declined');
          await fillCart(clients, userId, [[DECLINED_WITH, 1]]);
          await clients.checkout
            .placeOrder(orderRequest(userId, { creditCard: { ...EXPIRED_CARD } }))
            .catch(() => undefined);
        }
      };
      const causes: Causes = { killed: Date.now(), declined: 0, drained: 0, slowed: 0 };
      await shop.process('ad').stop();
      causes.declined = Date.now();
      const decliners = [decline(), decline(), decline()];
      causes.drained = Date.now();
      const [drained] = (await clients.inventory.getStock({ productIds: [DRAINED] })).levels;
      const threshold = drained?.lowStockThreshold ?? 10;
      await clients.inventory.setStock({ productId: DRAINED, quantity: 0, lowStockThreshold: threshold });
      causes.slowed = Date.now();
      // Over 1 s for every call through shipping: a declined order asks for a quote only.
      link.delayMs = 1_200;

      const firingAt = (e: Expected) =>
        stack.webhook.delivered.find((a) => a.status === 'firing' && matches(a.labels, e));
      const resolvedAt = (e: Expected) =>
        stack.webhook.delivered.find((a) => a.status === 'resolved' && matches(a.labels, e));
      try {
        await waitFor(() => EXPECTED.every(firingAt), {
          timeoutMs: 150_000,
          intervalMs: 250,
          what: `every expected alert delivered (missing: ${EXPECTED.filter((e) => !firingAt(e))
            .map((e) => e.name)
            .join(', ')})`,
        });
      } finally {
        ended = Date.now();
        declining = false;
        link.delayMs = 0;
        await Promise.all(decliners);
        await clients.inventory.setStock({
          productId: DRAINED,
          quantity: 5_000,
          lowStockThreshold: threshold,
        });
        await shop.restart('ad');
        const report = EXPECTED.map((e) => {
          const times = seen.get(e.name);
          const delivered = firingAt(e)?.receivedAt;
          const since = (t: number | undefined) =>
            t === undefined ? '—' : `${((t - causes[e.cause]) / 1000).toFixed(1)} s`;
          return `${e.name}: pending ${since(times?.pending)}, firing ${since(times?.firing)}, delivered ${since(delivered)}`;
        });
        console.log(
          `conditions ended ${((ended - causes.killed) / 1000).toFixed(1)} s after the first cause\n${report.join('\n')}`,
        );
      }

      for (const e of EXPECTED) {
        const times = seen.get(e.name);
        assert.ok(times?.pending !== undefined, `${e.name} was never seen pending`);
        assert.ok(
          times.firing !== undefined && times.firing >= times.pending,
          `${e.name} fired before it was pending`,
        );
        const delivered = firingAt(e);
        assert.ok(delivered);
        assert.equal(delivered.annotations.runbook_url, `docs/runbooks/${e.name}.md`);
        assert.match(delivered.annotations.summary ?? '', /\S/);
      }

      const ending = EXPECTED.filter((e) => !e.outlasts);
      const left = () => ending.filter((e) => !resolvedAt(e)).map((e) => e.name);
      try {
        await waitFor(() => left().length === 0, {
          timeoutMs: 150_000,
          intervalMs: 250,
          what: 'every condition’s alert resolved',
        });
      } catch (error) {
        console.log(`still firing: ${left().join(', ')}`);
        console.log(`Prometheus holds ${JSON.stringify(await stack.activeAlerts().catch(String))}`);
        console.log(`Prometheus said:\n${stack.prometheus.output().slice(-20).join('\n')}`);
        console.log(`Alertmanager said:\n${stack.alertmanager.output().slice(-20).join('\n')}`);
        throw error;
      }
      for (const e of ending) {
        const resolved = resolvedAt(e)?.receivedAt ?? Date.now();
        console.log(
          `${e.name}: resolved ${((resolved - ended) / 1000).toFixed(1)} s after its condition ended`,
        );
      }
    } finally {
      watching = false;
      await watcher;
    }
  });
});
