import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { hipstershop } from '@glasshouse/contracts';
import { escapeHtml, orderTotals, renderConfirmation } from './template.js';
import { confirmationProblem, emailProblem } from './validation.js';

const eur = (units: bigint, nanos = 0) => ({ currencyCode: 'EUR', units, nanos });

const ADDRESS: hipstershop.Address = {
  streetAddress: '1 Glasshouse Lane',
  city: 'Kew',
  state: 'Surrey',
  country: 'United Kingdom',
  zipCode: 94043,
};

const ORDER: hipstershop.OrderResult = {
  orderId: 'a1b2c3d4-0000-4000-8000-00000000beef',
  shippingTrackingId: 'GH-7QK2M9XA4C',
  shippingCost: eur(8n, 990_000_000),
  shippingAddress: ADDRESS,
  items: [
    { item: { productId: 'OLJCESPC7Z', quantity: 2 }, cost: eur(64n) },
    { item: { productId: '66VCHSJNUP', quantity: 3 }, cost: eur(42n, 500_000_000) },
  ],
};

describe('renderConfirmation', () => {
  it('totals the lines (unit price × quantity) and the shipping cost', () => {
    const { lines, shipping, total } = orderTotals(ORDER);
    assert.deepEqual(
      lines.map((l) => l.lineTotal),
      [eur(128n), eur(127n, 500_000_000)],
    );
    assert.deepEqual(shipping, eur(8n, 990_000_000));
    assert.deepEqual(total, eur(264n, 490_000_000));
  });

  it('renders the order id, items, costs, shipping, address and tracking id as text', () => {
    const { subject, text } = renderConfirmation(ORDER);
    assert.equal(subject, `Your Glasshouse order ${ORDER.orderId}`);
    for (const expected of [
      ORDER.orderId,
      'OLJCESPC7Z × 2 at €64.00 = €128.00',
      '66VCHSJNUP × 3 at €42.50 = €127.50',
      'Shipping: €8.99',
      'Total: €264.49',
      '1 Glasshouse Lane',
      'Kew, Surrey 94043',
      'United Kingdom',
      'Tracking number: GH-7QK2M9XA4C',
    ])
      assert.ok(text.includes(expected), `text lacks "${expected}":\n${text}`);
  });

  it('renders the same facts as HTML', () => {
    const { html } = renderConfirmation(ORDER);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<td>OLJCESPC7Z<\/td><td[^>]*>2<\/td><td[^>]*>€64\.00<\/td><td[^>]*>€128\.00<\/td>/);
    assert.match(html, /Total<\/th><th[^>]*>€264\.49</);
    assert.match(html, /<strong>GH-7QK2M9XA4C<\/strong>/);
    assert.match(html, /1 Glasshouse Lane<br>Kew, Surrey 94043<br>United Kingdom/);
  });

  it('escapes everything the order carries in HTML, not in text', () => {
    const order: hipstershop.OrderResult = {
      ...ORDER,
      orderId: '<script>x</script>',
      shippingAddress: { ...ADDRESS, streetAddress: `Rose & "Thorn" <b>'s` },
      items: [{ item: { productId: '<img src=x>', quantity: 1 }, cost: eur(1n) }],
    };
    const { html, text } = renderConfirmation(order);
    assert.ok(!html.includes('<script>') && !html.includes('<img') && !html.includes('<b>'));
    assert.ok(html.includes('&lt;script&gt;x&lt;/script&gt;'));
    assert.ok(html.includes('Rose &amp; &quot;Thorn&quot; &lt;b&gt;&#39;s'));
    assert.ok(text.includes(`Rose & "Thorn" <b>'s`));
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });

  it('formats amounts in the order currency, including those without minor units', () => {
    const yen = (units: bigint) => ({ currencyCode: 'JPY', units, nanos: 0 });
    const { text } = renderConfirmation({
      ...ORDER,
      shippingCost: yen(1400n),
      items: [{ item: { productId: 'OLJCESPC7Z', quantity: 1 }, cost: yen(10360n) }],
    });
    assert.ok(text.includes('Total: ¥11,760'), text);
  });

  it('renders an order without items or address', () => {
    const { text } = renderConfirmation({
      ...ORDER,
      items: [],
      shippingAddress: undefined,
      shippingTrackingId: '',
    });
    assert.ok(text.includes('Total: €8.99'));
    assert.ok(text.includes('Tracking number: not yet assigned'));
  });
});

describe('confirmationProblem', () => {
  const request = (overrides: Partial<hipstershop.SendOrderConfirmationRequest>) => ({
    email: 'ada@example.com',
    order: ORDER,
    ...overrides,
  });

  it('accepts a well-formed request', () => {
    assert.equal(confirmationProblem(request({})), undefined);
    for (const email of [
      'a@b.co',
      'first.last+tag@sub.example.org',
      "o'brien@example.ie",
      ' ada@example.com ',
    ])
      assert.equal(emailProblem(email), undefined, email);
  });

  it('refuses malformed emails without quoting them', () => {
    for (const email of [
      'ada',
      'ada@',
      '@example.com',
      'ada@example',
      'ada @example.com',
      'a@b@c.com',
      'ada@-x.com',
    ])
      assert.equal(emailProblem(email), 'email: is not a valid email address', email);
    assert.equal(emailProblem(''), 'email: is required');
    assert.equal(emailProblem(`${'a'.repeat(250)}@x.com`), 'email: longer than 254 characters');
  });

  it('names the order field at fault', () => {
    const cases: [Partial<hipstershop.SendOrderConfirmationRequest>, string][] = [
      [{ order: undefined }, 'order: is required'],
      [{ order: { ...ORDER, orderId: '' } }, 'order.order_id: is required'],
      [
        { order: { ...ORDER, orderId: 'a\r\nBcc: x' } },
        'order.order_id: must be 1–128 visible ASCII characters',
      ],
      [
        { order: { ...ORDER, shippingCost: eur(1n, -1) } },
        'order.shipping_cost: units and nanos have opposite signs',
      ],
      [
        { order: { ...ORDER, items: [{ item: undefined, cost: eur(1n) }] } },
        'order.items[0].item: is required',
      ],
      [
        { order: { ...ORDER, items: [{ item: { productId: 'X', quantity: 0 }, cost: eur(1n) }] } },
        'order.items[0].item.quantity: must be positive',
      ],
      [
        { order: { ...ORDER, items: [{ item: { productId: 'X', quantity: 1 }, cost: undefined }] } },
        'order.items[0].cost: amount is missing',
      ],
      [
        {
          order: {
            ...ORDER,
            items: [
              ...ORDER.items,
              { item: { productId: 'X', quantity: 1 }, cost: { currencyCode: 'USD', units: 1n, nanos: 0 } },
            ],
          },
        },
        "order.items[2].cost: currency USD differs from the order's EUR",
      ],
      [
        { order: { ...ORDER, shippingTrackingId: 'x'.repeat(201) } },
        'order.shipping_tracking_id: longer than 200 characters',
      ],
    ];
    for (const [overrides, reason] of cases) assert.equal(confirmationProblem(request(overrides)), reason);
  });
});
