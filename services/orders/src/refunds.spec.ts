import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { orders } from '@glasshouse/contracts';
import { migrate } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { storeVariants } from '@glasshouse/kit/testing';
import { orderMigrations } from './migrations.js';
import type { NewRefund } from './refunds.js';
import { RefundRepository } from './refunds.js';
import { OrderRepository } from './repository.js';
import { refundProblem } from './validation.js';

const usd = (units: bigint, nanos = 0) => ({ currencyCode: 'USD', units, nanos });
const {
  ORDER_STATUS_PLACED,
  ORDER_STATUS_PARTIALLY_REFUNDED,
  ORDER_STATUS_REFUNDED,
  ORDER_STATUS_CANCELLED,
} = orders.OrderStatus;

/** Two units at 10 USD and one at 5 USD, 3 USD shipping: 28 USD. */
function anOrder(status = ORDER_STATUS_PLACED): orders.Order {
  return {
    orderId: randomUUID(),
    userId: 'user-1',
    emailMasked: 'a***@example.com',
    status,
    total: usd(28n),
    shippingCost: usd(3n),
    shippingAddress: undefined,
    shippingTrackingId: 'TR-1',
    transactionId: 'tx-1',
    items: [
      { item: { productId: 'OLJCESPC7Z', quantity: 2 }, cost: usd(10n) },
      { item: { productId: '1YMWWN1N4O', quantity: 1 }, cost: usd(5n) },
    ],
    createdAt: undefined,
    refunds: [],
  };
}

const aRefund = (refundId: string, items: NewRefund['items'], units: bigint): NewRefund => ({
  refundId,
  items,
  amount: usd(units),
  reason: 'returned',
  actor: 'admin@203.0.113.9',
  clientAddress: '203.0.113.9',
});

