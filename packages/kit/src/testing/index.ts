export type { ReceivedSpan } from './otlp-receiver.js';
export { OtlpReceiver } from './otlp-receiver.js';
export { DeadlineError, waitFor } from '../wait.js';
export { withTimeout } from './wait.js';
export { ServiceProcess } from './service-process.js';
export type { ExemplarLine } from './exposition.js';
export { metricSample, parseExemplars } from './exposition.js';
export type { ShopAddresses } from './ports.js';
export { distinctFreePorts, freePort, freeShopAddresses } from './ports.js';
export type { StoreVariant, TestStore, TestStoreOptions } from './databases.js';
export {
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  openPgliteStore,
  openPostgresStore,
  storeVariants,
} from './databases.js';
export { expectStatus } from './expect-status.js';
export type { ServedService } from './serve.js';
export { serveOnFreePort } from './serve.js';
export { ONLINE_BOUTIQUE_PRODUCT_IDS } from './online-boutique.js';
export { OBSERVABILITY_PROGRAMS, pathWithout } from './path.js';
