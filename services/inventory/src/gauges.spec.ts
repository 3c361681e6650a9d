import { afterEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceMetrics, createLogger } from '@glasshouse/kit';
import { metricSample, waitFor } from '@glasshouse/kit/testing';
import { StockGauges, isLow } from './gauges.js';
import type { StockLevel } from './repository.js';

const level = (productId: string, quantity: number, lowStockThreshold = 5): StockLevel => ({
  productId,
  productName: `Product ${productId}`,
  quantity,
  lowStockThreshold,
});

async function sample(
  metrics: ServiceMetrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  return metricSample((await metrics.scrape()).body, name, labels);
}

const stockOf = (id: string) => ({ product_id: id, product_name: `Product ${id}` });

function gaugesWith(load: () => Promise<StockLevel[]>) {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const lines: string[] = [];
  const logger = createLogger({
    serviceName: 'gauges-test',
    destination: { write: (line) => lines.push(line) },
  });
  return { metrics, lines, gauges: new StockGauges({ metrics, logger, load }) };
}

describe('isLow', () => {
  it('is true at or below the threshold, as the low_stock_products view says', () => {
    assert.equal(isLow(5, 5), true);
    assert.equal(isLow(4, 5), true);
    assert.equal(isLow(6, 5), false);
  });
});

describe('StockGauges', () => {
  afterEach(() => mock.timers.reset());

  it('shows every level and the number of low products after a refresh', async () => {
    const { metrics, gauges } = gaugesWith(async () => [level('A', 3), level('B', 50), level('C', 5)]);
    await gauges.refresh();
    assert.equal(await sample(metrics, 'inventory_stock_level', stockOf('A')), 3);
    assert.equal(await sample(metrics, 'inventory_stock_level', stockOf('B')), 50);
    assert.equal(await sample(metrics, 'inventory_low_stock_products'), 2);
  });

  it('updates one product and the low count when a change is recorded', async () => {
    const { metrics, gauges } = gaugesWith(async () => [level('A', 3), level('B', 50)]);
    await gauges.refresh();
    gauges.record([level('B', 4)]);
    assert.equal(await sample(metrics, 'inventory_stock_level', stockOf('B')), 4);
    assert.equal(await sample(metrics, 'inventory_low_stock_products'), 2);
    gauges.record([level('A', 30), level('B', 40)]);
    assert.equal(await sample(metrics, 'inventory_low_stock_products'), 0);
  });

  it('drops a product that is gone on the next refresh', async () => {
    let levels = [level('A', 3), level('B', 50)];
    const { metrics, gauges } = gaugesWith(async () => levels);
    await gauges.refresh();
    levels = [level('B', 50)];
    await gauges.refresh();
    assert.equal(await sample(metrics, 'inventory_stock_level', stockOf('A')), undefined);
    assert.equal(await sample(metrics, 'inventory_low_stock_products'), 0);
  });

  it('keeps a change recorded while a refresh was reading', async () => {
    let release: (levels: StockLevel[]) => void = () => undefined;
    const { metrics, gauges } = gaugesWith(() => new Promise((resolve) => (release = resolve)));
    const refreshing = gauges.refresh();
    gauges.record([level('A', 9)]);
    release([level('A', 10)]);
    await refreshing;
    assert.equal(await sample(metrics, 'inventory_stock_level', stockOf('A')), 9);
  });

  it('applies the rest of a refresh when other products changed while it read', async () => {
    let release: (levels: StockLevel[]) => void = () => undefined;
    const { metrics, gauges } = gaugesWith(() => new Promise((resolve) => (release = resolve)));
    const refreshing = gauges.refresh();
    gauges.record([level('B', 49)]);
    // A drained while the refresh read (product-drained switched on): it shows at once.
    release([level('A', 0), level('B', 50)]);
    await refreshing;
    assert.equal(await sample(metrics, 'inventory_stock_level', stockOf('A')), 0);
    assert.equal(await sample(metrics, 'inventory_stock_level', stockOf('B')), 49);
  });

  it('refreshes on its timer until stopped, and logs a failed refresh', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    let loads = 0;
    const { gauges, lines } = gaugesWith(async () => {
      loads++;
      if (loads === 2) throw new Error('database away');
      return [level('A', 1)];
    });
    gauges.start(15_000);
    mock.timers.tick(14_999);
    assert.equal(loads, 0);
    mock.timers.tick(1);
    assert.equal(loads, 1);
    mock.timers.tick(15_000);
    assert.equal(loads, 2);
    await waitFor(() => lines.find((l) => l.includes('stock gauge refresh failed')), { what: 'a warning' });
    gauges.stop();
    mock.timers.tick(60_000);
    assert.equal(loads, 2);
  });
});
