import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import type { checkout } from '@glasshouse/contracts';
import { inventory, orders, payment } from '@glasshouse/contracts';
import type { PromiseClient, ShopClientsOf } from '@glasshouse/kit';
import { ServiceMetrics, createClient, shopClientsOf } from '@glasshouse/kit';
import { TEST_POSTGRES_URL, TEST_REDIS_URL, expectStatus, freePort } from '@glasshouse/kit/testing';
import type { Money } from '@glasshouse/money';
import { add, multiply, sum, toNanos } from '@glasshouse/money';
import type { InProcessShop } from '@glasshouse/testing';
import {
  counterValue,
  fillCart,
  newShopper,
  orderRequest,
  startInProcessShop,
  stockOf,
  testClock,
} from '@glasshouse/testing';

const SHEARS = '2ZYFJ3GM2N';
const BOOTS = 'LS4PSXUNUM';
const LANTERN = '0PUK6V6EV0';
const { ORDER_STATUS_PLACED, ORDER_STATUS_PARTIALLY_REFUNDED, ORDER_STATUS_REFUNDED } = orders.OrderStatus;

type Refunds = ShopClientsOf<'refunds'>['refunds'];

const moneyOf = (money: Money | undefined): Money => {
  if (!money) throw new Error('no amount');
  return money;
};

