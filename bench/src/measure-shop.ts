import { setTimeout as delay } from 'node:timers/promises';
import type { BenchConfig } from './config.js';
import { placedOrdersCounter, scrape } from './exposition.js';
import { PeakMemory, residentMegabytes, total } from './footprint.js';
import {
  catalogClient,
  charge,
  convert,
  currencyClient,
  getProduct,
  inventoryClient,
  ordersClient,
  paymentClient,
  stockUp,
} from './grpc-operations.js';
import { HttpTarget } from './http-client.js';
import type { LoadShape } from './load.js';
import type { Phase, Say } from './measure-phase.js';
import { measurePhase } from './measure-phase.js';
import { countPersisted } from './orders-check.js';
import { LatencyRecorder } from './percentiles.js';
import type { Results } from './report.js';
import { round } from './report.js';
import type { CheckoutLog, PlacedOrder } from './shop-operations.js';
import { PRODUCT_ID, addItemAndCheckout, addToCart, homePage, productPage } from './shop-operations.js';
import type { Shop } from './system.js';

/** Lets a freshly started shop finish its start-up work before idle memory is read. */
const SETTLE_MS = 2000;

export interface ShopShapes {
  readonly http: LoadShape;
  readonly grpc: LoadShape;
  readonly checkout: LoadShape;
}

export function shapesOf(config: BenchConfig): ShopShapes {
  const shape = (concurrency: number): LoadShape => ({
    concurrency,
    warmupSeconds: config.warmupSeconds,
    maxWarmupSeconds: config.maxWarmupSeconds,
    measureSeconds: config.measureSeconds,
  });
  return {
    http: shape(config.httpConcurrency),
    grpc: shape(config.grpcConcurrency),
    checkout: shape(config.checkoutConcurrency),
  };
}

/** Every figure of the main run: footprint, pages, checkout with its persistence check, gRPC calls. */
export async function measureShop(shop: Shop, shapes: ShopShapes, say: Say): Promise<Results> {
  const results: Results = { shop_start_s: round(shop.startSeconds, 2) };
  await delay(SETTLE_MS);
  const idle = residentMegabytes(shop.pids);
  results.idle_rss_mb_total = round(total(idle.values()), 1);
  for (const [name, mb] of idle) results[`idle_rss_mb_${name}`] = round(mb, 1);
  say(`idle RSS ${results.idle_rss_mb_total} MB over ${idle.size} services`);

  const peak = new PeakMemory(shop.pids).start();
  const web = new HttpTarget(shop.url, shapes.http.concurrency);
  const clients = {
    currency: currencyClient(shop.addresses.currency ?? ''),
    catalog: catalogClient(shop.addresses.productcatalog ?? ''),
    payment: paymentClient(shop.addresses.payment ?? ''),
    orders: ordersClient(shop.addresses.orders ?? ''),
    inventory: inventoryClient(shop.addresses.inventory ?? ''),
  };
  const run = async (phase: Phase) => Object.assign(results, (await measurePhase(shop, phase, say)).results);
  try {
    const http = shapes.http;
    await run({
      key: 'home',
      shape: http,
      operation: homePage(web),
      cpuPerService: true,
      callsOf: 'frontend',
    });
    await run({ key: 'product', shape: http, operation: productPage(web), callsOf: 'frontend' });
    await run({ key: 'add_to_cart', shape: http, operation: addToCart(web) });

    await stockUp(clients.inventory, PRODUCT_ID);
    const checkoutAdmin = shop.admin.checkout ?? '';
    const placedBefore = placedOrdersCounter(await scrape(checkoutAdmin));
    // At the target's concurrency, then at the pages' (where the shop saturates); each order checked.
    const placed: PlacedOrder[] = [];
    for (const [key, shape] of [
      ['checkout', shapes.checkout],
      ['checkout_saturated', http],
    ] as const) {
      const log: CheckoutLog = { placed, checkoutOnly: new LatencyRecorder(), measuring: false };
      await run({
        key,
        shape,
        operation: addItemAndCheckout(web, log),
        cpuPerService: key === 'checkout',
        callsOf: key === 'checkout' ? 'checkout' : undefined,
        onMeasureStart: () => (log.measuring = true),
        onMeasureEnd: () => (log.measuring = false),
      });
      const post = log.checkoutOnly.summary();
      results[`${key}_post_p50_ms`] = round(post.p50Ms, 2);
      results[`${key}_post_p99_ms`] = round(post.p99Ms, 2);
    }
    const placedCounter = placedOrdersCounter(await scrape(checkoutAdmin)) - placedBefore;
    const { persisted, missing } = await countPersisted(clients.orders, placed);
    results.orders_confirmed = placed.length;
    results.orders_persisted = persisted;
    results.orders_placed_counter = placedCounter;
    results.orders_all_persisted = persisted === placed.length && placedCounter === placed.length;
    say(
      `orders: ${placed.length} confirmed over HTTP, ${persisted} found by GetOrder, ` +
        `orders_total{status="placed"} +${placedCounter}${missing.length > 0 ? `; missing e.g. ${missing[0]}` : ''}`,
    );

    const grpc = shapes.grpc;
    await run({ key: 'convert', shape: grpc, operation: convert(clients.currency) });
    await run({ key: 'get_product', shape: grpc, operation: getProduct(clients.catalog) });
    await run({ key: 'charge', shape: grpc, operation: charge(clients.payment) });
  } finally {
    peak.stop();
    web.close();
    for (const client of Object.values(clients)) client.close();
  }
  results.loaded_rss_mb_total = round(peak.peakTotalMb, 1);
  for (const [name, mb] of peak.peakByService) results[`loaded_rss_mb_${name}`] = round(mb, 1);
  say(`peak RSS under load ${results.loaded_rss_mb_total} MB`);
  return results;
}
