import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClientDuplexStream, ServiceClientConstructor } from '@grpc/grpc-js';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { InProcessShop, ShopService } from '@glasshouse/testing';
import { SHOP_SERVICES, startInProcessShop } from '@glasshouse/testing';

/** The APIs each service serves, as the README's service table names them. */
const APIS: Readonly<Record<ShopService, readonly string[]>> = {
  productcatalog: ['hipstershop.ProductCatalogService'],
  currency: ['hipstershop.CurrencyService'],
  cart: ['hipstershop.CartService'],
  recommendation: ['hipstershop.RecommendationService'],
  ad: ['hipstershop.AdService'],
  shipping: ['hipstershop.ShippingService'],
  payment: ['hipstershop.PaymentService', 'glasshouse.payment.v1.ChargeReversalService'],
  email: ['hipstershop.EmailService'],
  orders: ['glasshouse.orders.v1.OrderService'],
  inventory: ['glasshouse.inventory.v1.InventoryService'],
  checkout: ['hipstershop.CheckoutService', 'glasshouse.checkout.v1.RefundService'],
  auth: ['glasshouse.auth.v1.AuthService'],
};

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorMessage: string };
}
type ReflectionStream = ClientDuplexStream<Record<string, string>, ReflectionResponse>;

// The reflection protocol as grpcurl speaks it, from the proto @grpc/reflection ships.
const reflectionProto = join(
  require.resolve('@grpc/reflection/package.json'),
  '..',
  'build',
  'proto',
  'grpc',
  'reflection',
  'v1',
  'reflection.proto',
);
const ServerReflection = (() => {
  const loaded = loadPackageDefinition(loadSync(reflectionProto, { keepCase: false }));
  const grpc = loaded.grpc as Record<string, Record<string, Record<string, ServiceClientConstructor>>>;
  const constructor = grpc.reflection?.v1?.ServerReflection;
  assert.ok(constructor, 'grpc.reflection.v1.ServerReflection in the proto of @grpc/reflection');
  return constructor;
})();

/** One request on a reflection stream, and its answer. */
async function ask(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const client = new ServerReflection(address, credentials.createInsecure());
  try {
    const call = (
      client as unknown as { serverReflectionInfo(options: { deadline: number }): ReflectionStream }
    ).serverReflectionInfo({ deadline: Date.now() + 5000 });
    const answer = new Promise<ReflectionResponse>((resolve, reject) => {
      call.once('data', resolve);
      call.once('error', reject);
    });
    call.write(request);
    call.end();
    return await answer;
  } finally {
    client.close();
  }
}

describe('gRPC reflection (what grpcurl list and describe use)', () => {
  let shop: InProcessShop;

  before(async () => {
    shop = await startInProcessShop({ logLevel: 'warn' });
  });

  after(async () => {
    await shop?.stop();
  });

  it('lists every service’s own APIs on its port, and describes them', async () => {
    for (const service of SHOP_SERVICES) {
      const address = shop.addresses[service];
      const listed = await ask(address, { listServices: '' });
      const names = (listed.listServicesResponse?.service ?? []).map((s) => s.name);
      for (const api of APIS[service]) {
        assert.ok(names.includes(api), `${service} at ${address} lists ${api}: ${names.join(', ')}`);
        const described = await ask(address, { fileContainingSymbol: api });
        assert.equal(described.errorResponse, undefined, `${service} describes ${api}`);
        assert.ok((described.fileDescriptorResponse?.fileDescriptorProto.length ?? 0) > 0, api);
      }
    }
  });

  it('answers a symbol it does not know with an error, not a crash', async () => {
    const answer = await ask(shop.addresses.currency, { fileContainingSymbol: 'no.such.Service' });
    assert.ok(answer.errorResponse?.errorMessage, JSON.stringify(answer));
  });
});
