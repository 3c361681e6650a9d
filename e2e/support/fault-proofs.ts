import type { ScenarioName, ScenarioValues } from '@glasshouse/kit';
import { SCENARIO_NAMES, scenarioSpec } from '@glasshouse/kit';
import { ANSWER_KEY } from '../../tools/faults/src/answer-key.js';

/**
 * Which end-to-end proof covers each failure scenario: the groups e2e/faults-alerts.spec.ts
 * switches on side by side in one shop, in this order. Scenarios share a group only when their
 * signatures do not overlap (none causes another's PromQL, log, span or required alert) and
 * none stops the traffic another needs. e2e/faults-coverage.spec.ts checks that every scenario
 * with an answer key is here exactly once.
 */
export interface ProofGroup {
  readonly title: string;
  readonly scenarios: readonly ScenarioName[];
  /** Parameters other than the defaults, and why. */
  readonly values?: Partial<Record<ScenarioName, ScenarioValues>>;
}

export const PROOF_GROUPS: readonly ProofGroup[] = [
  {
    title:
      'journeys that still reach checkout: failed charges, a drained product, a CPU burn, a slow database, slow emails',
    scenarios: ['payment-failure', 'product-drained', 'ad-cpu-burn', 'orders-db-slow', 'email-backlog'],
  },
  {
    title: 'trace-export-failure alone (it takes every span with it)',
    scenarios: ['trace-export-failure'],
  },
  {
    title: 'a failing page beside orders failing after the charge',
    scenarios: ['frontend-route-errors', 'orders-fail-after-charge'],
    // A share of the product pages only, so journeys still reach checkout.
    values: { 'frontend-route-errors': { rate: 0.3, route: '/product/:id' } },
  },
  {
    title: 'charges hanging beside a leaking cache, a traffic surge and guessed passwords',
    scenarios: ['payment-unreachable', 'recommendation-leak', 'traffic-surge', 'login-brute-force'],
    values: {
      // A steady two guesses a second, all let through (the proof's shop raises SIGNIN_RATE_LIMIT):
      // the frontend's limit counts per whole minute, so at its default of 10 the guesses reach
      // auth in one burst a minute, and the proof's 50 s window (5 m ÷ 6) would see the rate fall
      // to nothing between bursts and the alert resolve while the attack goes on.
      'login-brute-force': { 'attempts-per-second': 2 },
      // 32 MiB a call (2 % of the test's 1.5 GiB heap) fills it within a minute of traffic and
      // holds above 0.9 of it (the hook stops at 0.93).
      'recommendation-leak': { 'kb-per-call': 32_768 },
      // 15 shoppers: past the key's 10, short of starving the shared test machine's CPU.
      'traffic-surge': { multiplier: 3 },
    },
  },
  {
    title: 'the pages’ dependencies failing: the cart store out, conversions failing, the catalog slow',
    // None of them reaches checkout's payment, orders or email: those are the other groups'.
    // Last: the catalog slowed slows checkout, which resolves slowly on a loaded machine.
    scenarios: ['cart-store-outage', 'currency-errors', 'catalog-slow'],
  },
];

/** A scenario waits for its proof while its answer key (or its hook) is pending. */
export const isPending = (scenario: ScenarioName): boolean =>
  'pending' in ANSWER_KEY[scenario] || scenarioSpec(scenario).pending !== undefined;

/** Scenarios that need an end-to-end proof: every one not pending. */
export const PROVABLE: readonly ScenarioName[] = SCENARIO_NAMES.filter((s) => !isPending(s));
