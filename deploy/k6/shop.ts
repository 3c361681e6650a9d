/**
 * Simulated shoppers for k6, for clusters (k6 does not run on the embedded machine): the same
 * journeys, weights, products and form data as the Node load generator, read from its table.
 *
 *   k6 run -e LOADGEN_TARGET_URL=http://frontend:8080 -e LOADGEN_SHOPPERS=50 deploy/k6/shop.ts
 *
 * Variables (as for services/loadgen): LOADGEN_TARGET_URL, LOADGEN_SHOPPERS (VUs), LOADGEN_THINK_MS,
 * LOADGEN_INVALID_RATE, LOADGEN_RAMP_S, LOADGEN_DURATION_S (ramps included), LOADGEN_JOURNEYS.
 */
import { check, sleep } from 'k6';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import type { Journey, PlannedRequest } from '../../services/loadgen/src/journeys.ts';
import {
  JOURNEYS,
  JOURNEY_NAMES,
  checkoutResult,
  followUp,
  pickJourney,
  planJourney,
} from '../../services/loadgen/src/journeys.ts';

/** Marks every request as synthetic, downstream as in the Node load generator. */
const SYNTHETIC_BAGGAGE = 'synthetic_request=true';

function numberFrom(name: string, fallback: number, min: number, max: number): number {
  const raw = (__ENV[name] ?? '').trim();
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`${name}: expected a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function journeysFrom(name: string): readonly Journey[] {
  const raw = (__ENV[name] ?? '').trim();
  if (raw === '') return JOURNEYS;
  const names = raw.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !JOURNEY_NAMES.some((known) => known === n));
  if (unknown.length) throw new Error(`${name}: unknown journey "${unknown.join('", "')}"`);
  return JOURNEYS.filter((journey) => names.indexOf(journey.name) >= 0);
}

const TARGET = (__ENV.LOADGEN_TARGET_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SHOPPERS = numberFrom('LOADGEN_SHOPPERS', 20, 1, 10_000);
const THINK_MS = numberFrom('LOADGEN_THINK_MS', 1000, 0, 600_000);
const INVALID_RATE = numberFrom('LOADGEN_INVALID_RATE', 0.02, 0, 1);
const RAMP_S = numberFrom('LOADGEN_RAMP_S', 60, 0, 86_400);
const DURATION_S = numberFrom('LOADGEN_DURATION_S', 600, 2 * RAMP_S, 7 * 86_400);
const SELECTED = journeysFrom('LOADGEN_JOURNEYS');

export const options: Options = {
  stages: [
    { duration: `${RAMP_S}s`, target: SHOPPERS },
    { duration: `${DURATION_S - 2 * RAMP_S}s`, target: SHOPPERS },
    { duration: `${RAMP_S}s`, target: 0 },
  ],
  // A shopper keeps its session (cart, currency, orders) from one journey to the next.
  noCookiesReset: true,
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<500'],
    checks: ['rate>0.99'],
  },
};

const checkouts = new Counter('loadgen_checkouts');

/** Sends one step (k6 follows the redirects) and tells whether the shop answered as it should. */
function take(request: PlannedRequest, jar: http.CookieJar): { status: number; expected: boolean } {
  const response = http.request(request.method, `${TARGET}${request.path}`, request.form ?? null, {
    jar,
    headers: { baggage: SYNTHETIC_BAGGAGE },
    tags: { name: `${request.method} ${request.route}`, journey: request.journey, step: request.step },
    // Redirect hops are part of a step; a refusal planned for bad data is not a failed request.
    responseCallback: http.expectedStatuses({ min: 300, max: 399 }, ...request.expected),
  });
  const expected = check(response, {
    [`${request.step}: ${request.expected.join(' or ')}`]: (r) => request.expected.indexOf(r.status) >= 0,
  });
  if (request.placesOrder) checkouts.add(1, { result: checkoutResult(request, response.status) });
  return { status: response.status, expected };
}

/** One journey per iteration, chosen by weight, with think time after each step. */
export default function shop(): void {
  const jar = http.cookieJar();
  const journey = pickJourney(SELECTED, Math.random);
  const plan = planJourney(journey, Math.random, {
    invalidRate: INVALID_RATE,
    year: new Date().getUTCFullYear(),
  });
  for (const request of plan.requests) {
    const answer = take(request, jar);
    if (!answer.expected) return;
    const next = followUp(request, answer.status);
    if (next && !take(next, jar).expected) return;
    sleep((THINK_MS / 1000) * (0.5 + Math.random()));
  }
}
