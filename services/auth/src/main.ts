import '@glasshouse/kit/register';
import { openServiceDatabase, runGrpcService } from '@glasshouse/kit';
import { AUTH_SCHEMA, authMigrations, createAuthService, readAuthConfig } from './index.js';

void runGrpcService('auth', async (context, server) => {
  const config = readAuthConfig(context.env);
  const database = await openServiceDatabase(context, AUTH_SCHEMA, authMigrations);
  context.logger.info({ 'db.kind': database.db.kind, applied: database.applied }, 'auth database ready');
  createAuthService(config, { ...context, server, database });
});
