import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless, as the browser tests drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** A browser profile on the shop; `synthetic` sends the load generator's baggage with every request. */
export async function shopperContext(
  browser: Browser,
  shopUrl: string,
  synthetic = false,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: shopUrl,
    ...(synthetic ? { extraHTTPHeaders: { baggage: 'synthetic_request=true' } } : {}),
  });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  return context;
}

/**
 * Makes the page hidden, as leaving it or switching tabs does: web-vitals reports what it has
 * measured and the shop's bundle sends it (an explicit event, so the test does not depend on
 * what a browser manages to send while unloading).
 */
export async function leavePage(page: Page): Promise<void> {
  // Strings, not functions: they run in the page, whose DOM types this Node project does not load.
  await page.waitForFunction("document.readyState === 'complete'");
  await page.evaluate(`
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  `);
}

/**
 * One shopper's visit in a real browser: the home page, then a product from its grid, a click
 * in the page, and away. The shop's browser bundle reports both pages' spans and Web Vitals.
 */
export async function visitShop(
  browser: Browser,
  shopUrl: string,
  productId: string,
  synthetic = false,
): Promise<void> {
  const context = await shopperContext(browser, shopUrl, synthetic);
  try {
    const page = await context.newPage();
    await page.goto('/');
    await leavePage(page);
    await page.locator(`[data-testid="product-card"] a[href="/product/${productId}"]`).first().click();
    await page.waitForURL(`**/product/${productId}`);
    await page.locator('select[name="quantity"]').click();
    await page.keyboard.press('Escape');
    await leavePage(page);
  } finally {
    await context.close();
  }
}
