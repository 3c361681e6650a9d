import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Metadata, status } from '@grpc/grpc-js';
import { hipstershop, payment } from '@glasshouse/contracts';
import type { Database } from '@glasshouse/kit';
import {
  FixedFeatureFlags,
  GrpcServer,
  IDEMPOTENCY_KEY_HEADER,
  ServiceMetrics,
  createClient,
  createLogger,
  envReader,
  migrate,
  openDatabase,
} from '@glasshouse/kit';
import { TEST_POSTGRES_URL, expectStatus } from '@glasshouse/kit/testing';
import { PAYMENT_SCHEMA, createPaymentService, paymentMigrations, readPaymentConfig } from './index.js';

const NOW = new Date('2026-04-15T12:00:00Z');
const VISA = {
  creditCardNumber: '4432801561520454',
  creditCardCvv: 672,
  creditCardExpirationYear: 2030,
  creditCardExpirationMonth: 1,
};
const usd = (units: bigint): hipstershop.Money => ({ currencyCode: 'USD', units, nanos: 0 });
const keyed = (key: string): Metadata => {
  const metadata = new Metadata();
  metadata.set(IDEMPOTENCY_KEY_HEADER, key);
  return metadata;
};

/** One start of the payment service over the database, as main.ts wires it. */
async function startPayment(db: Database, schema: string) {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const server = new GrpcServer({
    logger: createLogger({ serviceName: 'payment-test', level: 'silent' }),
    metrics,
  });
  await migrate(db, schema, paymentMigrations(schema));
  const { ledger } = createPaymentService(readPaymentConfig(envReader({})), {
    server,
    metrics,
    logger: createLogger({ serviceName: 'payment-test', level: 'silent' }),
    addReadinessCheck: () => undefined,
    onShutdown: () => undefined,
    client: () => {
      throw new Error('payment calls no one');
    },
    flags: new FixedFeatureFlags(),
    now: () => NOW,
    database: { db, schema },
  });
  const address = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  const options = { address, metrics, deadlineMs: 5000 };
  const charges = createClient(hipstershop.PaymentServiceClient, hipstershop.PaymentServiceService, options);
  const reversals = createClient(
    payment.ChargeReversalServiceClient,
    payment.ChargeReversalServiceService,
    options,
  );
  return {
    ledger,
    charges,
    reversals,
    async stop() {
      charges.close();
      reversals.close();
      await server.shutdown(500);
    },
  };
}

