import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Database, ServiceName } from '@glasshouse/kit';
import { ServiceMetrics, openDatabase } from '@glasshouse/kit';
import {
  ONLINE_BOUTIQUE_PRODUCT_IDS,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  waitFor,
} from '@glasshouse/kit/testing';
import type { ProcessShop } from '@glasshouse/testing';
import { DEMO_ADDRESS, WebShopper, isRunning, startProcessShop, testIdTexts } from '@glasshouse/testing';

/** Killed with -9 in turn, each restarted at once on the same ports. */
const VICTIMS: readonly ServiceName[] = ['checkout', 'payment', 'orders', 'inventory', 'cart', 'frontend'];
const SHOPPERS = 6;
const RESERVATION_TTL_MS = 15_000;
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const CARD_FIELDS = {
  credit_card_number: '4432801561520454',
  credit_card_cvv: '672',
  credit_card_expiration_month: '1',
  credit_card_expiration_year: String(NEXT_YEAR),
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A database of its own on the test PostgreSQL, dropped at the end. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `crash_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({
    url: TEST_POSTGRES_URL,
    metrics: new ServiceMetrics({ defaultMetrics: false }),
    namespace: 'crash',
  });
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
}

/**
 * A shopper who means to buy: adds a product, checks out, and when the answer is no answer (a
 * refused connection, a 5xx) sends the same form again, with the same idempotency key, as a
 * person pressing "place order" again would, until the shop says yes or no.
 */
async function shop(baseUrl: string, confirmed: Set<string>, refused: string[], stopping: () => boolean) {
  while (!stopping()) {
    const shopper = new WebShopper(baseUrl);
    const product =
      ONLINE_BOUTIQUE_PRODUCT_IDS[Math.floor(Math.random() * ONLINE_BOUTIQUE_PRODUCT_IDS.length)];
    const added = await retrying(
      () => shopper.post('/cart', { product_id: product ?? '', quantity: '1' }),
      302,
    );
    if (!added) continue;
    const form = { ...DEMO_ADDRESS, ...CARD_FIELDS, idempotency_key: randomUUID() };
    for (let attempt = 0; attempt < 60; attempt++) {
      const answer = await shopper.post('/cart/checkout', form).catch(() => undefined);
      if (answer?.status === 200) {
        const [orderId] = testIdTexts(answer.html, 'order-id');
        if (orderId) confirmed.add(orderId);
        break;
      }
      if (answer && answer.status >= 400 && answer.status < 500) {
        refused.push(`${answer.status}`);
        break;
      }
      await pause(250);
    }
  }
}

async function retrying<T extends { status: number }>(
  send: () => Promise<T>,
  status: number,
): Promise<T | undefined> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const answer = await send().catch(() => undefined);
    if (answer?.status === status) return answer;
    await pause(250);
  }
  return undefined;
}

interface Figures {
  confirmed: number;
  refused: number;
  ordersStored: number;
  charges: number;
  voided: number;
  confirmedMissing: number;
  doubleCharges: number;
  chargesWithoutOrder: number;
  ordersWithoutCharge: number;
  voidedWithOrder: number;
  reservationsExpired: number;
  openReservations: number;
  processesLeft: number;
}

async function reconcile(
  db: Database,
  confirmed: ReadonlySet<string>,
): Promise<Omit<Figures, 'refused' | 'processesLeft'>> {
  const orders = await db.query<{ order_id: string; transaction_id: string }>(
    'SELECT order_id, transaction_id FROM orders.orders',
  );
  const charges = await db.query<{ transaction_id: string; idempotency_key: string | null; voided: boolean }>(
    'SELECT transaction_id, idempotency_key, voided_at IS NOT NULL AS voided FROM payment.payments',
  );
  const [open] = await db.query<{ open: string | number }>(
    `SELECT count(DISTINCT reservation_id) AS open FROM inventory.reservations
      WHERE released_at IS NULL AND committed_at IS NULL`,
  );
  const [expired] = await db.query<{ expired: string | number }>(
    `SELECT count(DISTINCT r.reservation_id) AS expired FROM inventory.reservations r
      WHERE r.released_at IS NOT NULL AND r.committed_at IS NULL
        AND r.reservation_id = ANY($1::text[])`,
    [orders.map((o) => o.order_id)],
  );
  const stored = new Set(orders.map((o) => o.order_id));
  const ordered = new Set(orders.map((o) => o.transaction_id));
  const live = charges.filter((c) => !c.voided);
  const liveIds = new Set(live.map((c) => c.transaction_id));
  const perKey = new Map<string, number>();
  for (const charge of live)
    perKey.set(charge.idempotency_key ?? '', (perKey.get(charge.idempotency_key ?? '') ?? 0) + 1);
  return {
    confirmed: confirmed.size,
    ordersStored: orders.length,
    charges: charges.length,
    voided: charges.length - live.length,
    confirmedMissing: [...confirmed].filter((id) => !stored.has(id)).length,
    doubleCharges: [...perKey.values()].filter((n) => n > 1).length,
    chargesWithoutOrder: live.filter((c) => !ordered.has(c.transaction_id)).length,
    ordersWithoutCharge: orders.filter((o) => !liveIds.has(o.transaction_id)).length,
    voidedWithOrder: charges.filter((c) => c.voided && ordered.has(c.transaction_id)).length,
    reservationsExpired: Number(expired?.expired ?? 0),
    openReservations: Number(open?.open ?? 0),
  };
}

describe('crashes under load: every service killed with -9 in turn, nothing lost', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let store: Database;
  let shopProcesses: ProcessShop;
  const pids = new Set<number>();

  before(async () => {
    database = await freshDatabase();
    const redis = new URL(TEST_REDIS_URL);
    redis.pathname = '/12';
    shopProcesses = await startProcessShop({
      databaseUrl: database.url,
      redisUrl: redis.toString(),
      logLevel: 'warn',
      readyTimeoutMs: 120_000,
      env: {
        INVENTORY_RESERVATION_TTL_MS: String(RESERVATION_TTL_MS),
        INVENTORY_RESERVATION_EXPIRY_INTERVAL_MS: '500',
      },
    });
    for (const child of shopProcesses.processes()) pids.add(child.pid);
    store = await openDatabase({
      url: database.url,
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      namespace: 'crash',
    });
  });
  after(async () => {
    await shopProcesses?.stop().catch(() => undefined);
    await store?.close();
    await database?.drop();
  });

  it('keeps every confirmed order, charges each once, voids only what has no order, and leaves nothing open', async (t) => {
    const confirmed = new Set<string>();
    const refused: string[] = [];
    let stopping = false;
    const shoppers = Array.from({ length: SHOPPERS }, () =>
      shop(shopProcesses.url, confirmed, refused, () => stopping),
    );
    const progress = async (orders: number, what: string) => {
      const target = confirmed.size + orders;
      await waitFor(() => confirmed.size >= target || undefined, { timeoutMs: 60_000, what });
    };
    try {
      await progress(5, 'the first orders');
      for (const victim of VICTIMS) {
        const pid = shopProcesses.process(victim).pid;
        process.kill(pid, 'SIGKILL');
        await shopProcesses.restart(victim);
        pids.add(shopProcesses.process(victim).pid);
        await progress(3, `orders after ${victim} came back`);
      }
    } finally {
      stopping = true;
      await Promise.all(shoppers);
    }
    // A reservation left open by a checkout that died expires once its TTL has passed.
    await waitFor(async () => (await reconcile(store, confirmed)).openReservations === 0 || undefined, {
      timeoutMs: RESERVATION_TTL_MS + 20_000,
      intervalMs: 500,
      what: 'no open reservation',
    });
    const figures = await reconcile(store, confirmed);
    await shopProcesses.stop();
    const left = [...pids].filter(isRunning).length;
    const report: Figures = { ...figures, refused: refused.length, processesLeft: left };
    t.diagnostic(`crash reconciliation: ${JSON.stringify(report)}`);
    console.log('crash reconciliation', report);

    assert.ok(report.confirmed >= 5 + 3 * VICTIMS.length, `${report.confirmed} orders confirmed`);
    assert.equal(report.confirmedMissing, 0, 'confirmed orders missing from the store');
    assert.equal(report.doubleCharges, 0, 'orders charged twice');
    assert.equal(report.chargesWithoutOrder, 0, 'charges not voided without an order');
    assert.equal(report.ordersWithoutCharge, 0, 'orders without a charge');
    assert.equal(report.voidedWithOrder, 0, 'voided charges of stored orders');
    assert.equal(report.openReservations, 0, 'open reservations');
    assert.equal(report.reservationsExpired, 0, 'placed orders whose reservation expired (stock given back)');
    assert.equal(report.processesLeft, 0, 'processes left');
  });
});
