export type { ReceivedSpan } from './otlp-receiver.js';
export { OtlpReceiver } from './otlp-receiver.js';
export { DeadlineError, waitFor } from '../wait.js';
export { withTimeout } from './wait.js';
export { ServiceProcess } from './service-process.js';
export { endsWithTest } from './guarded.js';
export { metricSample, parseExemplars } from './exposition.js';
export { distinctFreePorts, freePort, freeShopAddresses } from './ports.js';
export type { TestStore, TestStoreOptions } from './databases.js';
export {
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  openPgliteStore,
  openPostgresStore,
  storeVariants,
} from './databases.js';
export { expectStatus } from './expect-status.js';
export { serveOnFreePort } from './serve.js';
export { ONLINE_BOUTIQUE_PRODUCT_IDS } from './online-boutique.js';
export { pathWithout } from './path.js';
export { commandLineOf, descendantsOf, hasEnded, isRunning } from './processes.js';
