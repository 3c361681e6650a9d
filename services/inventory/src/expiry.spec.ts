import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ServiceMetrics, createLogger, migrate } from '@glasshouse/kit';
import type { TestStore } from '@glasshouse/kit/testing';
import { metricSample, storeVariants } from '@glasshouse/kit/testing';
import { ReservationExpiry } from './expiry.js';
import { StockGauges } from './gauges.js';
import { inventoryMigrations } from './migrations.js';
import { StockRepository } from './repository.js';

const CAN = '66VCHSJNUP';
const TTL_MS = 60_000;

for (const [name, open] of storeVariants('inventory_expiry', 'inventory')) {
  describe(`reservation expiry on ${name}`, () => {
    const lines: string[] = [];
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    let store: TestStore;
    let repository: StockRepository;
    let expiry: ReservationExpiry;
    const stockOfCan = async () => (await repository.levels([CAN]))[0]?.quantity ?? -1;
    /** Makes a reservation look as if it was made minutes ago. */
    const age = (reservationId: string) =>
      store.db.query(
        `UPDATE ${store.schema}.reservations SET created_at = now() - interval '10 minutes' WHERE reservation_id = $1`,
        [reservationId],
      );
    const reserve = async (quantity: number) => {
      const id = randomUUID();
      assert.equal((await repository.reserve(id, [{ productId: CAN, quantity }])).outcome, 'reserved');
      return id;
    };

    before(async () => {
      store = await open();
      await migrate(store.db, store.schema, inventoryMigrations(store.schema));
      repository = new StockRepository(store.db, store.schema);
      const logger = createLogger({
        serviceName: 'inventory-test',
        level: 'info',
        destination: { write: (line: string) => lines.push(line) },
      });
      const gauges = new StockGauges({ metrics, logger, load: () => repository.levels() });
      expiry = new ReservationExpiry({ repository, gauges, metrics, logger, ttlMs: TTL_MS });
    });
    after(async () => {
      await expiry.stop();
      await store.dispose();
    });

    it('gives back only reservations neither committed nor released past the TTL, counts and logs each', async () => {
      const start = await stockOfCan();
      const placed = await reserve(1);
      assert.equal(await repository.commit(placed), true);
      const abandoned = await reserve(2);
      const released = await reserve(3);
      assert.ok(await repository.release(released));
      const young = await reserve(4);
      for (const id of [placed, abandoned, released]) await age(id);
      assert.equal(await stockOfCan(), start - 1 - 2 - 4);

      assert.equal(await expiry.expire(), 1);
      assert.equal(await stockOfCan(), start - 1 - 4, 'the abandoned 2 are back, nothing else');
      assert.equal(await expiry.expire(), 0, 'expired once');
      assert.equal(await repository.commit(abandoned), false, 'an expired reservation cannot be committed');
      const { body } = await metrics.scrape();
      assert.equal(metricSample(body, 'inventory_reservations_expired_total', {}), 1);
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const expired = logged.filter((r) => r.message === 'reservation expired');
      assert.deepEqual(
        expired.map((r) => [r['app.reservation.id'], r.level]),
        [[abandoned, 'warn']],
      );
      assert.ok(Number(expired[0]?.['app.reservation.age_s']) >= 599);

      await age(young);
      assert.equal(await expiry.expire(), 1);
      assert.equal(await stockOfCan(), start - 1, 'only the placed order keeps its stock');
    });

    it('leaves no open reservation behind a pass, however many there are', async () => {
      assert.ok(await repository.set(CAN, 500, 5));
      const ids: string[] = [];
      for (let i = 0; i < 120; i++) ids.push(await reserve(1));
      for (const id of ids) await age(id);
      assert.equal(await expiry.expire(), 120);
      assert.deepEqual(await repository.openOlderThan(0, 10), []);
    });
  });
}
