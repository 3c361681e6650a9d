import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createClient, createLogger, isServiceError } from '@glasshouse/kit';
import { shippingService } from './server.js';
import { TRACKING_ID, newTrackingId } from './tracking.js';

type ShippingClient = PromiseClient<typeof hipstershop.ShippingServiceService>;

const ADDRESS: hipstershop.Address = {
  streetAddress: '1 Glasshouse Lane',
  city: 'Kew',
  state: 'Surrey',
  country: 'United Kingdom',
  zipCode: 94043,
};
const ITEMS: hipstershop.CartItem[] = [
  { productId: 'OLJCESPC7Z', quantity: 2 },
  { productId: '66VCHSJNUP', quantity: 1 },
];

function invalid(reason: string): (error: unknown) => true {
  return (error) => {
    assert.ok(isServiceError(error), 'expected a gRPC error');
    assert.equal(error.code, status.INVALID_ARGUMENT, `status ${error.code}: ${error.details}`);
    assert.equal(error.details, reason);
    return true;
  };
}

/** shipments_total{result=…}; tolerates prom-client's doubled `_total` in OpenMetrics (kit bug). */
async function shipments(metrics: ServiceMetrics, result: string): Promise<number> {
  const { body } = await metrics.scrape();
  const match = new RegExp(`^shipments_total(?:_total)?\\{result="${result}"\\} (\\d+)$`, 'm').exec(body);
  assert.ok(match?.[1] !== undefined, `no shipments_total series for ${result}`);
  return Number(match[1]);
}

describe('ShippingService over gRPC', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const lines: string[] = [];
  let server: GrpcServer;
  let client: ShippingClient;

  before(async () => {
    const logger = createLogger({
      serviceName: 'shipping-test',
      destination: { write: (l: string) => lines.push(l) },
    });
    server = new GrpcServer({ logger, metrics }).add(
      hipstershop.ShippingServiceService,
      shippingService({ metrics }),
    );
    const port = await server.listen('127.0.0.1', 0);
    client = createClient(hipstershop.ShippingServiceClient, hipstershop.ShippingServiceService, {
      address: `127.0.0.1:${port}`,
      metrics,
      deadlineMs: 5000,
    });
  });

  after(async () => {
    client.close();
    await server.shutdown(1000);
  });

  describe('GetQuote', () => {
    it('quotes the flat fee in USD for a cart with items', async () => {
      const { costUsd } = await client.getQuote({ address: ADDRESS, items: ITEMS });
      assert.deepEqual(costUsd, { currencyCode: 'USD', units: 8n, nanos: 990_000_000 });
    });

    it('quotes the same fee however many items the cart holds', async () => {
      const one = await client.getQuote({
        address: ADDRESS,
        items: [{ productId: 'OLJCESPC7Z', quantity: 1 }],
      });
      const many = await client.getQuote({
        address: ADDRESS,
        items: [{ productId: 'OLJCESPC7Z', quantity: 40 }],
      });
      assert.deepEqual(one, many);
    });

    it('quotes zero for an empty cart', async () => {
      const { costUsd } = await client.getQuote({ address: ADDRESS, items: [] });
      assert.deepEqual(costUsd, { currencyCode: 'USD', units: 0n, nanos: 0 });
    });

    it('quotes without an address, as the cart page asks before checkout', async () => {
      const { costUsd } = await client.getQuote({ address: undefined, items: ITEMS });
      assert.equal(costUsd?.units, 8n);
    });

    it('refuses a malformed address or item', async () => {
      await assert.rejects(
        client.getQuote({ address: { ...ADDRESS, city: ' ' }, items: ITEMS }),
        invalid('address.city: is required'),
      );
      await assert.rejects(
        client.getQuote({ address: ADDRESS, items: [{ productId: 'OLJCESPC7Z', quantity: -1 }] }),
        invalid('items[0].quantity: must be positive, got -1'),
      );
    });
  });

  describe('ShipOrder', () => {
    it('returns a tracking id of the form GH-XXXXXXXXXX, new for every order', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const { trackingId } = await client.shipOrder({ address: ADDRESS, items: ITEMS });
        assert.match(trackingId, TRACKING_ID);
        ids.add(trackingId);
      }
      assert.equal(ids.size, 5);
    });

    it('counts shipments and logs the tracking id without the street address', async () => {
      const before = await shipments(metrics, 'shipped');
      const { trackingId } = await client.shipOrder({ address: ADDRESS, items: ITEMS });
      assert.equal(await shipments(metrics, 'shipped'), before + 1);
      const line = lines.find((l) => l.includes('"order shipped"') && l.includes(trackingId));
      assert.ok(line, 'order shipped was logged');
      const record = JSON.parse(line) as Record<string, unknown>;
      assert.equal(record['shipping.item_count'], 3);
      assert.ok(!line.includes(ADDRESS.streetAddress));
    });

    const refused: ReadonlyArray<[string, hipstershop.ShipOrderRequest, string]> = [
      ['a missing address', { address: undefined, items: ITEMS }, 'address: is required'],
      [
        'a blank street',
        { address: { ...ADDRESS, streetAddress: '' }, items: ITEMS },
        'address.street_address: is required',
      ],
      ['a blank city', { address: { ...ADDRESS, city: '  ' }, items: ITEMS }, 'address.city: is required'],
      [
        'a blank country',
        { address: { ...ADDRESS, country: '' }, items: ITEMS },
        'address.country: is required',
      ],
      [
        'a negative zip code',
        { address: { ...ADDRESS, zipCode: -1 }, items: ITEMS },
        'address.zip_code: must not be negative',
      ],
      [
        'an over-long street',
        { address: { ...ADDRESS, streetAddress: 'x'.repeat(201) }, items: ITEMS },
        'address.street_address: longer than 200 characters',
      ],
      [
        'an over-long state',
        { address: { ...ADDRESS, state: 's'.repeat(201) }, items: ITEMS },
        'address.state: longer than 200 characters',
      ],
      ['no items', { address: ADDRESS, items: [] }, 'items: nothing to ship'],
      [
        'a zero quantity',
        { address: ADDRESS, items: [...ITEMS, { productId: 'L9ECAV7KIM', quantity: 0 }] },
        'items[2].quantity: must be positive, got 0',
      ],
      [
        'an item without a product',
        { address: ADDRESS, items: [{ productId: '', quantity: 1 }] },
        'items[0].product_id: is required',
      ],
    ];
    for (const [what, request, reason] of refused) {
      it(`refuses ${what} with INVALID_ARGUMENT`, async () => {
        const before = await shipments(metrics, 'rejected');
        await assert.rejects(client.shipOrder(request), invalid(reason));
        assert.equal(await shipments(metrics, 'rejected'), before + 1);
      });
    }

    it('accepts a zip code of zero and an empty state', async () => {
      const { trackingId } = await client.shipOrder({
        address: { ...ADDRESS, zipCode: 0, state: '' },
        items: ITEMS,
      });
      assert.match(trackingId, TRACKING_ID);
    });
  });
});

describe('newTrackingId', () => {
  it('draws each character from the random source', () => {
    let next = 0;
    assert.equal(
      newTrackingId(() => next++),
      'GH-ABCDEFGHIJ',
    );
    assert.equal(
      newTrackingId(() => 35),
      'GH-9999999999',
    );
  });
});