function refundSuite(name: string, open: () => Promise<TestStore>): void {
  describe(`RefundRepository on ${name}`, () => {
    let store: TestStore;
    let placed: OrderRepository;
    let refunds: RefundRepository;

    before(async () => {
      store = await open();
      await migrate(store.db, store.schema, orderMigrations(store.schema));
      placed = new OrderRepository(store.db, store.schema);
      refunds = new RefundRepository(store.db, store.schema, placed);
    });
    after(() => store.dispose());

    it('records one item, then the rest: partially refunded, then refunded, each with its audit', async () => {
      const { order } = await placed.create(anOrder());
      const first = await refunds.record(
        order.orderId,
        aRefund('r1', [{ productId: 'OLJCESPC7Z', quantity: 1 }], 10n),
      );
      assert.equal(first.outcome, 'recorded');
      assert.ok(first.outcome === 'recorded');
      assert.equal(first.order.status, ORDER_STATUS_PARTIALLY_REFUNDED);
      assert.equal(first.refund.statusBefore, ORDER_STATUS_PLACED);
      assert.equal(first.refund.statusAfter, ORDER_STATUS_PARTIALLY_REFUNDED);
      assert.equal(first.refund.actor, 'admin@203.0.113.9');
      assert.ok(first.refund.refundedAt instanceof Date);

      const rest = await refunds.record(
        order.orderId,
        aRefund(
          'r2',
          [
            { productId: 'OLJCESPC7Z', quantity: 1 },
            { productId: '1YMWWN1N4O', quantity: 1 },
          ],
          18n,
        ),
      );
      assert.ok(rest.outcome === 'recorded');
      assert.equal(rest.order.status, ORDER_STATUS_REFUNDED);

      const looked = await refunds.lookUp(order.orderId);
      assert.equal(looked?.status, ORDER_STATUS_REFUNDED);
      assert.deepEqual(
        looked?.refunds.map((r) => [r.refundId, r.amount?.units, r.statusAfter]),
        [
          ['r1', 10n, ORDER_STATUS_PARTIALLY_REFUNDED],
          ['r2', 18n, ORDER_STATUS_REFUNDED],
        ],
      );
      // The owner's read sees the new status too.
      assert.equal((await placed.get(order.orderId, 'user-1'))?.status, ORDER_STATUS_REFUNDED);
    });

    it('answers a repeated refund id with the first refund, whatever the repeat asks', async () => {
      const { order } = await placed.create(anOrder());
      const first = await refunds.record(
        order.orderId,
        aRefund('same', [{ productId: '1YMWWN1N4O', quantity: 1 }], 5n),
      );
      const again = await refunds.record(
        order.orderId,
        aRefund('same', [{ productId: 'OLJCESPC7Z', quantity: 2 }], 20n),
      );
      assert.ok(first.outcome === 'recorded' && again.outcome === 'already recorded');
      assert.deepEqual(again.refund, first.refund);
      assert.equal((await refunds.lookUp(order.orderId))?.refunds.length, 1);
    });

    it('refuses more than is left, a product not in the order, more money than the total, a cancelled order', async () => {
      const { order } = await placed.create(anOrder());
      const refused = async (refund: NewRefund, orderId = order.orderId) => {
        const result = await refunds.record(orderId, refund);
        return result.outcome === 'more than is left' ? result.problem : result.outcome;
      };
      assert.equal(
        await refused(aRefund('a', [{ productId: 'OLJCESPC7Z', quantity: 3 }], 1n)),
        'only 2 of product OLJCESPC7Z are left to refund',
      );
      assert.match(
        await refused(aRefund('b', [{ productId: 'L9ECAV7KIM', quantity: 1 }], 1n)),
        /not part of this order/,
      );
      assert.match(
        await refused(aRefund('c', [{ productId: 'OLJCESPC7Z', quantity: 1 }], 29n)),
        /exceed the order total/,
      );
      const { order: cancelled } = await placed.create(anOrder(ORDER_STATUS_CANCELLED));
      assert.equal(
        await refused(aRefund('d', [{ productId: 'OLJCESPC7Z', quantity: 1 }], 1n), cancelled.orderId),
        'not refundable',
      );
      assert.equal(
        await refused(aRefund('e', [{ productId: 'OLJCESPC7Z', quantity: 1 }], 1n), 'no-such-order'),
        'unknown order',
      );
      assert.deepEqual((await refunds.lookUp(order.orderId))?.refunds, []);
      assert.equal((await refunds.lookUp(order.orderId))?.status, ORDER_STATUS_PLACED);
    });

    it('lets only one of two refunds racing for the last unit through', async () => {
      const { order } = await placed.create(anOrder());
      const outcomes = await Promise.all(
        ['x', 'y'].map((id) =>
          refunds.record(order.orderId, aRefund(id, [{ productId: '1YMWWN1N4O', quantity: 1 }], 5n)),
        ),
      );
      assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['more than is left', 'recorded']);
    });

    it('keeps refunded orders in order_stats_hourly’s count and revenue, and sums refunds in the hour they were made', async () => {
      const partly = (await placed.create(anOrder())).order;
      const wholly = (await placed.create(anOrder())).order;
      const cancelled = (await placed.create(anOrder(ORDER_STATUS_CANCELLED))).order;
      await refunds.record(partly.orderId, aRefund('p', [{ productId: 'OLJCESPC7Z', quantity: 1 }], 10n));
      const everything = wholly.items.map(({ item }) => ({
        productId: item?.productId ?? '',
        quantity: item?.quantity ?? 0,
      }));
      await refunds.record(wholly.orderId, aRefund('w', everything, 28n));
      // Hours of their own: the other tests' orders are in this one. The refunds come two hours later.
      await store.db.query(
        `UPDATE ${store.schema}.orders SET created_at = '2019-03-04T05:06:07Z' WHERE order_id = ANY($1)`,
        [[partly.orderId, wholly.orderId, cancelled.orderId]],
      );
      await store.db.query(
        `UPDATE ${store.schema}.order_refunds SET refunded_at = '2019-03-04T07:30:00Z' WHERE order_id = ANY($1)`,
        [[partly.orderId, wholly.orderId]],
      );
      const rows = await store.db.query<Record<string, unknown>>(
        `SELECT to_char(hour AT TIME ZONE 'UTC', 'HH24') AS hour, order_count, cancelled_count, revenue,
                average_order_value, refunded_count, refunded
           FROM ${store.schema}.order_stats_hourly
          WHERE hour >= '2019-03-04T00:00:00Z' AND hour < '2019-03-05T00:00:00Z' ORDER BY hour`,
      );
      assert.deepEqual(
        rows.map((r) => Object.values(r).map(String)),
        [
          ['05', '2', '1', '56.000000000', '28.00', '2', '0.000000000'],
          ['07', '0', '0', '0.000000000', 'null', '0', '38.000000000'],
        ],
      );
    });
  });
}

for (const [name, open] of storeVariants('orders_refunds_test', 'orders', { poolSize: 4 })) {
  refundSuite(name, open);
}

describe('refundProblem', () => {
  const refund = (changes: Partial<orders.OrderRefund>): orders.OrderRefund => ({
    refundId: 'r1',
    items: [{ productId: 'OLJCESPC7Z', quantity: 1 }],
    amount: usd(1n),
    reason: '',
    actor: 'admin',
    clientAddress: '',
    statusBefore: 0,
    statusAfter: 0,
    refundedAt: undefined,
    ...changes,
  });

  it('names the field of each malformed refund', () => {
    assert.equal(refundProblem(refund({})), undefined);
    assert.match(refundProblem(refund({ refundId: 'a b' })) ?? '', /^refund\.refund_id:/);
    assert.match(refundProblem(refund({ items: [] })) ?? '', /^refund\.items: at least one/);
    assert.match(
      refundProblem(refund({ items: [{ productId: 'OLJCESPC7Z', quantity: 0 }] })) ?? '',
      /quantity: must be positive/,
    );
    assert.match(refundProblem(refund({ amount: usd(-1n) })) ?? '', /^refund\.amount: must not be negative/);
    assert.match(refundProblem(refund({ actor: '' })) ?? '', /^refund\.actor: required/);
    assert.match(refundProblem(refund({ reason: 'a\u0000b' })) ?? '', /NUL/);
  });
});
