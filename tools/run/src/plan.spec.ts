import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, SERVICES, addressVariable, adminAddressVariable } from '@glasshouse/kit';
import type { ServiceSpec } from '@glasshouse/kit';
import { readRunConfig } from './config.js';
import { embeddedDatabases, launchPlan } from './plan.js';

const DB = 'postgres://postgres@127.0.0.1:55432/postgres';

const spec = (overrides: Partial<ServiceSpec> & Pick<ServiceSpec, 'name'>): ServiceSpec => ({
  protocol: 'grpc',
  port: 1000,
  adminPort: 2000,
  store: 'none',
  calls: [],
  implemented: true,
  summary: '',
  ...overrides,
});

describe('readRunConfig', () => {
  it('has defaults for everything', () => {
    const config = readRunConfig({});
    assert.equal(config.logLevel, 'info');
    assert.equal(config.loadgen, true);
    assert.equal(config.scrapeInterval, '15s');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.services.length, SERVICES.length);
    assert.equal(config.mode, 'threads');
    assert.deepEqual(config.threadLimits, { youngGenerationMb: 32, heapMb: 1024 });
  });

  it('runs one process per service when asked', () => {
    assert.equal(readRunConfig({ RUN_MODE: 'processes' }).mode, 'processes');
  });

  it('names the variable of a bad value', () => {
    const bad: [Record<string, string>, string][] = [
      [{ SCRAPE_INTERVAL: 'often' }, 'SCRAPE_INTERVAL'],
      [{ SCRAPE_INTERVAL: '0s' }, 'SCRAPE_INTERVAL'],
      [{ FRONTEND_ADDR: 'localhost:http' }, 'FRONTEND_ADDR'],
      [{ CURRENCY_ADMIN_ADDR: '127.0.0.1:99999' }, 'CURRENCY_ADMIN_ADDR'],
      [{ RUN_LOG_LEVEL: 'loud' }, 'RUN_LOG_LEVEL'],
      [{ LOADGEN: 'maybe' }, 'LOADGEN'],
      [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
      [{ RUN_MODE: 'containers' }, 'RUN_MODE'],
      [{ RUN_THREAD_HEAP_MB: '16' }, 'RUN_THREAD_HEAP_MB'],
      [{ RUN_THREAD_YOUNG_MB: 'lots' }, 'RUN_THREAD_YOUNG_MB'],
    ];
    for (const [env, variable] of bad) {
      assert.throws(
        () => readRunConfig(env),
        (error: unknown) => error instanceof ConfigError && error.variable === variable,
        variable,
      );
    }
  });

  it('moves an HTTP service admin address with its main address, unless set on its own', () => {
    const frontend = (env: Record<string, string>) =>
      readRunConfig(env).services.find((s) => s.spec.name === 'frontend');
    assert.deepEqual(frontend({ FRONTEND_ADDR: '127.0.0.1:9000' })?.adminAddress, {
      host: '127.0.0.1',
      port: 9000,
    });
    assert.deepEqual(
      frontend({ FRONTEND_ADDR: ':9000', FRONTEND_ADMIN_ADDR: '127.0.0.2:9001' })?.adminAddress,
      {
        host: '127.0.0.2',
        port: 9001,
      },
    );
  });
});

describe('launchPlan', () => {
  const table = [
    spec({
      name: 'frontend',
      protocol: 'http',
      port: 8080,
      adminPort: 8080,
      calls: ['productcatalog', 'cart'],
    }),
    spec({ name: 'productcatalog', port: 3550, adminPort: 13550 }),
    spec({ name: 'cart', port: 7070, adminPort: 17070, implemented: false }),
    spec({ name: 'loadgen', protocol: 'worker', port: 0, adminPort: 18089, calls: ['frontend'] }),
  ];

  it('starts implemented services after what they call, with every address and the database', () => {
    const plan = launchPlan(readRunConfig({}, table), { PATH: '/usr/bin' }, DB);
    assert.deepEqual(
      plan.map((launch) => launch.name),
      ['productcatalog', 'frontend', 'loadgen'],
    );
    const frontend = plan.find((launch) => launch.name === 'frontend');
    assert.ok(frontend);
    assert.deepEqual(frontend.dependsOn, ['productcatalog']);
    assert.equal(frontend.script, 'services/frontend/dist/main.js');
    assert.equal(frontend.readyUrl, 'http://127.0.0.1:8080/readyz');
    assert.equal(frontend.env.OTEL_SERVICE_NAME, 'frontend');
    assert.equal(frontend.env.DATABASE_URL, DB);
    assert.equal(frontend.env.PATH, '/usr/bin');
    for (const service of table) {
      assert.ok(frontend.env[addressVariable(service.name)], `${service.name} address`);
      assert.ok(frontend.env[adminAddressVariable(service.name)], `${service.name} admin address`);
    }
    assert.equal(frontend.env.CART_ADDR, '127.0.0.1:7070');
    assert.equal(frontend.env.PRODUCTCATALOG_ADMIN_ADDR, '127.0.0.1:13550');
  });

  it('keeps addresses the user set, and probes them', () => {
    const env = { PRODUCTCATALOG_ADDR: '0.0.0.0:4000', PRODUCTCATALOG_ADMIN_ADDR: '14000' };
    const plan = launchPlan(readRunConfig(env, table), env, undefined);
    const catalog = plan.find((launch) => launch.name === 'productcatalog');
    assert.equal(catalog?.env.PRODUCTCATALOG_ADDR, '0.0.0.0:4000');
    assert.equal(catalog?.env.PRODUCTCATALOG_ADMIN_ADDR, '14000');
    assert.equal(catalog?.readyUrl, 'http://127.0.0.1:14000/readyz');
    assert.equal(catalog?.env.DATABASE_URL, undefined);
  });

  it('leaves the load generator out when LOADGEN=off', () => {
    const plan = launchPlan(readRunConfig({ LOADGEN: 'off' }, table), {}, DB);
    assert.deepEqual(
      plan.map((launch) => launch.name),
      ['productcatalog', 'frontend'],
    );
  });

  it('names the embedded databases to prepare: one folder per service with a Postgres store, none with a server', () => {
    const stores = [
      ...table,
      spec({ name: 'orders', port: 50055, adminPort: 15005, store: 'postgres' }),
      spec({ name: 'inventory', port: 50056, adminPort: 15006, store: 'postgres' }),
    ];
    const embedded = launchPlan(readRunConfig({}, stores), {}, undefined);
    assert.deepEqual(embeddedDatabases(embedded, '/repo'), {
      parent: '/repo/var/pgdata',
      folders: ['orders', 'inventory'],
    });
    const elsewhere = launchPlan(readRunConfig({}, stores), { PGLITE_DATA_DIR: '/tmp/shop' }, undefined);
    assert.equal(embeddedDatabases(elsewhere, '/repo')?.parent, '/tmp/shop');
    assert.equal(embeddedDatabases(launchPlan(readRunConfig({}, stores), {}, DB), '/repo'), undefined);
    assert.equal(embeddedDatabases(launchPlan(readRunConfig({}, table), {}, undefined), '/repo'), undefined);
  });
});
