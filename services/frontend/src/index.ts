import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { auth } from '@glasshouse/contracts';
import type { EnvReader, ReadinessCheck, ServiceClientFactory, ServiceRuntime } from '@glasshouse/kit';
import { FlagControl, ensureAdminToken, shopClientsOf } from '@glasshouse/kit';
import { LOCAL_ADMIN_TOKEN_FILE, LOCAL_AUDIT_FILE } from '@glasshouse/kit/core';
import { buildFrontend } from './app.js';
import { addRouteFaults } from './faults.js';
import { registerAdmin } from './routes/admin.js';
import { adminOrderClients, registerAdminOrders } from './routes/admin-orders.js';
import { staffAccess } from './routes/admin-orders-access.js';
import type { Backends } from './backends.js';
import type { RateLimits } from './security.js';
import { CSRF_FIELD, DEFAULT_RATE_LIMITS, csrfTokenFor } from './security.js';

export type { FrontendOptions } from './app.js';
export { buildFrontend } from './app.js';
export type { Backends } from './backends.js';

export interface FrontendConfig {
  /** The currency of a shopper who has not chosen one. */
  readonly defaultCurrency: string;
  readonly rateLimits: RateLimits;
  /** Fastify's trustProxy: whose X-Forwarded-For/-Proto to believe; false believes none. */
  readonly trustProxy: boolean | string;
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
    rateLimits: {
      signInPerMinute: env.int('SIGNIN_RATE_LIMIT', DEFAULT_RATE_LIMITS.signInPerMinute, { min: 0 }),
      checkoutPerMinute: env.int('CHECKOUT_RATE_LIMIT', DEFAULT_RATE_LIMITS.checkoutPerMinute, { min: 0 }),
    },
    trustProxy: trustProxyOf(env.optionalString('TRUST_PROXY')),
    ...(flagsFile && {
      admin: {
        flagsFile,
        auditFile: env.string('FLAGS_AUDIT_FILE', LOCAL_AUDIT_FILE),
        token: token ?? { file: env.string('ADMIN_TOKEN_FILE', LOCAL_ADMIN_TOKEN_FILE) },
      },
    }),
  });
}

/** `true` (any proxy) or comma-separated addresses/CIDRs of the proxies in front; unset trusts none. */
function trustProxyOf(value: string | undefined): boolean | string {
  if (value === undefined || value === 'false') return false;
  return value === 'true' ? true : value;
}

/**
 * Clients of the services the pages call; every read may be retried, cart and checkout writes
 * not. No page renders without the catalog and prices: the frontend is not ready while either
 * is down (the rest degrade to an error on the page that needs them).
 */
export function frontendBackends(client: ServiceClientFactory): Backends {
  const read = { idempotent: true };
  const essentialRead = { idempotent: true, required: true };
  const clients = shopClientsOf(client, {
    catalog: essentialRead,
    currency: essentialRead,
    cart: {},
    shipping: read,
    checkout: {},
    orders: read,
    recommendation: read,
    ad: read,
  });
  // Not retried: a sign-in attempt counts towards the lockout, and a retry would count twice.
  return { ...clients, auth: client(auth.AuthServiceClient, auth.AuthServiceService, 'auth', {}) };
}

/** The token in `file`; made there when missing (auth may be making it at the same moment). */
function adminTokenFrom(file: string): string {
  try {
    return ensureAdminToken(file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
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
    rateLimits: config.rateLimits,
    trustProxy: config.trustProxy,
  });
  addRouteFaults(app, deps.flags);
  if (config.admin) {
    const { flagsFile, auditFile, token } = config.admin;
    const adminToken = typeof token === 'string' ? token : adminTokenFrom(token.file);
    const control = new FlagControl({ flagsFile, auditFile, adminToken, logger: deps.logger });
    registerAdmin(app, { flags: { control, adminToken } });
    registerAdminOrders(app, {
      ...adminOrderClients(deps.client),
      access: staffAccess({ field: CSRF_FIELD, tokenFor: csrfTokenFor }),
    });
  } else registerAdmin(app, {});
  return app;
}