/** A database that can be closed and opened again, as a restarted process would. */
interface Reopenable {
  readonly schema: string;
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

async function pgliteOnDisk(): Promise<Reopenable> {
  const folder = await mkdtemp(join(tmpdir(), 'payment-ledger-'));
  return {
    schema: PAYMENT_SCHEMA,
    open: () =>
      openDatabase({
        pgliteDataDir: folder,
        metrics: new ServiceMetrics({ defaultMetrics: false }),
        namespace: PAYMENT_SCHEMA,
      }),
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}

async function postgresSchema(): Promise<Reopenable> {
  const schema = `payment_test_${randomBytes(6).toString('hex')}`;
  const open = () =>
    openDatabase({
      url: TEST_POSTGRES_URL,
      metrics: new ServiceMetrics({ defaultMetrics: false }),
      namespace: schema,
    });
  return {
    schema,
    open,
    async dispose() {
      const db = await open();
      try {
        await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await db.close();
      }
    },
  };
}

for (const [name, prepare] of [
  ['embedded PGlite on disk', pgliteOnDisk],
  ['PostgreSQL', postgresSchema],
] as const) {
  describe(`the payment ledger survives a restart (${name})`, () => {
    let store: Reopenable;
    let db: Database;
    let running: Awaited<ReturnType<typeof startPayment>>;

    /** Stops payment and its database, and starts both again over the same data. */
    const restart = async () => {
      await running.stop();
      await db.close();
      db = await store.open();
      running = await startPayment(db, store.schema);
    };

    before(async () => {
      store = await prepare();
      db = await store.open();
      running = await startPayment(db, store.schema);
    });
    after(async () => {
      await running.stop();
      await db.close();
      await store.dispose();
    });

    it('answers a retried charge after a restart with the first transaction, charging once', async () => {
      const key = `order-${randomBytes(8).toString('hex')}`;
      const first = await running.charges.charge(
        { amount: usd(30n), creditCard: VISA },
        { metadata: keyed(key) },
      );
      await restart();
      const retried = await running.charges.charge(
        { amount: usd(30n), creditCard: VISA },
        { metadata: keyed(key) },
      );
      assert.equal(retried.transactionId, first.transactionId);
      const stored = await running.ledger.charges();
      assert.equal(stored.filter((c) => c.transactionId === first.transactionId).length, 1);
      assert.equal(stored.length, 1, 'one charge in the ledger');
    });

    it('voids a charge made before a restart, and a retry after the void charges afresh', async () => {
      const key = `order-${randomBytes(8).toString('hex')}`;
      const { transactionId } = await running.charges.charge(
        { amount: usd(12n), creditCard: VISA },
        { metadata: keyed(key) },
      );
      await restart();
      assert.deepEqual(await running.reversals.voidCharge({ transactionId, reason: 'order not stored' }), {
        voided: true,
      });
      await restart();
      assert.deepEqual(await running.reversals.voidCharge({ transactionId, reason: 'again' }), {
        voided: true,
      });
      const again = await running.charges.charge(
        { amount: usd(12n), creditCard: VISA },
        { metadata: keyed(key) },
      );
      assert.notEqual(again.transactionId, transactionId);
      const stored = await running.ledger.charges();
      assert.deepEqual(
        stored
          .filter((c) => [transactionId, again.transactionId].includes(c.transactionId))
          .map((c) => c.voided),
        [true, false],
      );
    });

    it('refunds part, then the rest, once per refund id across a restart, never more than the charge', async () => {
      const { transactionId } = await running.charges.charge({ amount: usd(30n), creditCard: VISA });
      const part = {
        transactionId,
        refundId: `r-${randomBytes(6).toString('hex')}`,
        reason: 'returned one item',
      };
      const first = await running.reversals.refundCharge({ ...part, amount: usd(10n) });
      assert.deepEqual([first.refunded, first.refundedTotal], [usd(10n), usd(10n)]);
      await restart();
      const again = await running.reversals.refundCharge({ ...part, amount: usd(10n) });
      assert.deepEqual(
        [again.refunded, again.refundedTotal],
        [usd(10n), usd(10n)],
        'the same refund, not a second',
      );
      await assert.rejects(
        running.reversals.refundCharge({ ...part, refundId: `${part.refundId}-2`, amount: usd(21n) }),
        expectStatus(status.FAILED_PRECONDITION, 'only 20 USD is left to refund'),
      );
      await assert.rejects(
        running.reversals.refundCharge({
          ...part,
          refundId: `${part.refundId}-3`,
          amount: { currencyCode: 'EUR', units: 1n, nanos: 0 },
        }),
        expectStatus(status.INVALID_ARGUMENT, 'amount: the charge is in USD'),
      );
      const rest = await running.reversals.refundCharge({
        ...part,
        refundId: `${part.refundId}-4`,
        amount: undefined,
      });
      assert.deepEqual([rest.refunded, rest.refundedTotal], [usd(20n), usd(30n)]);
      await assert.rejects(
        running.reversals.refundCharge({ ...part, refundId: `${part.refundId}-5`, amount: undefined }),
        expectStatus(status.FAILED_PRECONDITION, /only 0 USD is left/),
      );
      const rows = await db.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM ${store.schema}.refunds WHERE transaction_id = $1`,
        [transactionId],
      );
      assert.equal(Number(rows[0]?.n), 2);
    });

    it('refuses to refund a voided charge or an unknown one', async () => {
      const { transactionId } = await running.charges.charge({ amount: usd(5n), creditCard: VISA });
      await running.reversals.voidCharge({ transactionId, reason: 'order not stored' });
      await assert.rejects(
        running.reversals.refundCharge({
          transactionId,
          refundId: 'r-voided',
          amount: undefined,
          reason: '',
        }),
        expectStatus(status.FAILED_PRECONDITION, /voided/),
      );
      await assert.rejects(
        running.reversals.refundCharge({
          transactionId: 'nope',
          refundId: 'r-unknown',
          amount: undefined,
          reason: '',
        }),
        expectStatus(status.NOT_FOUND, /no charge/),
      );
      await assert.rejects(
        running.reversals.refundCharge({ transactionId, refundId: 'bad id!', amount: undefined, reason: '' }),
        expectStatus(status.INVALID_ARGUMENT, /^refund_id:/),
      );
    });

    it('keeps only the card network and last four digits, and refuses a NUL in a void reason', async () => {
      const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${store.schema}.payments`);
      assert.ok(rows.length > 0);
      for (const row of rows) {
        assert.equal(row.card_method, 'visa');
        assert.equal(row.card_last_four, '0454');
        assert.ok(
          !JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes(
            '4432801561520454',
          ),
        );
      }
      await assert.rejects(
        running.reversals.voidCharge({ transactionId: 'x', reason: 'a\u0000b' }),
        expectStatus(status.INVALID_ARGUMENT, 'reason: must not contain a NUL character'),
      );
      await assert.rejects(
        running.reversals.voidCharge({ transactionId: 'no-such-charge', reason: '' }),
        expectStatus(status.NOT_FOUND, /no charge with transaction id/),
      );
    });
  });
}
