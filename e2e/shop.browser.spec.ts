import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/shopper-browser.js';
import { inventory } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { ServiceMetrics, createClient } from '@glasshouse/kit';
import type { ProcessShop } from '@glasshouse/testing';
import { startProcessShop } from '@glasshouse/testing';
import { checkoutErrorOf } from '@glasshouse/testing';

const ARTIFACTS = join(__dirname, '..', 'var', 'test-artifacts');
/** Enough for this test's orders several times over, so a low-stock product is never picked. */
const MIN_STOCK = 10;

interface Pick {
  id: string;
  name: string;
}

/**
 * A shopper in a real browser (Debian's Chromium driven by playwright-core) against the whole
 * shop running as separate processes: browse, fill the cart, switch to euros, check out, and
 * be refused with an expired card without losing stock or gaining an order.
 */
describe('shopping in a browser', () => {
  let shop: ProcessShop;
  let browser: Browser;
  let page: Page;
  let stock: PromiseClient<typeof inventory.InventoryServiceService>;
  const picks: Pick[] = [];
  let orderId = '';

  const stockLevels = async (ids: readonly string[]): Promise<Record<string, number>> => {
    const { levels } = await stock.getStock({ productIds: [...ids] });
    return Object.fromEntries(levels.map((l) => [l.productId, l.quantity] as const));
  };

  /** Opens a product from the home page's grid and puts `quantity` of it in the cart. */
  const addFromHome = async (pick: Pick, quantity: number): Promise<void> => {
    await page.locator('a.brand').click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.locator(`[data-testid="product-card"] a[href="/product/${pick.id}"]`).click();
    await page.waitForURL(`**/product/${pick.id}`);
    const detail = page.locator('article.product-detail');
    assert.equal((await detail.getByTestId('product-name').textContent())?.trim(), pick.name);
    await detail.locator('select[name="quantity"]').selectOption(String(quantity));
    await detail.getByTestId('add-to-cart').click();
    await page.waitForURL('**/cart');
  };

  before(async () => {
    shop = await startProcessShop({ logLevel: 'warn' });
    stock = createClient(inventory.InventoryServiceClient, inventory.InventoryServiceService, {
      address: shop.addresses.inventory ?? '',
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      deadlineMs: 5_000,
    });
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: shop.url });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(20_000);
    page = await context.newPage();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    stock?.close();
    await shop?.stop();
  });

  it('shows the catalogue on the home page, priced in dollars', async () => {
    const response = await page.goto('/');
    assert.equal(response?.status(), 200);
    const cards = page.getByTestId('product-card');
    assert.ok((await cards.count()) >= 2, 'at least two product cards');
    const links = await cards.locator('a').all();
    const ids = await Promise.all(
      links.map(async (a) => ((await a.getAttribute('href')) ?? '').replace('/product/', '')),
    );
    const levels = await stockLevels(ids);
    for (const id of ids.filter((i) => (levels[i] ?? 0) >= MIN_STOCK).slice(0, 2)) {
      const card = page.locator(`[data-testid="product-card"]:has(a[href="/product/${id}"])`);
      picks.push({ id, name: (await card.getByTestId('product-name').textContent())?.trim() ?? '' });
      assert.match((await card.getByTestId('product-price').textContent()) ?? '', /\$/);
    }
    assert.equal(picks.length, 2, 'two products with enough stock');
  });

  it('adds two of one product and one of another to the cart', async () => {
    const [first, second] = picks as [Pick, Pick];
    await addFromHome(first, 2);
    assert.equal(await page.getByTestId('line-item').count(), 1);
    await addFromHome(second, 1);
    assert.equal(await page.getByTestId('line-item').count(), 2);
    assert.equal((await page.getByTestId('cart-size').textContent())?.trim(), '3');
  });

  it('shows both lines in euros after picking EUR in the currency picker', async () => {
    await page.getByTestId('currency-select').selectOption('EUR');
    // The picker submits itself and the shop sends the browser back to the cart.
    await page.locator('[data-testid="cart-total"]', { hasText: '€' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/cart');
    const lines = page.getByTestId('line-item');
    const seen: Record<string, { quantity: string; total: string }> = {};
    for (const line of await lines.all()) {
      const name = (await line.getByTestId('line-name').textContent())?.trim() ?? '';
      seen[name] = {
        quantity: (await line.getByTestId('line-quantity').textContent())?.trim() ?? '',
        total: (await line.getByTestId('line-total').textContent())?.trim() ?? '',
      };
    }
    const [first, second] = picks as [Pick, Pick];
    assert.deepEqual(Object.keys(seen).sort(), [first.name, second.name].sort());
    assert.equal(seen[first.name]?.quantity, '2');
    assert.equal(seen[second.name]?.quantity, '1');
    for (const { total } of Object.values(seen)) assert.match(total, /€/);
    assert.doesNotMatch((await page.getByTestId('cart-subtotal').textContent()) ?? '', /\$/);
  });

  it('places the order with the prefilled checkout form and confirms it with an order id', async () => {
    const form = page.getByTestId('checkout-form');
    assert.equal(await form.locator('input[name="email"]').inputValue(), 'someone@example.com');
    await form.getByTestId('place-order').click();
    await page.locator('#order-title').waitFor();
    orderId = (await page.getByTestId('order-id').textContent())?.trim() ?? '';
    assert.match(orderId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match((await page.getByTestId('order-total').textContent()) ?? '', /€/);
    assert.equal(await page.getByTestId('line-item').count(), 2);
    assert.equal((await page.getByTestId('cart-size').textContent())?.trim(), '0');
    await page.screenshot({ path: join(ARTIFACTS, 'order-confirmation.png'), fullPage: true });
  });

  it('lists the order on the orders page', async () => {
    await page.goto('/orders');
    const orders = page.getByTestId('order-history-item');
    assert.equal(await orders.count(), 1);
    assert.equal((await orders.getByTestId('order-id').textContent())?.trim(), orderId);
  });

  it('refuses an expired card with a 400 page, keeping stock and placing no order', async () => {
    const [first] = picks as [Pick];
    await addFromHome(first, 1);
    const stockBefore = await stockLevels([first.id]);
    const form = page.getByTestId('checkout-form');
    const lastYear = new Date().getUTCFullYear() - 1;
    const options = await form.locator('select[name="credit_card_expiration_year"] option').all();
    const years = await Promise.all(options.map((o) => o.getAttribute('value')));

    let status: number;
    let html: string;
    if (years.includes(String(lastYear))) {
      await form.locator('select[name="credit_card_expiration_year"]').selectOption(String(lastYear));
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/cart/checkout')),
        form.getByTestId('place-order').click(),
      ]);
      status = response.status();
      html = await response.text();
    } else {
      // The picker offers no past year, so the form as filled in is posted with last year,
      // from the same browser context (same cookies), as a hand-edited request would be.
      const pairs = await form.locator('[name]').evaluateAll((elements) =>
        elements.map((element) => {
          const field = element as unknown as { name: string; value: string };
          return [field.name, field.value] as const;
        }),
      );
      const fields = Object.fromEntries(pairs);
      const response = await page.request.post('/cart/checkout', {
        form: { ...fields, credit_card_expiration_year: String(lastYear) },
      });
      status = response.status();
      html = await response.text();
    }
    assert.equal(status, 400);
    assert.match(checkoutErrorOf(html) ?? '', /Your order was not placed: .*expired/);
    assert.doesNotMatch(html, /data-testid="order-id"/);

    assert.deepEqual(await stockLevels([first.id]), stockBefore, 'stock is as it was');
    await page.goto('/orders');
    const orders = page.getByTestId('order-history-item');
    assert.equal(await orders.count(), 1, 'still only the first order');
    assert.equal((await orders.getByTestId('order-id').textContent())?.trim(), orderId);
    assert.equal((await page.getByTestId('cart-size').textContent())?.trim(), '1', 'the cart is kept');
  });
});
