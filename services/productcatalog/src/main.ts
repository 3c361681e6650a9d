import '@glasshouse/kit/register';
import { openServiceDatabase, runGrpcService } from '@glasshouse/kit';
import { CATALOG_SCHEMA, catalogMigrations, createCatalogService, readCatalogConfig } from './index.js';

void runGrpcService('productcatalog', async (context, server) => {
  const database = await openServiceDatabase(context, CATALOG_SCHEMA, catalogMigrations);
  context.logger.info({ 'db.kind': database.db.kind, applied: database.applied }, 'catalog database ready');
  createCatalogService(readCatalogConfig(context.env), { ...context, server, database });
});
