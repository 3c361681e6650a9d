import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { InProcessShop } from '@glasshouse/testing';
import type * as PlaceOrderSupport from '@glasshouse/testing';
// Deep imports on purpose: the kit's index loads @grpc/grpc-js, and instrumentation only patches
// modules loaded after it starts. The shop is imported only once tracing runs (see before()).
import { defaultInstrumentations } from '../../../packages/kit/src/telemetry/instrumentations.js';
import type { Tracing } from '../../../packages/kit/src/telemetry/tracing.js';
import { startTracing } from '../../../packages/kit/src/telemetry/tracing.js';

/** The business steps in stages: a stage starts when the one before it has ended. */
const STAGES = [
  ['get cart'],
  // Pricing and the shipping quote need only the cart: they run side by side.
  ['price items', 'quote shipping'],
  ['reserve stock'],
  ['charge card'],
  ['ship order'],
  ['persist order'],
  // Emptying the cart and the confirmation need only the stored order: side by side too.
  ['empty cart', 'send confirmation'],
];
const BUSINESS_STEPS = STAGES.flat();

describe('PlaceOrder spans', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let shop: InProcessShop;
  let support: typeof PlaceOrderSupport;

  /** Places an order and returns the spans of the trace checkout's business steps ran in. */
  const traceOfOrder = async (card = {}): Promise<{ spans: ReadableSpan[]; error?: Error }> => {
    exporter.reset();
    const userId = support.newShopper();
    await support.fillCart(shop.clients, userId, [['9SIQT8TOJO', 1]]);
    const request = support.orderRequest(userId, { creditCard: { ...support.ACCEPTED_CARD, ...card } });
    const error = await shop.clients.checkout.placeOrder(request).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    await tracing.forceFlush();
    const cart = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'get cart' && s.instrumentationScope.name === 'checkout');
    assert.ok(cart, 'no "get cart" span');
    const traceId = cart.spanContext().traceId;
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    return error ? { spans, error } : { spans };
  };
  const checkoutSpan = (spans: ReadableSpan[], name: string) =>
    spans.find((s) => s.name === name && s.instrumentationScope.name === 'checkout');

  before(async () => {
    tracing = startTracing({
      serviceName: 'checkout-spec',
      exporters: [exporter],
      instrumentations: defaultInstrumentations(),
    });
    const { startInProcessShop } = await import('@glasshouse/testing');
    support = await import('@glasshouse/testing');
    shop = await startInProcessShop({ now: support.testClock });
  });
  after(async () => {
    await shop.stop();
    await tracing.shutdown();
  });

  it('puts every business step of an order in one trace, in order', async () => {
    const { spans, error } = await traceOfOrder();
    assert.equal(error, undefined);
    const steps = BUSINESS_STEPS.map((name) => checkoutSpan(spans, name));
    for (const [index, span] of steps.entries()) {
      assert.ok(span, `no "${BUSINESS_STEPS[index]}" span in the trace`);
      assert.notEqual(span.status.code, SpanStatusCode.ERROR, span.name);
    }
    for (const [index, stage] of STAGES.entries()) {
      for (const previous of STAGES[index - 1] ?? []) {
        for (const name of stage) {
          const [before, span] = [checkoutSpan(spans, previous), checkoutSpan(spans, name)];
          if (!span || !before) continue;
          const [ended, started] = [
            hrTimeToMilliseconds(before.endTime),
            hrTimeToMilliseconds(span.startTime),
          ];
          // Each span's clock is anchored to Date.now(), so two spans agree only to a millisecond.
          assert.ok(ended <= started + 1, `"${name}" started before "${previous}" ended`);
        }
      }
    }
    // One checkout request is the parent of every step.
    const parents = new Set(steps.map((s) => s?.parentSpanContext?.spanId));
    assert.equal(parents.size, 1);
  });

  it('carries the trace into the services checkout calls', async () => {
    const { spans } = await traceOfOrder();
    const services = new Set(spans.map((s) => s.instrumentationScope.name));
    for (const scope of ['cart', 'inventory', 'payment', 'orders', 'email'])
      assert.ok(services.has(scope), `no ${scope} span in the order's trace: ${[...services].join(', ')}`);
    // checkout "charge card" → gRPC client call → payment's server span → payment's "charge card".
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan | undefined) => byId.get(span?.parentSpanContext?.spanId ?? '');
    const charged = spans.find((s) => s.name === 'charge card' && s.instrumentationScope.name === 'payment');
    const server = parentOf(charged);
    assert.equal(server?.kind, SpanKind.SERVER);
    assert.match(server?.name ?? '', /PaymentService\/Charge$/);
    assert.equal(parentOf(server)?.kind, SpanKind.CLIENT);
    assert.equal(parentOf(parentOf(server)), checkoutSpan(spans, 'charge card'));
  });

  it('marks "charge card" failed with error.type on a declined card, and releases the stock', async () => {
    const { spans, error } = await traceOfOrder({ creditCardExpirationYear: 2020 });
    assert.match(error?.message ?? '', /credit card expired/);
    const charge = checkoutSpan(spans, 'charge card');
    assert.ok(charge);
    assert.equal(charge.status.code, SpanStatusCode.ERROR);
    assert.equal(charge.attributes['error.type'], 'payment_declined');
    const release = checkoutSpan(spans, 'release stock');
    assert.ok(release, 'no "release stock" span');
    assert.notEqual(release.status.code, SpanStatusCode.ERROR);
    assert.equal(checkoutSpan(spans, 'persist order'), undefined);
    const text = JSON.stringify(spans.map((s) => s.attributes));
    assert.ok(!text.includes(support.ACCEPTED_CARD.creditCardNumber), 'a card number in a span');
  });
});
