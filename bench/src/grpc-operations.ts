import { hipstershop, inventory, orders } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { ServiceMetrics, createClient } from '@glasshouse/kit';
import type { Operation } from './load.js';
import { BENCH_CARD, PRODUCT_ID } from './shop-operations.js';

/** The services' gRPC APIs called directly, through the kit's client like the services call each other. */

const DEADLINE_MS = 10_000;
// The bench's own client measurements are not read: no default metrics, no timers.
const metrics = new ServiceMetrics({ defaultMetrics: false });

type CurrencyClient = PromiseClient<typeof hipstershop.CurrencyServiceService>;

export function currencyClient(address: string): CurrencyClient {
  return createClient(hipstershop.CurrencyServiceClient, hipstershop.CurrencyServiceService, {
    address,
    metrics,
    deadlineMs: DEADLINE_MS,
  });
}

export function catalogClient(
  address: string,
): PromiseClient<typeof hipstershop.ProductCatalogServiceService> {
  return createClient(hipstershop.ProductCatalogServiceClient, hipstershop.ProductCatalogServiceService, {
    address,
    metrics,
    deadlineMs: DEADLINE_MS,
  });
}

export function paymentClient(address: string): PromiseClient<typeof hipstershop.PaymentServiceService> {
  return createClient(hipstershop.PaymentServiceClient, hipstershop.PaymentServiceService, {
    address,
    metrics,
    deadlineMs: DEADLINE_MS,
  });
}

export function ordersClient(address: string): PromiseClient<typeof orders.OrderServiceService> {
  return createClient(orders.OrderServiceClient, orders.OrderServiceService, {
    address,
    metrics,
    deadlineMs: DEADLINE_MS,
  });
}

export function inventoryClient(address: string): PromiseClient<typeof inventory.InventoryServiceService> {
  return createClient(inventory.InventoryServiceClient, inventory.InventoryServiceService, {
    address,
    metrics,
    deadlineMs: DEADLINE_MS,
  });
}

/**
 * Checkout takes stock: fills `productId` up to a million units (keeping its low-stock
 * threshold), so that a run measures orders, not sold-out refusals.
 */
export async function stockUp(
  client: PromiseClient<typeof inventory.InventoryServiceService>,
  productId: string,
): Promise<void> {
  const { levels } = await client.getStock({ productIds: [productId] });
  await client.setStock({
    productId,
    quantity: 1_000_000,
    lowStockThreshold: levels[0]?.lowStockThreshold ?? 10,
  });
}

/** Convert 12.50 USD to EUR; the answer must be EUR. */
export function convert(client: CurrencyClient): () => Operation {
  const request = { from: { currencyCode: 'USD', units: 12n, nanos: 500_000_000 }, toCode: 'EUR' };
  return () => async () => {
    const money = await client.convert(request);
    // The ceiling echoes the money back; the currency service converts it.
    if (!money.currencyCode) throw new Error('Convert answered without a currency code');
  };
}

export function getProduct(
  client: PromiseClient<typeof hipstershop.ProductCatalogServiceService>,
): () => Operation {
  return () => async () => {
    const product = await client.getProduct({ id: PRODUCT_ID });
    if (product.id !== PRODUCT_ID) throw new Error(`GetProduct answered ${product.id}`);
  };
}

export function charge(client: PromiseClient<typeof hipstershop.PaymentServiceService>): () => Operation {
  const request = {
    amount: { currencyCode: 'USD', units: 42n, nanos: 0 },
    creditCard: {
      creditCardNumber: BENCH_CARD.number,
      creditCardCvv: Number(BENCH_CARD.cvv),
      creditCardExpirationYear: Number(BENCH_CARD.year),
      creditCardExpirationMonth: Number(BENCH_CARD.month),
    },
  };
  return () => async () => {
    const { transactionId } = await client.charge(request);
    if (!transactionId) throw new Error('Charge answered without a transaction id');
  };
}
