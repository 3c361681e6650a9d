import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { hipstershop } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { GrpcServer, ServiceMetrics, createLogger } from '@glasshouse/kit';
import { expectStatus, metricSample, serveOnFreePort } from '@glasshouse/kit/testing';
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

const invalid = (reason: string) => expectStatus(status.INVALID_ARGUMENT, reason);

/** shipments_total{result=…}, which must be exposed. */
async function shipments(metrics: ServiceMetrics, result: string): Promise<number> {
  const value = metricSample((await metrics.scrape()).body, 'shipments_total', { result });
  assert.ok(value !== undefined, `no shipments_total series for ${result}`);
  return value;
}

describe('ShippingService over gRPC', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const lines: string[] = [];
  let client: ShippingClient;
  let stop: () => Promise<void>;

  before(async () => {
    const logger = createLogger({
      serviceName: 'shipping-test',
      destination: { write: (l: string) => lines.push(l) },
    });
    const server = new GrpcServer({ logger, metrics }).add(
      hipstershop.ShippingServiceService,
      shippingService({ metrics }),
    );
    ({ client, stop } = await serveOnFreePort(
      server,
      hipstershop.ShippingServiceClient,
      hipstershop.ShippingServiceService,
      { metrics },
    ));
  });

  after(() => stop());

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
