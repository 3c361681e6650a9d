import type { Span } from '@opentelemetry/api';
import type { ServiceMetrics } from '@glasshouse/kit';
import { observeDuration } from '@glasshouse/kit';
import type { CheckoutResult, JourneyName } from './journeys.js';
import { CHECKOUT_RESULTS } from './journeys.js';

/** The `status` label of a request: the code the shop gave, or `unexpected` when it misbehaved. */
export type RequestStatus = number | 'unexpected';

/** Totals since the start, as GET /status shows them. */
export interface TrafficCounts {
  journeys: Partial<Record<JourneyName, number>>;
  requests: number;
  unexpected: number;
  checkouts: Record<CheckoutResult, number>;
  dropped: number;
}

/** What the shoppers did, as Prometheus metrics and as totals for GET /status. */
export class TrafficMetrics {
  private readonly requests;
  private readonly durations;
  private readonly checkouts;
  private readonly journeys;
  private readonly droppedJourneys;
  private readonly activeShoppers;
  private readonly totals: TrafficCounts = {
    journeys: {},
    requests: 0,
    unexpected: 0,
    checkouts: { placed: 0, declined: 0, out_of_stock: 0, failed: 0 },
    dropped: 0,
  };

  constructor(metrics: ServiceMetrics) {
    this.requests = metrics.counter(
      'loadgen_requests_total',
      'Requests the simulated shoppers sent, by journey, step and status (unexpected: the shop misbehaved).',
      ['journey', 'step', 'status'],
    );
    this.durations = metrics.histogram(
      'loadgen_request_duration_seconds',
      'Duration of a step as the shopper saw it, redirects included.',
      ['journey', 'step'],
    );
    this.checkouts = metrics.counter(
      'loadgen_checkouts_total',
      'Orders the shoppers tried to place, by result (declined: bad card or address refused, as planned).',
      ['result'],
    );
    this.journeys = metrics.counter('loadgen_journeys_total', 'Journeys finished, by journey.', ['journey']);
    this.droppedJourneys = metrics.counter(
      'loadgen_dropped_journeys_total',
      'Journeys not started at a fixed rate because every shopper was busy.',
      [],
    );
    this.activeShoppers = metrics.gauge('loadgen_shoppers', 'Shoppers on a journey or thinking.', []);
    for (const result of CHECKOUT_RESULTS) this.checkouts.inc({ result }, 0);
    this.activeShoppers.set(0);
  }

  request(journey: JourneyName, step: string, status: RequestStatus, seconds: number, span?: Span): void {
    this.requests.inc({ journey, step, status: String(status) });
    observeDuration(this.durations, { journey, step }, seconds, span);
    this.totals.requests++;
    if (status === 'unexpected') this.totals.unexpected++;
  }

  checkout(result: CheckoutResult): void {
    this.checkouts.inc({ result });
    this.totals.checkouts[result]++;
  }

  journeyFinished(journey: JourneyName): void {
    this.journeys.inc({ journey });
    this.totals.journeys[journey] = (this.totals.journeys[journey] ?? 0) + 1;
  }

  journeyDropped(): void {
    this.droppedJourneys.inc();
    this.totals.dropped++;
  }

  shoppers(active: number): void {
    this.activeShoppers.set(active);
  }

  counts(): TrafficCounts {
    return structuredClone(this.totals);
  }
}
