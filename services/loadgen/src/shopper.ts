import type { Span } from '@opentelemetry/api';
import { SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@glasshouse/kit';
import { SYNTHETIC_BAGGAGE_KEY, secondsSince } from '@glasshouse/kit';
import type { ShopBackoff } from './backoff.js';
import { CookieJar } from './cookie-jar.js';
import type { Journey, PlannedRequest, Random } from './journeys.js';
import { checkoutResult, followUp, planJourney } from './journeys.js';
import type { TrafficMetrics } from './metrics.js';
import type { Settings } from './settings.js';

/** Online Boutique's session cookie: its value is the shopper's user id in the shop. */
export const SESSION_COOKIE = 'shop_session-id';

/** The W3C `baggage` header on every request, so the shop can tell simulated shoppers apart. */
export const SYNTHETIC_BAGGAGE = `${SYNTHETIC_BAGGAGE_KEY}=true`;

const REQUEST_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 5;
const USER_AGENT = 'glasshouse-loadgen/0.1 (simulated shopper)';
const tracer = trace.getTracer('loadgen');

interface Answer {
  readonly status: number | undefined;
  readonly expected: boolean;
}

export interface ShopperOptions {
  /** The shop; requests never go to any other origin, redirects included. */
  readonly target: URL;
  /** The live settings (think time, invalid share), read at each step. */
  readonly settings: Readonly<Settings>;
  readonly random: Random;
  readonly metrics: TrafficMetrics;
  readonly logger: Logger;
  /** Resolves when the shopper may take its next step: the generator's pause. */
  readonly gate: (signal: AbortSignal) => Promise<void>;
  /** Shared by the run's shoppers: told of every answer, waited on before every request. */
  readonly backoff?: ShopBackoff;
}

/** One simulated shopper: its own cookies (session, currency), one journey at a time. */
export class Shopper {
  private readonly jar = new CookieJar();
  private readonly sessions = new Set<string>();

  constructor(private readonly options: ShopperOptions) {}

  /** Every session id the shop gave this shopper (its user ids there). */
  sessionIds(): string[] {
    return [...this.sessions];
  }

  /**
   * Walks a journey step by step, thinking after each. An unexpected answer ends the journey, as
   * an error page would for a person. Returns quietly when `signal` aborts (the generator stops).
   */
  async walk(journey: Journey, signal: AbortSignal): Promise<void> {
    const { random, settings, metrics } = this.options;
    const plan = planJourney(journey, random, {
      invalidRate: settings.invalidRate,
      year: new Date().getUTCFullYear(),
    });
    // Spans of this journey carry the baggage too, so the loadgen's own spans are marked synthetic.
    const baggage = propagation.createBaggage({ [SYNTHETIC_BAGGAGE_KEY]: { value: 'true' } });
    const journeyContext = propagation.setBaggage(context.active(), baggage);
    const attributes = { 'app.loadgen.journey': journey.name };
    await tracer.startActiveSpan(`journey ${journey.name}`, { attributes }, journeyContext, async (span) => {
      try {
        for (const request of plan.requests) {
          await this.options.gate(signal);
          const answer = await this.take(request, signal);
          if (!answer.expected) break;
          const next = followUp(request, answer.status);
          if (next && !(await this.take(next, signal)).expected) break;
          await this.think(signal);
        }
        metrics.journeyFinished(journey.name);
      } catch (error) {
        if (!signal.aborted) throw error;
      } finally {
        span.end();
      }
    });
  }

  /** Sends one step and records it; `expected` is false when the shop answered as it should not. */
  private async take(request: PlannedRequest, signal: AbortSignal): Promise<Answer> {
    const attributes = { 'app.loadgen.step': request.step, 'url.template': request.route };
    return tracer.startActiveSpan(`step ${request.step}`, { attributes }, async (span) => {
      const started = process.hrtime.bigint();
      let status: number | undefined;
      let failure: string | undefined;
      const { backoff } = this.options;
      try {
        await backoff?.wait(signal);
        status = await this.send(request, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      // A shop that refuses connections or is overloaded gets fewer requests, not more.
      if (status === undefined || status === 503) backoff?.failed();
      else backoff?.succeeded();
      try {
        const expected = this.record(request, status, failure, secondsSince(started), span);
        return { status, expected };
      } finally {
        span.end();
      }
    });
  }

  private record(
    request: PlannedRequest,
    status: number | undefined,
    failure: string | undefined,
    seconds: number,
    span: Span,
  ): boolean {
    const { metrics, logger } = this.options;
    const expected = status !== undefined && request.expected.includes(status);
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    metrics.request(request.journey, request.step, expected ? status : 'unexpected', seconds, span);
    if (request.placesOrder) metrics.checkout(checkoutResult(request, status));
    if (!expected) {
      span.setAttribute('error.type', status === undefined ? 'network' : String(status));
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure ?? `status ${status}` });
      logger.warn(
        {
          'app.loadgen.journey': request.journey,
          'app.loadgen.step': request.step,
          'http.request.method': request.method,
          'url.template': request.route,
          'http.response.status_code': status,
          expected: request.expected,
          ...(failure ? { 'error.message': failure } : {}),
        },
        'unexpected answer from the shop',
      );
    }
    return expected;
  }

  /** One step's request, following the shop's redirects (POST-redirect-GET) within the shop. */
  private async send(request: PlannedRequest, signal: AbortSignal): Promise<number> {
    let url = new URL(request.path, this.options.target);
    let method: string = request.method;
    let body = request.form ? new URLSearchParams(request.form).toString() : undefined;
    // The baggage header is set explicitly, so it is there with or without tracing; the fetch runs
    // without baggage in its context, or the undici instrumentation would add a second header.
    const withoutBaggage = propagation.deleteBaggage(context.active());
    for (let hop = 0; ; hop++) {
      const init: RequestInit = {
        method,
        body,
        redirect: 'manual',
        headers: this.headers(body !== undefined),
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      };
      const response = await context.with(withoutBaggage, () => fetch(url, init));
      this.jar.store(response.headers.getSetCookie());
      const session = this.jar.get(SESSION_COOKIE);
      if (session) this.sessions.add(session);
      // A shopper reads the whole page; it also frees the connection for the next request.
      await response.arrayBuffer();
      const location = response.headers.get('location');
      const redirected = response.status >= 300 && response.status < 400 && location;
      if (!redirected || hop === MAX_REDIRECTS) return response.status;
      const next = new URL(location, url);
      if (next.origin !== this.options.target.origin) return response.status;
      [url, method, body] = [next, 'GET', undefined];
    }
  }

  private headers(form: boolean): Record<string, string> {
    const cookie = this.jar.header();
    return {
      'user-agent': USER_AGENT,
      accept: 'text/html',
      baggage: SYNTHETIC_BAGGAGE,
      ...(cookie ? { cookie } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    };
  }

  /** A pause between steps: the mean think time, jittered by ±50%. */
  private async think(signal: AbortSignal): Promise<void> {
    const { thinkMs } = this.options.settings;
    if (thinkMs > 0) await sleep(thinkMs * (0.5 + this.options.random()), undefined, { signal });
  }
}
