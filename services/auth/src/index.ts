import { readFileSync } from 'node:fs';
import { auth } from '@glasshouse/contracts';
import type { Database, EnvReader, GrpcServer, Logger, ServiceRuntime } from '@glasshouse/kit';
import { ensureAdminToken } from '@glasshouse/kit';
import { LOCAL_ADMIN_TOKEN_FILE } from '@glasshouse/kit/core';
import { adminMethods } from './admin.js';
import { Actors } from './actors.js';
import type { LockoutPolicy } from './lockout.js';
import { authMetrics } from './metrics.js';
import { decoyHash } from './passwords.js';
import { AuthRepository } from './repository.js';
import { accountMethods } from './server.js';
import { SessionGauge } from './session-gauge.js';

export { authMigrations } from './migrations.js';
export { AuthRepository } from './repository.js';
export type { LockoutPolicy } from './lockout.js';
export { SCRYPT_COST } from './passwords.js';

/** The schema the auth service owns. */
export const AUTH_SCHEMA = 'auth';

export interface AuthConfig {
  readonly sessionTtlMs: number;
  readonly minPasswordLength: number;
  readonly lockout: LockoutPolicy;
  /** The deployment's admin token (GLASSHOUSE_ADMIN_TOKEN), or the file it is kept in (made on first start, 0600). */
  readonly bootstrapToken: string | { readonly file: string };
}

export function readAuthConfig(env: EnvReader): AuthConfig {
  const token = env.optionalString('GLASSHOUSE_ADMIN_TOKEN');
  return Object.freeze({
    sessionTtlMs: env.int('AUTH_SESSION_TTL_SECONDS', 86_400, { min: 1 }) * 1000,
    minPasswordLength: env.int('AUTH_PASSWORD_MIN_LENGTH', 8, { min: 1, max: 128 }),
    lockout: Object.freeze({
      accountFailures: env.int('AUTH_LOCKOUT_ACCOUNT_FAILURES', 5, { min: 1 }),
      addressFailures: env.int('AUTH_LOCKOUT_ADDRESS_FAILURES', 20, { min: 1 }),
      windowMs: env.int('AUTH_LOCKOUT_WINDOW_SECONDS', 900, { min: 1 }) * 1000,
    }),
    bootstrapToken: token ?? { file: env.string('ADMIN_TOKEN_FILE', LOCAL_ADMIN_TOKEN_FILE) },
  });
}

export interface AuthDependencies extends ServiceRuntime {
  readonly server: GrpcServer;
  /** The auth service's database, migrated, and the schema its tables are in. */
  readonly database: { readonly db: Database; readonly schema: string };
  /** The clock sessions expire and lockouts end by. */
  readonly now?: () => Date;
}

/**
 * The token in `file`, made there when missing (the frontend may be making it at the same
 * moment). Undefined where it cannot be made (a read-only container without
 * GLASSHOUSE_ADMIN_TOKEN): the service then runs without a bootstrap token.
 */
function tokenFrom(file: string, logger: Logger): string | undefined {
  try {
    return ensureAdminToken(file);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    logger.warn({ err: error }, 'no bootstrap token: set GLASSHOUSE_ADMIN_TOKEN to make the first admin');
    return undefined;
  }
}

/** Serves the AuthService from the auth service's database and keeps the active-sessions gauge current. */
export function createAuthService(
  config: AuthConfig,
  deps: AuthDependencies,
): { readonly repository: AuthRepository } {
  const now = deps.now ?? (() => new Date());
  const repository = new AuthRepository(deps.database.db, deps.database.schema);
  const bootstrap = config.bootstrapToken;
  const bootstrapToken = typeof bootstrap === 'string' ? bootstrap : tokenFrom(bootstrap.file, deps.logger);
  const actors = new Actors(repository, bootstrapToken, now);
  const metrics = authMetrics(deps.metrics);
  const gauge = new SessionGauge({
    count: () => repository.activeSessions(now()),
    metrics,
    logger: deps.logger,
  });
  gauge.start();
  deps.onShutdown('session gauge', () => gauge.stop());
  deps.server.add(auth.AuthServiceService, {
    ...accountMethods({
      repository,
      actors,
      metrics,
      lockout: config.lockout,
      minPasswordLength: config.minPasswordLength,
      sessionTtlMs: config.sessionTtlMs,
      now,
      decoyHash: decoyHash(),
      sessionsChanged: () => gauge.refreshSoon(),
    }),
    ...adminMethods({ repository, actors, now }),
  });
  return { repository };
}
