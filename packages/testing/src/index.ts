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
export type { ContractMethod } from './arbitraries/grpc-methods.js';
export { contractMethods, serverOf } from './arbitraries/grpc-methods.js';
export type { FormField, FormFields, GeneratedBody } from './arbitraries/http-input.js';
export { hostileQuery, oneFieldBroken, wholeBodyGarbage } from './arbitraries/http-input.js';
export {
  HUGE_LENGTHS,
  hostileHeaderText,
  hostileText,
  hugeText,
  withNastyCharacter,
} from './arbitraries/hostile-text.js';
export type { FieldHints, ProtoObject } from './arbitraries/messages.js';
export { fieldNamesOf, fullNameOf, messageArbitrary } from './arbitraries/messages.js';
export type { ShopFacts } from './arbitraries/shop-hints.js';
export { shopHints } from './arbitraries/shop-hints.js';
export type { FreshDatabase, StoreFingerprint } from './store-fingerprint.js';
export { changedTables, openFreshDatabase, storeFingerprint } from './store-fingerprint.js';
export { commandLineOf, descendantsOf, hasEnded, isRunning } from '@glasshouse/kit/testing';
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
  csrfTokenOf,
  SESSION_COOKIE,
  WebShopper,
  checkoutErrorOf,
  requestIdOf,
  testIdTexts,
} from './web-shopper.js';
