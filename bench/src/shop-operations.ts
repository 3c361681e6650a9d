import { randomUUID } from 'node:crypto';
import { ONLINE_BOUTIQUE_PRODUCT_IDS } from '@glasshouse/kit/testing';
import type { HttpTarget } from './http-client.js';
import type { Operation } from './load.js';
import type { LatencyRecorder } from './percentiles.js';

/** What the shop's pages are asked, as a shopper's browser asks them. */

export const SESSION_COOKIE = 'shop_session-id';
export const PRODUCT_ID = 'OLJCESPC7Z';

/** Online Boutique's test VISA card; the expiry stays a few years ahead. */
export const BENCH_CARD = {
  number: '4432801561520454',
  cvv: '672',
  month: '1',
  year: String(new Date().getUTCFullYear() + 3),
} as const;

const CHECKOUT_FIELDS = {
  email: 'bench@example.com',
  street_address: '1600 Amphitheatre Parkway',
  zip_code: '94043',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
  credit_card_number: BENCH_CARD.number,
  credit_card_expiration_month: BENCH_CARD.month,
  credit_card_expiration_year: BENCH_CARD.year,
  credit_card_cvv: BENCH_CARD.cvv,
} as const;

/** A cart line can hold 999 and a cart 100 lines: a user starts a new session well before. */
const ADDS_PER_SESSION = 500;

const cookieOf = (session: string): Record<string, string> => ({ cookie: `${SESSION_COOKIE}=${session}` });

/** GET / for a user with a session of its own. */
export function homePage(target: HttpTarget): (user: number) => Operation {
  return () => {
    const headers = cookieOf(randomUUID());
    return async () => {
      await target.expect(200, { method: 'GET', path: '/', headers });
    };
  };
}

export function productPage(target: HttpTarget, productId = PRODUCT_ID): (user: number) => Operation {
  return () => {
    const headers = cookieOf(randomUUID());
    return async () => {
      await target.expect(200, { method: 'GET', path: `/product/${productId}`, headers });
    };
  };
}

/** POST /cart (answered 302 → /cart), each user in its own session, cycling through products. */
export function addToCart(target: HttpTarget): (user: number) => Operation {
  return (user) => {
    let session = randomUUID();
    let adds = 0;
    return async () => {
      if (adds === ADDS_PER_SESSION) {
        session = randomUUID();
        adds = 0;
      }
      const productId =
        ONLINE_BOUTIQUE_PRODUCT_IDS[(user + adds) % ONLINE_BOUTIQUE_PRODUCT_IDS.length] ?? PRODUCT_ID;
      adds += 1;
      await target.expect(302, {
        method: 'POST',
        path: '/cart',
        headers: cookieOf(session),
        form: { product_id: productId, quantity: '1' },
      });
    };
  };
}

/** A placed order as the confirmation page shows it, for the persistence check. */
export interface PlacedOrder {
  readonly orderId: string;
  readonly userId: string;
}

export interface CheckoutLog {
  /** Every order confirmed over HTTP, warm-up included. */
  readonly placed: PlacedOrder[];
  /** The checkout POST alone, while the measured window is open. */
  readonly checkoutOnly: LatencyRecorder;
  measuring: boolean;
}

const ORDER_ID = /data-testid="order-id">([^<]+)</;

/**
 * The measured operation is "add one item, then check out" (two requests, as a shopper does):
 * every checkout needs a filled cart, and filling it through the page keeps the cost honest.
 */
export function addItemAndCheckout(
  target: HttpTarget,
  log: CheckoutLog,
  productId = PRODUCT_ID,
): (user: number) => Operation {
  return () => {
    const userId = randomUUID();
    const headers = cookieOf(userId);
    return async () => {
      await target.expect(302, {
        method: 'POST',
        path: '/cart',
        headers,
        form: { product_id: productId, quantity: '1' },
      });
      const started = performance.now();
      const answer = await target.expect(200, {
        method: 'POST',
        path: '/cart/checkout',
        headers,
        form: { ...CHECKOUT_FIELDS, idempotency_key: randomUUID() },
        keepBody: true,
      });
      if (log.measuring) log.checkoutOnly.record(performance.now() - started);
      const orderId = ORDER_ID.exec(answer.body)?.[1];
      if (!orderId) throw new Error('POST /cart/checkout: 200 without an order id');
      log.placed.push({ orderId, userId });
    };
  };
}
