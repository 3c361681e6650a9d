import type { FastifyInstance } from 'fastify';
import type { EnvReader, ReadinessCheck, ServiceClientFactory, ServiceRuntime } from '@glasshouse/kit';
import { FlagControl, ensureAdminToken, shopClientsOf } from '@glasshouse/kit';
import { LOCAL_ADMIN_TOKEN_FILE, LOCAL_AUDIT_FILE } from '@glasshouse/kit/core';
import { buildFrontend } from './app.js';
import { addRouteFaults } from './faults.js';
import { registerAdmin } from './routes/admin.js';
import { adminOrderClients, registerAdminOrders } from './routes/admin-orders.js';
import { adminTokenAccess } from './routes/admin-orders-access.js';
import type { Backends } from './backends.js';

export type { FrontendOptions } from './app.js';
export { buildFrontend } from './app.js';
export type { Backends } from './backends.js';

export interface FrontendConfig {
  /** The currency of a shopper who has not chosen one. */
  readonly defaultCurrency: string;
  /** The failure scenarios' admin page, when the flags are a file this process may edit. */
  readonly admin?: {
    readonly flagsFile: string;
    readonly auditFile: string;
    /** The admin token, or the file it is kept in (made on first start, 0600). */
    readonly token: string | { readonly file: string };
  };
}

export function readFrontendConfig(env: EnvReader): FrontendConfig {
  const flagsFile = env.optionalString('FLAGS_FILE');
  const token = env.optionalString('GLASSHOUSE_ADMIN_TOKEN');
  return Object.freeze({
    defaultCurrency: env.string('DEFAULT_CURRENCY', 'USD'),
    ...(flagsFile && {
      admin: {
        flagsFile,
        auditFile: env.string('FLAGS_AUDIT_FILE', LOCAL_AUDIT_FILE),
        token: token ?? { file: env.string('ADMIN_TOKEN_FILE', LOCAL_ADMIN_TOKEN_FILE) },
      },
    }),
  });
}

/**
 * Clients of the services the pages call; every read may be retried, cart and checkout writes
 * not. No page renders without the catalog and prices: the frontend is not ready while either
 * is down (the rest degrade to an error on the page that needs them).
 */
export function frontendBackends(client: ServiceClientFactory): Backends {
  const read = { idempotent: true };
  const essentialRead = { idempotent: true, required: true };
  return shopClientsOf(client, {
    catalog: essentialRead,
    currency: essentialRead,
    cart: {},
    shipping: read,
    checkout: {},
    orders: read,
    recommendation: read,
    ad: read,
  });
}

export interface FrontendDependencies extends ServiceRuntime {
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** What the pages call; by default `frontendBackends(client)`. */
  readonly backends?: Backends;
}

/** The shop's HTTP app over the services it calls. Opens no port: the caller listens or injects. */
export function createFrontend(config: FrontendConfig, deps: FrontendDependencies): FastifyInstance {
  const app = buildFrontend({
    backends: deps.backends ?? frontendBackends(deps.client),
    logger: deps.logger,
    metrics: deps.metrics,
    ...(deps.readinessChecks ? { readinessChecks: deps.readinessChecks } : {}),
    defaultCurrency: config.defaultCurrency,
  });
  addRouteFaults(app, deps.flags);
  if (config.admin) {
    const { flagsFile, auditFile, token } = config.admin;
    const adminToken = typeof token === 'string' ? token : ensureAdminToken(token.file);
    const control = new FlagControl({ flagsFile, auditFile, adminToken, logger: deps.logger });
    registerAdmin(app, { control, adminToken });
    registerAdminOrders(app, { ...adminOrderClients(deps.client), access: adminTokenAccess(adminToken) });
  }
  return app;
}
