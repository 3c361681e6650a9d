export type { InProcessShop, InProcessShopOptions } from './in-process-shop.js';
export { backendsFor, counterValue, startInProcessShop } from './in-process-shop.js';
export {
  ACCEPTED_CARD,
  BAD_LUHN_CARD,
  EXPIRED_CARD,
  SHIPPING_ADDRESS,
  TEST_TODAY,
  fillCart,
  newShopper,
  orderRequest,
  stockOf,
  testClock,
  withIdempotencyKey,
} from './place-order.js';
export { commandLineOf, descendantsOf, hasEnded, isRunning } from './processes.js';
export type { ProcessShop, ProcessShopOptions } from './process-shop.js';
export { startProcessShop } from './process-shop.js';
export type { StartedRunner } from './runner.js';
export { startRunner } from './runner.js';
export type { DialOptions, ShopClients, ShopService } from './shop-clients.js';
export { SHOP_SERVICES, dialer, shopClients } from './shop-clients.js';
export type { TestCartStore, TestDatabase } from './shop-stores.js';
export { openTestCartStore, openTestDatabase } from './shop-stores.js';
export type { CardFields, ShopResponse } from './web-shopper.js';
export {
  DEMO_ADDRESS,
  SESSION_COOKIE,
  WebShopper,
  checkoutErrorOf,
  requestIdOf,
  testIdTexts,
} from './web-shopper.js';
