import '@glasshouse/kit/register';
import { join } from 'node:path';
import { hipstershop } from '@glasshouse/contracts';
import { migrate, openDatabase, runGrpcService } from '@glasshouse/kit';
import { catalogMigrations } from './migrations.js';
import { ProductRepository } from './repository.js';
import { catalogService } from './server.js';

const SCHEMA = 'catalog';

void runGrpcService(
  'productcatalog',
  async ({ env, logger, metrics, lifecycle, addReadinessCheck }, server) => {
    const db = await openDatabase({
      url: env.url('DATABASE_URL')?.toString(),
      pgliteDataDir: join(env.string('PGLITE_DATA_DIR', 'var/pgdata'), 'productcatalog'),
      metrics,
      namespace: SCHEMA,
    });
    lifecycle.onShutdown('database', () => db.close());
    const applied = await migrate(db, SCHEMA, catalogMigrations(SCHEMA));
    logger.info({ 'db.kind': db.kind, applied }, 'catalog database ready');
    addReadinessCheck({ name: 'database', check: () => db.ping() });
    const repository = new ProductRepository(db, SCHEMA);
    server.add(
      hipstershop.ProductCatalogServiceService,
      catalogService({ repository, metrics, cacheTtlMs: env.int('CATALOG_CACHE_TTL_MS', 5000, { min: 0 }) }),
    );
  },
);
