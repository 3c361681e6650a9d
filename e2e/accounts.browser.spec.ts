import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_POSTGRES_URL } from '@glasshouse/kit/testing';
import type { ProcessShop } from '@glasshouse/testing';
import { startProcessShop } from '@glasshouse/testing';
import { launchChromium } from './support/shopper-browser.js';

/**
 * A customer in a real browser (Debian's Chromium) against the whole shop as separate processes,
 * auth included: sign up, sign out, sign in, order, and find the order in the history after
 * signing in from a fresh browser context, with no Content-Security-Policy violation on the way.
 */
describe('a customer account in a browser', () => {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  const database = `glasshouse_accounts_${randomBytes(4).toString('hex')}`;
  let shop: ProcessShop;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const email = `browser-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'a browser-typed password';
  let orderId = '';

  const freshPage = async (): Promise<Page> => {
    const context = await browser.newContext({ baseURL: shop.url });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(20_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    return page;
  };
  const signIn = async (page: Page): Promise<void> => {
    await page.goto('/');
    await page.getByTestId('account-link').click();
    await page.waitForURL('**/login');
    const form = page.getByTestId('sign-in-form');
    await form.locator('input[name="email"]').fill(email);
    await form.locator('input[name="password"]').fill(password);
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), form.getByTestId('sign-in').click()]);
  };

  before(async () => {
    // PostgreSQL rather than PGlite: five WebAssembly databases starting at once are slow on a busy machine.
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const databaseUrl = new URL(TEST_POSTGRES_URL);
    databaseUrl.pathname = `/${database}`;
    shop = await startProcessShop({
      logLevel: 'warn',
      databaseUrl: databaseUrl.toString(),
      readyTimeoutMs: 120_000,
      env: { GLASSHOUSE_ADMIN_TOKEN: randomBytes(32).toString('hex') },
    });
    browser = await launchChromium();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await shop?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });

  it('signs up and is signed in at once, then signs out', async () => {
    const page = await freshPage();
    await page.goto('/signup');
    const form = page.getByTestId('sign-up-form');
    await form.locator('input[name="name"]').fill('Browser Customer');
    await form.locator('input[name="email"]').fill(email);
    await form.locator('input[name="password"]').fill(password);
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), form.getByTestId('sign-up').click()]);
    assert.equal((await page.getByTestId('account-link').textContent())?.trim(), 'Browser Customer');
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByTestId('sign-out').click()]);
    assert.equal((await page.getByTestId('account-link').textContent())?.trim(), 'Sign in');
  });

  it('signs in, places an order, and sees it in the history', async () => {
    const page = await freshPage();
    await signIn(page);
    await page.locator('[data-testid="product-card"] a').first().click();
    await page.waitForURL('**/product/*');
    await page.getByTestId('add-to-cart').click();
    await page.waitForURL('**/cart');
    // The currency picker submits itself through /static/js/currency.js, allowed by the CSP.
    await page.getByTestId('currency-select').selectOption('EUR');
    await page.locator('[data-testid="cart-total"]', { hasText: '€' }).waitFor();
    await Promise.all([
      page.waitForURL('**/cart/checkout'),
      page.getByTestId('checkout-form').getByTestId('place-order').click(),
    ]);
    orderId = (await page.getByTestId('order-id').first().textContent())?.trim() ?? '';
    assert.ok(orderId, 'the confirmation shows the order id');
    await page.goto('/orders');
    const orders = page.getByTestId('order-history-item');
    assert.equal(await orders.count(), 1);
  });

  it('finds the order after signing in from a fresh browser context', async () => {
    const page = await freshPage();
    await page.goto('/orders');
    assert.equal(await page.getByTestId('order-history-item').count(), 0, 'a new guest has no orders');
    await signIn(page);
    await page.goto('/orders');
    const orders = page.getByTestId('order-history-item');
    assert.equal(await orders.count(), 1);
    assert.equal((await orders.getByTestId('order-id').textContent())?.trim(), orderId);
  });

  it('met no Content-Security-Policy violation', () => {
    assert.deepEqual(violations, []);
  });
});
