import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { hipstershop } from '@glasshouse/contracts';
import type { Implementation, ServiceMetrics } from '@glasshouse/kit';
import { RpcError, invalidArgument } from '@glasshouse/kit';
import { shippingQuote } from './quote.js';
import { newTrackingId } from './tracking.js';
import { addressProblem, itemsProblem } from './validation.js';

type ShippingService = typeof hipstershop.ShippingServiceService;

const tracer = trace.getTracer('shipping');

export interface ShippingOptions {
  metrics: ServiceMetrics;
  newTrackingId?: () => string;
}

const units = (items: readonly hipstershop.CartItem[]): number =>
  items.reduce((total, item) => total + item.quantity, 0);

/** hipstershop.ShippingService: flat-fee quotes and tracking ids. */
export function shippingService(options: ShippingOptions): Implementation<ShippingService> {
  const trackingId = options.newTrackingId ?? (() => newTrackingId());
  const shipments = options.metrics.counter('shipments_total', 'ShipOrder calls by result.', ['result']);
  for (const result of ['shipped', 'rejected']) shipments.inc({ result }, 0);

  return {
    getQuote(request) {
      // The cart page asks for a quote before the shopper has typed an address.
      const problem = (request.address && addressProblem(request.address)) ?? itemsProblem(request.items);
      if (problem) throw invalidArgument(problem);
      return { costUsd: shippingQuote(request.items.length) };
    },
    shipOrder: (request, call) =>
      tracer.startActiveSpan('ship order', async (span) => {
        try {
          const problem =
            addressProblem(request.address) ??
            itemsProblem(request.items) ??
            (request.items.length === 0 ? 'items: nothing to ship' : undefined);
          if (problem) throw invalidArgument(problem);
          const id = trackingId();
          span.setAttribute('shipping.item_count', units(request.items));
          span.setAttribute('shipping.country', request.address?.country ?? '');
          shipments.inc({ result: 'shipped' });
          call.logger.info(
            {
              'shipping.tracking_id': id,
              'shipping.item_count': units(request.items),
              'shipping.country': request.address?.country,
            },
            'order shipped',
          );
          return { trackingId: id };
        } catch (error) {
          shipments.inc({ result: 'rejected' });
          span.setAttribute('error.type', RpcError.from(error).errorType);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      }),
  };
}
