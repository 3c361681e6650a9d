import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orders } from '@glasshouse/contracts';
import { planRefund, refundKey } from './refund-plan.js';
import { refundRequestProblem } from './refund-service.js';

const eur = (units: bigint, nanos = 0) => ({ currencyCode: 'EUR', units, nanos });

/** Three units at 3.33 EUR and one at 10.10 EUR, 5.55 EUR shipping: 25.64 EUR. */
function anOrder(changes: Partial<orders.Order> = {}): orders.Order {
  return {
    orderId: 'order-1',
    userId: 'user-1',
    emailMasked: '',
    status: orders.OrderStatus.ORDER_STATUS_PLACED,
    total: eur(25n, 640_000_000),
    shippingCost: eur(5n, 550_000_000),
    shippingAddress: undefined,
    shippingTrackingId: '',
    transactionId: 'tx-1',
    items: [
      { item: { productId: 'OLJCESPC7Z', quantity: 3 }, cost: eur(3n, 330_000_000) },
      { item: { productId: '1YMWWN1N4O', quantity: 1 }, cost: eur(10n, 100_000_000) },
    ],
    createdAt: undefined,
    refunds: [],
    ...changes,
  };
}

const earlier = (items: { productId: string; quantity: number }[], amount: ReturnType<typeof eur>) => ({
  refundId: 'earlier',
  items,
  amount,
  reason: '',
  actor: 'admin',
  clientAddress: '',
  statusBefore: 0,
  statusAfter: 0,
  refundedAt: undefined,
});

describe('planRefund', () => {
  it('gives back the price of the items asked while something is left', () => {
    assert.deepEqual(planRefund(anOrder(), [{ productId: 'OLJCESPC7Z', quantity: 2 }]), {
      items: [{ productId: 'OLJCESPC7Z', quantity: 2 }],
      amount: eur(6n, 660_000_000),
    });
  });

  it('gives back all that is left of the total, shipping included, with the last items', () => {
    const order = anOrder({
      refunds: [earlier([{ productId: 'OLJCESPC7Z', quantity: 2 }], eur(6n, 660_000_000))],
    });
    assert.deepEqual(planRefund(order, []), {
      items: [
        { productId: 'OLJCESPC7Z', quantity: 1 },
        { productId: '1YMWWN1N4O', quantity: 1 },
      ],
      amount: eur(18n, 980_000_000),
    });
  });

  it('says why when nothing can be refunded', () => {
    const problem = (order: orders.Order, asked: { productId: string; quantity: number }[] = []) => {
      const plan = planRefund(order, asked);
      return 'problem' in plan ? plan.problem : 'planned';
    };
    assert.match(problem(anOrder({ status: orders.OrderStatus.ORDER_STATUS_CANCELLED })), /cancelled/);
    assert.match(
      problem(
        anOrder({
          refunds: [
            earlier(
              [
                { productId: 'OLJCESPC7Z', quantity: 3 },
                { productId: '1YMWWN1N4O', quantity: 1 },
              ],
              eur(25n, 640_000_000),
            ),
          ],
        }),
      ),
      /nothing is left/,
    );
    assert.equal(
      problem(anOrder(), [{ productId: 'OLJCESPC7Z', quantity: 4 }]),
      'only 3 of product OLJCESPC7Z are left to refund',
    );
    assert.match(problem(anOrder(), [{ productId: 'L9ECAV7KIM', quantity: 1 }]), /not part of this order/);
  });
});

describe('refundKey', () => {
  it('is the same for the same order and refund id, and differs across orders', () => {
    assert.equal(refundKey('order-1', 'r1'), refundKey('order-1', 'r1'));
    assert.notEqual(refundKey('order-1', 'r1'), refundKey('order-2', 'r1'));
    assert.match(refundKey('order-1', 'r1'), /^rf-[0-9a-f]{40}$/);
  });
});

describe('refundRequestProblem', () => {
  const request = {
    orderId: 'order-1',
    refundId: 'r1',
    items: [{ productId: 'OLJCESPC7Z', quantity: 1 }],
    reason: 'returned',
    actor: 'admin@127.0.0.1',
    clientAddress: '127.0.0.1',
  };
  it('names the field of a malformed request', () => {
    assert.equal(refundRequestProblem(request), undefined);
    assert.match(refundRequestProblem({ ...request, orderId: '' }) ?? '', /^order_id:/);
    assert.match(refundRequestProblem({ ...request, refundId: 'x'.repeat(65) }) ?? '', /^refund_id:/);
    assert.match(
      refundRequestProblem({ ...request, items: [{ productId: 'no pe', quantity: 1 }] }) ?? '',
      /product_id/,
    );
    assert.match(
      refundRequestProblem({ ...request, items: [request.items[0]!, request.items[0]!] }) ?? '',
      /more than once/,
    );
    assert.match(
      refundRequestProblem({ ...request, items: [{ productId: 'OLJCESPC7Z', quantity: 1000 }] }) ?? '',
      /1–999/,
    );
    assert.match(refundRequestProblem({ ...request, actor: '' }) ?? '', /^actor: required/);
    assert.match(
      refundRequestProblem({ ...request, reason: 'a\u0000' }) ?? '',
      /^reason: must not contain a NUL/,
    );
  });
});
