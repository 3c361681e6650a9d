import type { PromiseClient } from '@glasshouse/kit';
import type { orders } from '@glasshouse/contracts';
import type { PlacedOrder } from './shop-operations.js';

/** How many of the confirmed orders the order service returns (GetOrder by id and user). */
export async function countPersisted(
  client: PromiseClient<typeof orders.OrderServiceService>,
  placed: readonly PlacedOrder[],
  concurrency = 16,
): Promise<{ persisted: number; missing: string[] }> {
  let next = 0;
  let persisted = 0;
  const missing: string[] = [];
  const worker = async (): Promise<void> => {
    while (next < placed.length) {
      const order = placed[next++];
      if (!order) continue;
      try {
        const { order: stored } = await client.getOrder({ orderId: order.orderId, userId: order.userId });
        if (stored?.orderId === order.orderId) persisted += 1;
        else missing.push(order.orderId);
      } catch {
        missing.push(order.orderId);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { persisted, missing };
}
