/**
 * The parts of the kit that load nothing else: the service table, the typed environment
 * readers, waitFor, the process guard, the service-thread messages and the embedded databases'
 * initdb. For entry points that must stay light: the runner hosts every service thread beside
 * its own.
 */
export type { EnvReader, Environment } from './config.js';
export { ConfigError, envReader } from './config.js';
export type { ServiceName, ServiceSpec, ServiceStore } from './services.js';
export { SERVICES, addressVariable, adminAddressVariable, serviceSpec, startOrder } from './services.js';
export { STOP_MESSAGE, inServiceThread, isStopMessage } from './thread.js';
export type { WaitOptions } from './wait.js';
export { DeadlineError, waitFor } from './wait.js';
export type { ProcessGuard } from './process-guard.js';
export { startProcessGuard } from './process-guard.js';
export { DEFAULT_PGLITE_DATA_DIR, prepareTemplate } from './pglite-init.js';
export {
  LOCAL_AUDIT_FILE,
  LOCAL_ADMIN_TOKEN_FILE,
  LOCAL_FLAGS_FILE,
  prepareLocalFlags,
} from './flags/local-flags.js';
