import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cartPage } from './cart-pages.js';
import type { CartView, CheckoutFormValues, Chrome, LineView, ProductCard } from './model.js';

const chrome: Chrome = { currencies: ['EUR', 'USD'], currentCurrency: 'EUR', cartSize: 3, csrfToken: 'tok' };
const now = new Date('2031-06-15T12:00:00Z');

const teapot: ProductCard = {
  id: 'ENAMEL-TEAPOT',
  name: 'Enamel teapot',
  picture: '/static/img/products/enamel-teapot.svg',
  price: { text: '€24.00' },
  categories: ['kitchen'],
};
const gloves: ProductCard = {
  ...teapot,
  id: 'GARDEN-GLOVES',
  name: 'Garden gloves',
  price: { text: '€9.50' },
};
const lines: readonly LineView[] = [
  { product: teapot, quantity: 1, lineTotal: { text: '€24.00' } },
  { product: gloves, quantity: 2, lineTotal: { text: '€19.00' } },
];
const cart: CartView = {
  lines,
  subtotal: { text: '€43.00' },
  shipping: { text: '€8.99' },
  total: { text: '€51.99' },
  recommendations: [],
  idempotencyKey: 'key-7f3a',
};
const emptyCart: CartView = { ...cart, lines: [], subtotal: { text: '€0.00' }, total: { text: '€0.00' } };

const typed: CheckoutFormValues = {
  email: 'ada@example.org',
  streetAddress: '12 Analytical Row',
  zipCode: '10115',
  city: 'Berlin',
  state: 'BE',
  country: 'Germany',
};
const DEMO_CARD = '4432-8015-6152-0454';
const CHECKOUT_FIELDS = [
  'email',
  'street_address',
  'zip_code',
  'city',
  'state',
  'country',
  'credit_card_number',
  'credit_card_expiration_month',
  'credit_card_expiration_year',
  'credit_card_cvv',
];

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The opening tag of the control named `name`, whatever its element. */
function control(page: string, name: string): string {
  const match = new RegExp(`<(?:input|select)\\b[^>]*\\bname="${name}"[^>]*>`).exec(page);
  assert.ok(match, `no control named ${name}`);
  return match[0];
}

function valueOf(page: string, name: string): string | undefined {
  return /\bvalue="([^"]*)"/.exec(control(page, name))?.[1];
}