describe('RefundOrder on real PostgreSQL and Redis', () => {
  let shop: InProcessShop;
  let refunds: Refunds;
  // While set, checkout's RecordRefund or ReturnStock goes to a port nobody listens on.
  let ordersDown = false;
  let inventoryDown = false;
  let paymentDown = false;
  // While set, checkout plans from this copy of the order, as a second checkout that read it earlier would.
  let staleOrder: orders.Order | undefined;
  let nowhereOrders: PromiseClient<typeof orders.OrderServiceService>;
  let nowhereInventory: PromiseClient<typeof inventory.InventoryServiceService>;
  let nowherePayment: PromiseClient<typeof payment.ChargeReversalServiceService>;

  before(async () => {
    const options = { metrics: new ServiceMetrics({ defaultMetrics: false }), deadlineMs: 1000 };
    nowhereOrders = createClient(orders.OrderServiceClient, orders.OrderServiceService, {
      address: `127.0.0.1:${await freePort()}`,
      ...options,
    });
    nowhereInventory = createClient(inventory.InventoryServiceClient, inventory.InventoryServiceService, {
      address: `127.0.0.1:${await freePort()}`,
      ...options,
    });
    nowherePayment = createClient(payment.ChargeReversalServiceClient, payment.ChargeReversalServiceService, {
      address: `127.0.0.1:${await freePort()}`,
      ...options,
    });
    shop = await startInProcessShop({
      now: testClock,
      databaseUrl: TEST_POSTGRES_URL,
      redisUrl: TEST_REDIS_URL,
      checkoutDependencies: (dependencies) => ({
        ...dependencies,
        chargeReversal: {
          ...dependencies.chargeReversal,
          refundCharge: (request, callOptions) =>
            (paymentDown ? nowherePayment : dependencies.chargeReversal).refundCharge(request, callOptions),
        },
        orders: {
          ...dependencies.orders,
          lookUpOrder: (request, callOptions) =>
            staleOrder
              ? Promise.resolve({ order: staleOrder })
              : dependencies.orders.lookUpOrder(request, callOptions),
          recordRefund: (request, callOptions) =>
            (ordersDown ? nowhereOrders : dependencies.orders).recordRefund(request, callOptions),
        },
        inventory: {
          ...dependencies.inventory,
          returnStock: (request, callOptions) =>
            (inventoryDown ? nowhereInventory : dependencies.inventory).returnStock(request, callOptions),
        },
      }),
    });
    ({ refunds } = shopClientsOf(shop.dial(new ServiceMetrics({ defaultMetrics: false })), { refunds: {} }));
  });
  after(async () => {
    await shop.stop();
    nowhereOrders.close();
    nowhereInventory.close();
    nowherePayment.close();
  });

  const placeOrder = async (items: readonly (readonly [string, number])[]): Promise<orders.Order> => {
    const userId = newShopper();
    await fillCart(shop.clients, userId, items);
    const { order } = await shop.clients.checkout.placeOrder(orderRequest(userId), { deadlineMs: 20_000 });
    const { order: stored } = await shop.clients.orders.lookUpOrder({ orderId: order?.orderId ?? '' });
    if (!stored) throw new Error('the order was not stored');
    return stored;
  };
  const refund = (
    order: orders.Order,
    refundId: string,
    items: checkout.RefundOrderRequest['items'] = [],
  ): Promise<checkout.RefundOrderResponse> =>
    refunds.refundOrder(
      {
        orderId: order.orderId,
        refundId,
        items,
        reason: 'returned',
        actor: 'admin@test',
        clientAddress: '203.0.113.9',
      },
      { deadlineMs: 20_000 },
    );
  const refundedCount = () =>
    counterValue(shop.metricsOf('payment'), 'payments_total', { status: 'refunded' });
  const stock = async () => ({
    shears: await stockOf(shop.clients, SHEARS),
    boots: await stockOf(shop.clients, BOOTS),
  });
  const auditLines = (orderId: string) =>
    shop.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['message'] === 'order refunded' && line['app.order.id'] === orderId);

  it('refunds one item, then the rest: REFUNDED, two refunds adding up to the total, stock back, two audit records', async () => {
    const before = await stock();
    const order = await placeOrder([
      [SHEARS, 2],
      [BOOTS, 1],
    ]);
    const refundedBefore = await refundedCount();
    assert.deepEqual(await stock(), { shears: before.shears - 2, boots: before.boots - 1 });

    const first = await refund(order, 'first', [{ productId: SHEARS, quantity: 1 }]);
    assert.equal(first.refunded, true);
    assert.equal(first.order?.status, ORDER_STATUS_PARTIALLY_REFUNDED);
    const shearsPrice = moneyOf(order.items.find((line) => line.item?.productId === SHEARS)?.cost);
    assert.deepEqual(first.refund?.amount, shearsPrice);
    assert.deepEqual(await stock(), { shears: before.shears - 1, boots: before.boots - 1 });

    const rest = await refund(order, 'rest');
    assert.equal(rest.order?.status, ORDER_STATUS_REFUNDED);
    assert.deepEqual(rest.refund?.items, [
      { productId: SHEARS, quantity: 1 },
      { productId: BOOTS, quantity: 1 },
    ]);
    assert.deepEqual(await stock(), before, 'the goods are not all back in stock');

    // The ledger: two refunds, adding up to the total, and nothing left to refund.
    assert.equal(await refundedCount(), refundedBefore + 2);
    const total = moneyOf(order.total);
    const refunded = sum(total.currencyCode, [moneyOf(first.refund?.amount), moneyOf(rest.refund?.amount)]);
    assert.equal(toNanos(refunded), toNanos(total));
    await shop.clients.chargeReversal
      .refundCharge({
        transactionId: order.transactionId,
        refundId: randomUUID(),
        amount: { currencyCode: total.currencyCode, units: 0n, nanos: 10_000_000 },
        reason: 'probe',
      })
      .then(
        () => assert.fail('the ledger had money left to refund'),
        expectStatus(status.FAILED_PRECONDITION, /only 0(\.0+)? \w+ is left/),
      );

    // The audit: two records on the order, and two audit lines.
    const { order: stored } = await shop.clients.orders.lookUpOrder({ orderId: order.orderId });
    assert.deepEqual(
      stored?.refunds.map((r) => [r.refundId, r.actor, r.clientAddress, r.statusBefore, r.statusAfter]),
      [
        ['first', 'admin@test', '203.0.113.9', ORDER_STATUS_PLACED, ORDER_STATUS_PARTIALLY_REFUNDED],
        ['rest', 'admin@test', '203.0.113.9', ORDER_STATUS_PARTIALLY_REFUNDED, ORDER_STATUS_REFUNDED],
      ],
    );
    assert.ok(stored?.refunds.every((r) => r.refundedAt instanceof Date));
    const lines = auditLines(order.orderId);
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((line) => [
        line['audit.actor'],
        line['audit.client_address'],
        line['audit.old'],
        line['audit.new'],
      ]),
      [
        ['admin@test', '203.0.113.9', 'ORDER_STATUS_PLACED', 'ORDER_STATUS_PARTIALLY_REFUNDED'],
        ['admin@test', '203.0.113.9', 'ORDER_STATUS_PARTIALLY_REFUNDED', 'ORDER_STATUS_REFUNDED'],
      ],
    );

    // The same refund id again: the same refund, nothing given back twice.
    const again = await refund(order, 'first', [{ productId: SHEARS, quantity: 1 }]);
    assert.equal(again.refunded, false);
    assert.deepEqual(again.refund, first.refund);
    assert.equal(await refundedCount(), refundedBefore + 2);
    assert.deepEqual(await stock(), before);
    assert.equal(
      await counterValue(shop.metricsOf('checkout'), 'checkout_refunds_total', { result: 'repeated' }),
      1,
    );
  });

  it('refuses more than is left, an unknown order and a malformed request, giving nothing back', async () => {
    const order = await placeOrder([[LANTERN, 1]]);
    const refundedBefore = await refundedCount();
    await refund(order, 'too-many', [{ productId: LANTERN, quantity: 2 }]).then(
      () => assert.fail('refunded more than was bought'),
      expectStatus(status.FAILED_PRECONDITION, /only 1 of product 0PUK6V6EV0 is left to refund/),
    );
    await refund(order, 'stranger', [{ productId: SHEARS, quantity: 1 }]).then(
      () => assert.fail('refunded a product not in the order'),
      expectStatus(status.FAILED_PRECONDITION, /not part of this order/),
    );
    await refund(order, 'all');
    await refund(order, 'all-again').then(
      () => assert.fail('refunded a refunded order'),
      expectStatus(status.FAILED_PRECONDITION, /nothing is left to refund/),
    );
    await refund({ ...order, orderId: randomUUID() }, 'x').then(
      () => assert.fail('refunded an unknown order'),
      expectStatus(status.NOT_FOUND, /no order/),
    );
    await refund(order, 'bad id!').then(
      () => assert.fail('took a malformed refund id'),
      expectStatus(status.INVALID_ARGUMENT, /refund_id/),
    );
    await refund(order, 'zero', [{ productId: LANTERN, quantity: 0 }]).then(
      () => assert.fail('took a zero quantity'),
      expectStatus(status.INVALID_ARGUMENT, /items\[0\]\.quantity/),
    );
    assert.equal(await refundedCount(), refundedBefore + 1, 'only the one good refund gave money back');
  });

  it('counts a refund paid out that the order then refused as failed, with its error line', async () => {
    const order = await placeOrder([
      [SHEARS, 1],
      [BOOTS, 1],
    ]);
    await refund(order, 'first', [{ productId: SHEARS, quantity: 1 }]);
    const counted = (result: string) =>
      counterValue(shop.metricsOf('checkout'), 'checkout_refunds_total', { result });
    const [failedBefore, refusedBefore, refundedBefore] = [
      await counted('failed'),
      await counted('refused'),
      await refundedCount(),
    ];
    staleOrder = order;
    try {
      await refund(order, 'second', [{ productId: SHEARS, quantity: 1 }]).then(
        () => assert.fail('the order recorded the same shears refunded twice'),
        expectStatus(status.FAILED_PRECONDITION, /the charge was refunded but the order refused it/),
      );
    } finally {
      staleOrder = undefined;
    }
    // The ledger holds the charge's total, not its items: the shears went back twice, which is what the alert is for.
    assert.equal(await refundedCount(), refundedBefore + 1);
    assert.equal(await counted('failed'), failedBefore + 1);
    assert.equal(await counted('refused'), refusedBefore);
    const errorLines = shop.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['message'] === 'refunded charge not recorded on the order');
    assert.ok(
      errorLines.some((line) => line['app.order.id'] === order.orderId && line['app.refund.id'] === 'second'),
      'no error line names the refund',
    );
  });

  it('finishes a refund whose order could not be updated after the charge was refunded, refunding once', async () => {
    const before = await stock();
    const order = await placeOrder([[SHEARS, 1]]);
    const refundedBefore = await refundedCount();
    ordersDown = true;
    try {
      await refund(order, 'crash').then(
        () => assert.fail('the refund went through without the order service'),
        expectStatus(status.UNAVAILABLE, /charge was refunded but the order could not be updated/),
      );
    } finally {
      ordersDown = false;
    }
    assert.equal(await refundedCount(), refundedBefore + 1, 'the charge was not refunded first');
    const { order: midway } = await shop.clients.orders.lookUpOrder({ orderId: order.orderId });
    assert.equal(midway?.status, ORDER_STATUS_PLACED);
    assert.equal(await stockOf(shop.clients, SHEARS), before.shears - 1);

    const retried = await refund(order, 'crash');
    assert.equal(retried.refunded, true);
    assert.equal(retried.order?.status, ORDER_STATUS_REFUNDED);
    assert.deepEqual(retried.refund?.amount, order.total);
    assert.equal(await refundedCount(), refundedBefore + 1, 'the retry refunded the charge again');
    assert.equal(await stockOf(shop.clients, SHEARS), before.shears);
  });

  it('finishes a refund whose goods could not be put back, returning them once', async () => {
    const before = await stock();
    const order = await placeOrder([[BOOTS, 2]]);
    inventoryDown = true;
    try {
      await refund(order, 'stock-crash', [{ productId: BOOTS, quantity: 1 }]).then(
        () => assert.fail('the refund went through without the inventory'),
        expectStatus(status.UNAVAILABLE, /goods could not be put back in stock/),
      );
    } finally {
      inventoryDown = false;
    }
    assert.equal(await stockOf(shop.clients, BOOTS), before.boots - 2);
    const retried = await refund(order, 'stock-crash', [{ productId: BOOTS, quantity: 1 }]);
    assert.equal(retried.refunded, false, 'the order had the refund recorded already');
    assert.equal(retried.order?.status, ORDER_STATUS_PARTIALLY_REFUNDED);
    assert.equal(await stockOf(shop.clients, BOOTS), before.boots - 1);
    await refund(order, 'stock-crash', [{ productId: BOOTS, quantity: 1 }]);
    assert.equal(await stockOf(shop.clients, BOOTS), before.boots - 1, 'the goods went back twice');
    const price = moneyOf(order.items[0]?.cost);
    assert.equal(toNanos(moneyOf(retried.refund?.amount)), toNanos(multiply(price, 1)));
    assert.ok(toNanos(add(price, moneyOf(order.shippingCost))) <= toNanos(moneyOf(order.total)));
  });

  it('changes nothing when payment does not answer, and refunds on the retry', async () => {
    const before = await stock();
    const order = await placeOrder([[SHEARS, 1]]);
    const refundedBefore = await refundedCount();
    paymentDown = true;
    try {
      await refund(order, 'payment-down').then(
        () => assert.fail('the refund went through without payment'),
        expectStatus(status.UNAVAILABLE, /did not confirm the refund; retry with the same refund id/),
      );
    } finally {
      paymentDown = false;
    }
    const { order: untouched } = await shop.clients.orders.lookUpOrder({ orderId: order.orderId });
    assert.equal(untouched?.status, ORDER_STATUS_PLACED);
    assert.deepEqual(untouched?.refunds, []);
    assert.equal(await refundedCount(), refundedBefore);
    assert.equal(await stockOf(shop.clients, SHEARS), before.shears - 1);
    const retried = await refund(order, 'payment-down');
    assert.equal(retried.order?.status, ORDER_STATUS_REFUNDED);
    assert.equal(await refundedCount(), refundedBefore + 1);
    assert.equal(await stockOf(shop.clients, SHEARS), before.shears);
  });
});
