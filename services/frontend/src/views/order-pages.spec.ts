import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { orderConfirmationPage, ordersPage } from './order-pages.js';
import type { Chrome, OrderView, ProductCard } from './model.js';

const chrome: Chrome = { currencies: ['EUR', 'USD'], currentCurrency: 'USD', cartSize: 0, csrfToken: 'tok' };

const lantern: ProductCard = {
  id: 'GLASS-LANTERN',
  name: 'Glass lantern',
  picture: '/static/img/products/glass-lantern.svg',
  price: { text: '$31.00' },
  categories: ['decor'],
};
const seeds: ProductCard = { ...lantern, id: 'HERB-SEEDS', name: 'Herb seeds', price: { text: '$4.25' } };

const order: OrderView = {
  orderId: '0d6c6a52-6f1e-4f57-9f4e-2b7b1d1a0c11',
  placedAt: '2031-06-15 14:02 UTC',
  trackingId: 'TR-88213-XQ',
  lines: [
    { product: lantern, quantity: 1, lineTotal: { text: '$31.00' } },
    { product: seeds, quantity: 3, lineTotal: { text: '$12.75' } },
  ],
  shipping: { text: '$8.99' },
  total: { text: '$52.74' },
  address: '1600 Amphitheatre Parkway, Mountain View, CA 94043, United States',
};
const earlier: OrderView = {
  ...order,
  orderId: 'a1f0e4c2-1111-4222-8333-944455556666',
  placedAt: '2031-06-14 09:30 UTC',
  lines: [{ product: seeds, quantity: 1, lineTotal: { text: '$4.25' } }],
  total: { text: '$13.24' },
};

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('orderConfirmationPage', () => {
  it('says the order is placed and shows its id, tracking id and total once', () => {
    const page = orderConfirmationPage(chrome, order);
    assert.ok(page.includes('Your order is placed'));
    assert.ok(page.includes('role="status"'));
    assert.equal(count(page, 'data-testid="order-id"'), 1);
    assert.match(page, /data-testid="order-id">0d6c6a52-6f1e-4f57-9f4e-2b7b1d1a0c11</);
    assert.match(page, /data-testid="tracking-id">TR-88213-XQ</);
    assert.equal(count(page, 'data-testid="order-total"'), 1);
    assert.match(page, /data-testid="order-total">\$52.74</);
    assert.match(page, /data-testid="order-shipping">\$8.99</);
    assert.ok(page.includes('<title>Order placed · Glasshouse</title>'));
  });

  it('lists the lines and the shipping address', () => {
    const page = orderConfirmationPage(chrome, order);
    assert.equal(count(page, 'data-testid="line-item"'), 2);
    assert.ok(page.includes('href="/product/HERB-SEEDS"'));
    assert.match(page, /data-testid="line-quantity">3</);
    assert.ok(page.includes('4 items'));
    assert.ok(page.includes(`data-testid="order-address">${order.address}<`));
  });

  it('links to the order history and back to the shop', () => {
    const page = orderConfirmationPage(chrome, order);
    assert.match(page, /<a class="nav-link" href="\/orders">See all your orders<\/a>/);
    assert.match(page, /<a class="button" href="\/">Continue shopping<\/a>/);
  });

  it('escapes what the services returned', () => {
    const page = orderConfirmationPage(chrome, { ...order, address: '<b>Main St</b>', trackingId: '"x"' });
    assert.ok(!page.includes('<b>Main St</b>'));
    assert.ok(page.includes('&lt;b&gt;Main St&lt;/b&gt;'));
    assert.ok(page.includes('&quot;x&quot;'));
  });
});

describe('ordersPage', () => {
  it('lists every order with one id, its date, item count and total', () => {
    const page = ordersPage(chrome, [order, earlier]);
    const items = page.split('data-testid="order-history-item"').slice(1);
    assert.equal(items.length, 2);
    assert.equal(count(page, 'data-testid="order-id"'), 2);
    assert.equal(count(page, 'data-testid="order-total"'), 2);
    const [first, second] = items as [string, string];
    assert.match(first, /data-testid="order-id">0d6c6a52-6f1e-4f57-9f4e-2b7b1d1a0c11</);
    assert.match(first, /data-testid="order-date">2031-06-15 14:02 UTC</);
    assert.match(first, /data-testid="order-item-count">4 items</);
    assert.match(first, /data-testid="order-total">\$52.74</);
    assert.match(second, /data-testid="order-id">a1f0e4c2-1111-4222-8333-944455556666</);
    assert.match(second, /data-testid="order-item-count">1 item</);
    assert.match(second, /data-testid="order-total">\$13.24</);
    assert.ok(!page.includes('data-testid="orders-empty"'));
  });

  it('folds each order’s lines into a details element', () => {
    const page = ordersPage(chrome, [order]);
    assert.match(page, /<details>\s*<summary>/);
    const folded = page.slice(page.indexOf('<details>'), page.indexOf('</details>'));
    assert.equal(count(folded, 'data-testid="line-item"'), 2);
    assert.ok(folded.includes('href="/product/GLASS-LANTERN"'));
    assert.ok(folded.includes('TR-88213-XQ'));
  });

  it('shows each order’s status where it is known', () => {
    const page = ordersPage(chrome, [{ ...order, status: 'partially refunded' }, earlier]);
    const [first, second] = page.split('data-testid="order-history-item"').slice(1) as [string, string];
    assert.match(first, /data-testid="order-status">partially refunded</);
    assert.ok(!second.includes('data-testid="order-status"'));
  });

  it('leaves out the date when the order has none', () => {
    const { orderId, trackingId, lines, shipping, total, address } = order;
    const undated: OrderView = { orderId, trackingId, lines, shipping, total, address };
    assert.ok(!ordersPage(chrome, [undated]).includes('data-testid="order-date"'));
  });

  it('shows an empty state with a link to the shop when there are no orders', () => {
    const page = ordersPage(chrome, []);
    assert.ok(page.includes('data-testid="orders-empty"'));
    assert.ok(page.includes("You haven't placed any orders yet."));
    assert.match(page, /<a class="button" href="\/">Start shopping<\/a>/);
    assert.ok(!page.includes('data-testid="order-history-item"'));
    assert.ok(page.includes('<title>Orders · Glasshouse</title>'));
  });
});