describe('cartPage', () => {
  it('posts the checkout form with every Online Boutique field name', () => {
    const page = cartPage(chrome, cart, undefined, now);
    assert.ok(page.includes('<form method="post" action="/cart/checkout" data-testid="checkout-form">'));
    for (const name of CHECKOUT_FIELDS) {
      assert.equal(count(page, `name="${name}"`), 1, name);
      assert.match(control(page, name), /\brequired\b/, name);
    }
    assert.match(page, /<input type="hidden" name="idempotency_key" value="key-7f3a"\s*\/?>/);
  });

  it('marks numeric fields and autocomplete hints for the browser', () => {
    const page = cartPage(chrome, cart, undefined, now);
    for (const name of ['credit_card_number', 'zip_code', 'credit_card_cvv']) {
      assert.match(control(page, name), /inputmode="numeric"/, name);
    }
    assert.match(control(page, 'credit_card_number'), /autocomplete="cc-number"/);
    assert.match(control(page, 'credit_card_cvv'), /autocomplete="cc-csc"/);
    assert.match(control(page, 'email'), /type="email"[^>]*autocomplete="email"/);
    assert.match(control(page, 'zip_code'), /autocomplete="postal-code"/);
  });

  it('offers months 1 to 12 and years from this year to ten years ahead', () => {
    const page = cartPage(chrome, cart, undefined, now);
    const months = page.slice(page.indexOf('name="credit_card_expiration_month"'));
    const monthSelect = months.slice(0, months.indexOf('</select>'));
    assert.deepEqual(
      [...monthSelect.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1])),
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const years = page.slice(page.indexOf('name="credit_card_expiration_year"'));
    const yearSelect = years.slice(0, years.indexOf('</select>'));
    assert.deepEqual(
      [...yearSelect.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1])),
      Array.from({ length: 11 }, (_, i) => 2031 + i),
    );
    assert.ok(yearSelect.includes('<option value="2032" selected>2032</option>'));
  });

  it('prefills the demo shopper and test card when nothing was submitted', () => {
    const page = cartPage(chrome, cart, undefined, now);
    assert.equal(valueOf(page, 'email'), 'someone@example.com');
    assert.equal(valueOf(page, 'street_address'), '1600 Amphitheatre Parkway');
    assert.equal(valueOf(page, 'zip_code'), '94043');
    assert.equal(valueOf(page, 'city'), 'Mountain View');
    assert.equal(valueOf(page, 'state'), 'CA');
    assert.equal(valueOf(page, 'country'), 'United States');
    assert.equal(valueOf(page, 'credit_card_number'), DEMO_CARD);
    assert.equal(valueOf(page, 'credit_card_cvv'), '672');
  });

  it('shows submitted values again but never a card number or CVV', () => {
    // What a careless handler might pass: the typed values plus the card fields of the request.
    const submitted = { ...typed, credit_card_number: '4111111111111111', credit_card_cvv: '913' };
    const page = cartPage(chrome, cart, { values: submitted, error: 'Card declined' }, now);
    assert.equal(valueOf(page, 'email'), 'ada@example.org');
    assert.equal(valueOf(page, 'street_address'), '12 Analytical Row');
    assert.equal(valueOf(page, 'zip_code'), '10115');
    assert.equal(valueOf(page, 'city'), 'Berlin');
    assert.equal(valueOf(page, 'state'), 'BE');
    assert.equal(valueOf(page, 'country'), 'Germany');
    assert.equal(valueOf(page, 'credit_card_number'), undefined);
    assert.equal(valueOf(page, 'credit_card_cvv'), undefined);
    for (const secret of ['4111111111111111', '913', DEMO_CARD, '672']) {
      assert.ok(!page.includes(secret), secret);
    }
  });

  it('shows the error in an alert box, escaped', () => {
    const page = cartPage(
      chrome,
      cart,
      { values: typed, error: `<img src=x onerror="alert(1)"> won't do` },
      now,
    );
    assert.match(page, /<div class="form-error" role="alert" data-testid="checkout-error">/);
    assert.ok(!page.includes('<img src=x'));
    assert.ok(page.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; won&#39;t do'));
  });

  it('has no error box without an error', () => {
    assert.ok(!cartPage(chrome, cart, undefined, now).includes('data-testid="checkout-error"'));
    assert.ok(!cartPage(chrome, cart, { values: typed }, now).includes('data-testid="checkout-error"'));
  });

  it('escapes submitted values in attributes', () => {
    const page = cartPage(chrome, cart, { values: { ...typed, city: '"><script>x</script>' } }, now);
    assert.ok(!page.includes('<script>x'));
    assert.equal(valueOf(page, 'city'), '&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
  });

  it('lists each line with a link, quantity and line total, then the totals', () => {
    const page = cartPage(chrome, cart, undefined, now);
    assert.equal(count(page, 'data-testid="line-item"'), 2);
    assert.ok(page.includes('href="/product/ENAMEL-TEAPOT"'));
    assert.ok(page.includes('href="/product/GARDEN-GLOVES"'));
    assert.ok(page.includes('src="/static/img/products/enamel-teapot.svg"'));
    assert.match(page, /data-testid="line-quantity">2</);
    assert.match(page, /data-testid="line-total">€19.00</);
    assert.match(page, /data-testid="cart-subtotal">€43.00</);
    assert.match(page, /data-testid="cart-shipping">€8.99</);
    assert.match(page, /data-testid="cart-total">€51.99</);
    assert.ok(page.includes('3 items'));
    assert.ok(page.includes('<title>Cart · Glasshouse</title>'));
  });

  it('has a form that empties the cart', () => {
    const page = cartPage(chrome, cart, undefined, now);
    assert.match(
      page,
      /<form method="post" action="\/cart\/empty">\s*<input type="hidden" name="_csrf" value="tok" \/>\s*<button[^>]*data-testid="empty-cart">\s*Empty cart\s*<\/button>/,
    );
  });

  it('shows recommendations only when there are some', () => {
    assert.ok(!cartPage(chrome, cart, undefined, now).includes('data-testid="recommendations"'));
    const page = cartPage(chrome, { ...cart, recommendations: [gloves] }, undefined, now);
    assert.ok(page.includes('data-testid="recommendations"'));
    assert.match(page, /data-testid="product-card">\s*<a href="\/product\/GARDEN-GLOVES">/);
  });

  it('shows a friendly empty state without the checkout form', () => {
    const page = cartPage(chrome, emptyCart, undefined, now);
    assert.ok(page.includes('data-testid="cart-empty"'));
    assert.ok(page.includes('Your cart is empty'));
    assert.match(page, /<a class="button" href="\/">Continue shopping<\/a>/);
    assert.ok(!page.includes('data-testid="checkout-form"'));
    assert.ok(!page.includes('data-testid="empty-cart"'));
    assert.ok(!page.includes('data-testid="line-item"'));
  });

  it('still shows a refused checkout when the cart turned out empty', () => {
    const page = cartPage(chrome, emptyCart, { values: typed, error: 'Your cart is empty' }, now);
    assert.ok(page.includes('data-testid="checkout-error"'));
  });

  it('computes the expiry years from the clock by default', () => {
    const year = new Date().getUTCFullYear();
    const page = cartPage(chrome, cart);
    assert.ok(page.includes(`<option value="${year}">${year}</option>`));
    assert.ok(page.includes(`<option value="${year + 10}">${year + 10}</option>`));
    assert.ok(!page.includes(`<option value="${year + 11}">`));
    assert.ok(!page.includes(`<option value="${year - 1}">`));
  });
});
