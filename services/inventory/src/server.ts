import type { Span } from '@opentelemetry/api';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { inventory } from '@glasshouse/contracts';
import type { Implementation, Logger, ServiceMetrics } from '@glasshouse/kit';
import { RpcError, failedPrecondition, invalidArgument, notFound } from '@glasshouse/kit';
import type { StockGauges } from './gauges.js';
import { isLow } from './gauges.js';
import type { StockChange, StockRepository } from './repository.js';
import type { StockReturns } from './returns.js';
import {
  MAX_LOOKUP,
  productIdProblem,
  reservationIdProblem,
  reservationProblem,
  returnProblem,
  stockProblem,
} from './validation.js';

type InventoryService = typeof inventory.InventoryServiceService;

const tracer = trace.getTracer('inventory');

export interface InventoryOptions {
  repository: StockRepository;
  /** Goods refunds give back. */
  returns: StockReturns;
  gauges: StockGauges;
  metrics: ServiceMetrics;
}

/** Logs the products a change took from above their threshold to at or below it. */
function warnOnLowStock(logger: Logger, changes: readonly StockChange[]): void {
  for (const { level, previousQuantity, previousThreshold } of changes) {
    if (isLow(previousQuantity, previousThreshold) || !isLow(level.quantity, level.lowStockThreshold))
      continue;
    logger.warn(
      {
        product_id: level.productId,
        product_name: level.productName,
        quantity: level.quantity,
        threshold: level.lowStockThreshold,
      },
      'product below low-stock threshold',
    );
  }
}

function failSpan(span: Span, errorType: string): void {
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
}

/** Runs fn in a business span; refusals mark the span themselves, anything else thrown is a failure. */
function inSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      if (!(error instanceof RpcError)) {
        const code = (error as { code?: unknown }).code;
        failSpan(span, typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error');
      }
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The InventoryService handlers: stock levels, all-or-nothing reservations, restocking. */
export function inventoryService({
  repository,
  returns,
  gauges,
  metrics,
}: InventoryOptions): Implementation<InventoryService> {
  const returned = metrics.counter(
    'inventory_returned_items',
    'Units put back in stock by refunds (ReturnStock), counted once per return id.',
    [],
  );
  return {
    async getStock(request) {
      if (request.productIds.length > MAX_LOOKUP)
        throw invalidArgument(`product_ids: more than ${MAX_LOOKUP}`);
      for (const [index, id] of request.productIds.entries()) {
        const problem = productIdProblem(`product_ids[${index}]`, id);
        if (problem) throw invalidArgument(problem);
      }
      const levels = await repository.levels(request.productIds);
      const found = new Set(levels.map((level) => level.productId));
      const missing = request.productIds.find((id) => !found.has(id));
      if (missing !== undefined) throw notFound(`no product "${missing}" in stock`);
      return { levels };
    },

    async reserveStock(request, call) {
      const problem = reservationProblem(request);
      if (problem) throw invalidArgument(problem);
      const attributes = {
        'app.reservation.id': request.reservationId,
        'app.inventory.items.count': request.items.length,
      };
      return inSpan('reserve stock', attributes, async (span) => {
        const result = await repository.reserve(request.reservationId, request.items);
        span.setAttribute('app.inventory.reservation.outcome', result.outcome);
        switch (result.outcome) {
          case 'reserved': {
            const levels = result.changes.map((change) => change.level);
            gauges.record(levels);
            warnOnLowStock(call.logger, result.changes);
            call.logger.info(
              { 'app.reservation.id': request.reservationId, 'app.inventory.items.count': levels.length },
              'stock reserved',
            );
            return { levels };
          }
          case 'already reserved':
            return { levels: result.levels };
          case 'unknown product':
            failSpan(span, 'unknown_product');
            throw notFound(`no product "${result.productId}" in stock`);
          case 'not enough stock':
            failSpan(span, 'not_enough_stock');
            throw failedPrecondition(
              `not enough stock of ${result.level.productName}: ` +
                `${result.level.quantity} left, ${result.requested} requested`,
            );
        }
      });
    },

    async releaseStock(request, call) {
      const problem = reservationIdProblem(request.reservationId);
      if (problem) throw invalidArgument(problem);
      return inSpan('release stock', { 'app.reservation.id': request.reservationId }, async (span) => {
        const levels = await repository.release(request.reservationId);
        span.setAttribute('app.inventory.released', levels !== undefined);
        if (!levels) return { released: false };
        gauges.record(levels);
        call.logger.info(
          { 'app.reservation.id': request.reservationId, 'app.inventory.items.count': levels.length },
          'stock released',
        );
        return { released: true };
      });
    },

    async commitStock(request) {
      const problem = reservationIdProblem(request.reservationId);
      if (problem) throw invalidArgument(problem);
      return inSpan('commit stock', { 'app.reservation.id': request.reservationId }, async () => ({
        committed: await repository.commit(request.reservationId),
      }));
    },

    async returnStock(request, call) {
      const problem = returnProblem(request);
      if (problem) throw invalidArgument(problem);
      const attributes = {
        'app.return.id': request.returnId,
        'app.inventory.items.count': request.items.length,
      };
      return inSpan('return stock', attributes, async (span) => {
        const levels = await returns.returnItems(request.returnId, request.items);
        span.setAttribute('app.inventory.returned', levels !== undefined);
        if (!levels) return { levels: [], returned: false };
        gauges.record(levels);
        const units = request.items
          .filter((item) => levels.some((level) => level.productId === item.productId))
          .reduce((total, item) => total + item.quantity, 0);
        returned.inc(units);
        call.logger.info(
          { 'app.return.id': request.returnId, 'app.inventory.items.count': levels.length },
          'stock returned',
        );
        return { levels, returned: true };
      });
    },

    listLowStock: async () => ({ levels: await repository.lowStock() }),

    async setStock(request, call) {
      const problem = stockProblem(request);
      if (problem) throw invalidArgument(problem);
      const change = await repository.set(request.productId, request.quantity, request.lowStockThreshold);
      if (!change) throw notFound(`no product "${request.productId}" in stock`);
      gauges.record([change.level]);
      warnOnLowStock(call.logger, [change]);
      call.logger.info(
        {
          product_id: change.level.productId,
          quantity: change.level.quantity,
          threshold: change.level.lowStockThreshold,
          previous_quantity: change.previousQuantity,
        },
        'stock set',
      );
      return { level: change.level };
    },
  };
}
