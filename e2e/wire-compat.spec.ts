import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { ServiceError } from '@grpc/grpc-js';
import { Client, credentials, status } from '@grpc/grpc-js';
import type { Database } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createLogger, envReader, migrate, openDatabase } from '@glasshouse/kit';
import { ONLINE_BOUTIQUE_PRODUCT_IDS } from '@glasshouse/kit/testing';
import { createCurrencyService, readCurrencyConfig } from '@glasshouse/currency';
import {
  CATALOG_SCHEMA,
  catalogMigrations,
  createCatalogService,
  readCatalogConfig,
} from '@glasshouse/productcatalog';

/**
 * Calls our servers the way a client generated from Online Boutique's protos in any language
 * would: messages are written and read by hand with the field numbers of the API table, not
 * with our generated code, so a drift in our .proto files breaks this test.
 */

type Field = { number: number; wireType: number; value: bigint | string | Uint8Array };

function fields(bytes: Uint8Array): Field[] {
  const reader = new BinaryReader(bytes);
  const out: Field[] = [];
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (wireType === WireType.Varint) out.push({ number, wireType, value: BigInt(reader.int64()) });
    else if (wireType === WireType.LengthDelimited) out.push({ number, wireType, value: reader.bytes() });
    else reader.skip(wireType);
  }
  return out;
}
const text = (f: Field | undefined) => (f ? new TextDecoder().decode(f.value as Uint8Array) : '');
const all = (list: Field[], n: number) => list.filter((f) => f.number === n);
const one = (list: Field[], n: number) => list.find((f) => f.number === n);

function money(code: string, units: bigint, nanos: number): Uint8Array {
  return new BinaryWriter().uint32(10).string(code).uint32(16).int64(units).uint32(24).int32(nanos).finish();
}

describe('wire compatibility with the Online Boutique API', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const logger = createLogger({ serviceName: 'wire-test', level: 'silent' });
  const server = new GrpcServer({ logger, metrics });
  let db: Database;
  let client: Client;

  const call = (path: string, request: Uint8Array): Promise<Field[]> =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        path,
        (b: Uint8Array) => Buffer.from(b),
        (b: Buffer) => new Uint8Array(b),
        request,
        (error: ServiceError | null, response?: Uint8Array) =>
          error ? reject(error) : resolve(fields(response ?? new Uint8Array())),
      );
    });
  const failure = async (path: string, request: Uint8Array): Promise<ServiceError> => {
    try {
      await call(path, request);
    } catch (error) {
      return error as ServiceError;
    }
    throw new Error(`${path} unexpectedly succeeded`);
  };

  before(async () => {
    db = await openDatabase({ metrics, namespace: CATALOG_SCHEMA });
    await migrate(db, CATALOG_SCHEMA, catalogMigrations(CATALOG_SCHEMA));
    // Both services as their own wiring builds them, on one server.
    const runtime = {
      server,
      logger,
      metrics,
      addReadinessCheck: () => undefined,
      onShutdown: () => undefined,
      client: () => {
        throw new Error('neither calls another service');
      },
    };
    await createCurrencyService(readCurrencyConfig(envReader({})), runtime);
    createCatalogService(readCatalogConfig(envReader({ CATALOG_CACHE_TTL_MS: '0' })), {
      ...runtime,
      database: { db, schema: CATALOG_SCHEMA },
    });
    const port = await server.listen('127.0.0.1', 0);
    client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  after(async () => {
    client.close();
    await server.shutdown(1000);
    await db.close();
  });

  it('ListProducts answers products with the Online Boutique ids, fields 1–6', async () => {
    const products = all(
      await call('/hipstershop.ProductCatalogService/ListProducts', new Uint8Array()),
      1,
    ).map((f) => fields(f.value as Uint8Array));
    const ids = products.map((p) => text(one(p, 1)));
    for (const id of ONLINE_BOUTIQUE_PRODUCT_IDS) {
      assert.ok(ids.includes(id), `catalog has ${id}`);
    }
    for (const product of products) {
      assert.ok(text(one(product, 2)).length > 0, 'name (2)');
      assert.ok(text(one(product, 4)).startsWith('/static/'), 'picture (4)');
      const price = fields(one(product, 5)?.value as Uint8Array);
      assert.equal(text(one(price, 1)), 'USD', 'price_usd.currency_code (5.1)');
      assert.ok(all(product, 6).length > 0, 'categories (6)');
    }
  });

  it('GetProduct takes id in field 1 and answers NOT_FOUND for an unknown id', async () => {
    const request = new BinaryWriter().uint32(10).string('66VCHSJNUP').finish();
    const product = await call('/hipstershop.ProductCatalogService/GetProduct', request);
    assert.equal(text(one(product, 1)), '66VCHSJNUP');
    const error = await failure(
      '/hipstershop.ProductCatalogService/GetProduct',
      new BinaryWriter().uint32(10).string('ZZZZZZZZZZ').finish(),
    );
    assert.equal(error.code, status.NOT_FOUND);
  });

  it('SearchProducts takes query in field 1 and answers results in field 1', async () => {
    const results = await call(
      '/hipstershop.ProductCatalogService/SearchProducts',
      new BinaryWriter().uint32(10).string('kitchen').finish(),
    );
    assert.ok(all(results, 1).length > 0);
  });

  it('GetSupportedCurrencies lists at least EUR, USD, JPY, CAD, GBP and TRY', async () => {
    const codes = all(
      await call('/hipstershop.CurrencyService/GetSupportedCurrencies', new Uint8Array()),
      1,
    ).map(text);
    for (const code of ['EUR', 'USD', 'JPY', 'CAD', 'GBP', 'TRY']) assert.ok(codes.includes(code), code);
  });

  it('Convert takes Money in field 1 and to_code in field 2, and answers Money', async () => {
    const request = new BinaryWriter()
      .uint32(10)
      .bytes(money('EUR', 10n, 0))
      .uint32(18)
      .string('USD')
      .finish();
    const result = await call('/hipstershop.CurrencyService/Convert', request);
    assert.equal(text(one(result, 1)), 'USD');
    assert.equal(one(result, 2)?.value, 11n);
    assert.equal(one(result, 3)?.value, 305_000_000n);
  });

  it('Convert answers INVALID_ARGUMENT with a reason for an unknown currency', async () => {
    const request = new BinaryWriter()
      .uint32(10)
      .bytes(money('EUR', 1n, 0))
      .uint32(18)
      .string('XXX')
      .finish();
    const error = await failure('/hipstershop.CurrencyService/Convert', request);
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /XXX/);
  });

  it('serves grpc.health.v1.Health/Check for the whole server and each service', async () => {
    for (const service of ['', 'hipstershop.CurrencyService', 'hipstershop.ProductCatalogService']) {
      const response = await call(
        '/grpc.health.v1.Health/Check',
        new BinaryWriter().uint32(10).string(service).finish(),
      );
      assert.equal(one(response, 1)?.value, 1n, `${service || 'server'} is SERVING`);
    }
  });
});
