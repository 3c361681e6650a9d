import type { Board } from '../board.js';
import { buildBoard } from '../board.js';
import { higherIsBetter, lowerIsBetter, statPanel, tablePanel, timeSeries } from '../panels.js';
import { HTTP, HTTP_FAILED, RPC_FAILED, RPC_SERVER, SHOP, quantile, sumRate } from '../promql.js';
import { promLatency, promQuery, promTable } from '../queries.js';
import { webVitalsSection } from './web-vitals.js';

const BY_SERVICE = ['service'];

/** Calls served per service: gRPC for the API services, pages for the frontend. */
const served = (selector: string): string =>
  `${sumRate(`${RPC_SERVER}_count`, selector, BY_SERVICE)} or ${sumRate(`${HTTP}_count`, selector, BY_SERVICE)}`;

const failed = (): string =>
  `${sumRate(`${RPC_SERVER}_count`, `${SHOP}, ${RPC_FAILED}`, BY_SERVICE)} or ` +
  `${sumRate(`${HTTP}_count`, `${SHOP}, ${HTTP_FAILED}`, BY_SERVICE)}`;

/** Burn rate of each SLO over `window`: its error ratio ÷ the error budget (1 − objective). */
export const burnRate = (window: string, selector = ''): string =>
  `slo:sli_error:ratio_rate${window}{${selector}} / on (slo, service) group_left () (1 - slo:objective:ratio{${selector}})`;

/** The shop at a glance: golden signals per service, SLOs, orders and money, alerts. */
export function overviewBoard(): Board {
  return buildBoard({
    folder: 'Shop',
    file: 'overview.json',
    uid: 'glasshouse-overview',
    title: 'Glasshouse / Shop overview',
    description: 'Golden signals of every service, SLO status, orders and revenue, alerts firing.',
    tags: ['overview'],
    sections: [
      {
        title: 'Now',
        panels: [
          statPanel({
            title: 'Alerts firing',
            description: 'Prometheus alerts in the firing state (the ALERTS series), all severities.',
            unit: 'short',
            targets: [promQuery('count(ALERTS{alertstate="firing"}) or vector(0)')],
            width: 4,
          }).thresholds(lowerIsBetter(1, 3)),
          statPanel({
            title: 'Orders placed per minute',
            description:
              'PlaceOrder calls that ended with an order placed, per minute, over the rate window.',
            unit: 'short',
            targets: [promQuery(`${sumRate('orders_total', 'status="placed"')} * 60`)],
            width: 5,
          }),
          statPanel({
            title: 'Revenue per minute',
            description:
              'Money charged per minute by payment (payment_amount_total), one value per currency.',
            unit: 'short',
            targets: [promQuery(`${sumRate('payment_amount_total', '', ['currency'])} * 60`, '{{currency}}')],
            width: 5,
          }),
          statPanel({
            title: 'Pages per second',
            description: 'Pages the frontend served per second, every route and status.',
            unit: 'reqps',
            targets: [promQuery(sumRate(`${HTTP}_count`, `${SHOP}, service="frontend"`))],
            width: 5,
          }),
          statPanel({
            title: 'Shop page error ratio',
            description: 'Share of pages answered with a 5xx (the shopper saw an error page).',
            unit: 'percentunit',
            targets: [
              promQuery(
                `(${sumRate(`${HTTP}_count`, `${SHOP}, ${HTTP_FAILED}`)} or 0 * ${sumRate(`${HTTP}_count`, SHOP)}) / ${sumRate(`${HTTP}_count`, SHOP)}`,
              ),
            ],
            width: 5,
          }).thresholds(lowerIsBetter(0.001, 0.01)),
        ],
      },
      {
        title: 'Golden signals per service',
        panels: [
          timeSeries({
            title: 'Traffic',
            description: 'Calls served per second by each service: gRPC calls, or pages for the frontend.',
            unit: 'reqps',
            targets: [promQuery(served(SHOP), '{{service}}')],
            width: 8,
          }),
          timeSeries({
            title: 'Errors',
            description:
              'Share of calls that failed, per service: gRPC calls with an error type (business refusals ' +
              'such as out_of_stock included), pages answered 5xx.',
            unit: 'percentunit',
            targets: [promQuery(`(${failed()} or 0 * (${served(SHOP)})) / (${served(SHOP)})`, '{{service}}')],
            width: 8,
          }),
          timeSeries({
            title: 'Latency p95',
            description:
              '95th percentile of the time to serve a call, per service. Exemplars link to traces.',
            unit: 's',
            targets: [
              promLatency(
                `${quantile(0.95, RPC_SERVER, SHOP, BY_SERVICE)} or ${quantile(0.95, HTTP, SHOP, BY_SERVICE)}`,
                '{{service}}',
              ),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'CPU',
            description: 'CPU time used per second by each service process (1 = one core busy).',
            unit: 'percentunit',
            targets: [promQuery(sumRate('process_cpu_seconds_total', SHOP, BY_SERVICE), '{{service}}')],
            width: 8,
          }),
          timeSeries({
            title: 'Event loop lag p99',
            description:
              'The 99th percentile event loop delay of each service: how long work waits for the loop.',
            unit: 's',
            targets: [
              promQuery(`max by (service) (nodejs_eventloop_lag_p99_seconds{${SHOP}})`, '{{service}}'),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'Resident memory',
            description: 'Resident set size (RSS) of each service process.',
            unit: 'bytes',
            targets: [promQuery(`sum by (service) (process_resident_memory_bytes{${SHOP}})`, '{{service}}')],
            width: 8,
          }),
        ],
      },
      webVitalsSection(),
      {
        title: 'Service level objectives',
        panels: [
          tablePanel({
            title: 'SLO status',
            description:
              'Per SLO: the objective, the error budget left over 30 days, and the burn rate over the ' +
              'last hour and six hours (1 spends the budget exactly in 30 days).',
            unit: 'percentunit',
            targets: [
              promTable('max by (slo) (slo:objective:ratio)', 'objective'),
              promTable('min by (slo) (slo:error_budget_remaining:ratio)', 'budget left'),
              promTable(`max by (slo) (${burnRate('1h')})`, 'burn 1h'),
              promTable(`max by (slo) (${burnRate('6h')})`, 'burn 6h'),
            ],
            width: 14,
          })
            .withTransformation({ id: 'merge', options: {} })
            .withTransformation({
              id: 'organize',
              options: {
                excludeByName: { Time: true },
                renameByName: {
                  'Value #A': 'objective',
                  'Value #B': 'budget left',
                  'Value #C': 'burn 1h',
                  'Value #D': 'burn 6h',
                },
              },
            })
            .overrideByRegexp('burn.*', [{ id: 'unit', value: 'suffix:×' }]),
          statPanel({
            title: 'Error budget left',
            description: 'The share of each SLO’s 30-day error budget not yet spent.',
            unit: 'percentunit',
            targets: [promQuery('min by (slo) (slo:error_budget_remaining:ratio)', '{{slo}}')],
            width: 10,
          }).thresholds(higherIsBetter(0, 0.25)),
        ],
      },
      {
        title: 'Orders and money',
        panels: [
          timeSeries({
            title: 'Orders per minute by outcome',
            description:
              'PlaceOrder outcomes per minute: placed, duplicate, invalid, out_of_stock, payment_declined, failed.',
            unit: 'short',
            targets: [promQuery(`${sumRate('orders_total', '', ['status'])} * 60`, '{{status}}')],
            stacked: true,
          }),
          timeSeries({
            title: 'Revenue per minute',
            description: 'Money charged per minute, in whole currency units, one line per currency.',
            unit: 'short',
            targets: [promQuery(`${sumRate('payment_amount_total', '', ['currency'])} * 60`, '{{currency}}')],
          }),
        ],
      },
      {
        title: 'Alerts',
        panels: [
          tablePanel({
            title: 'Alerts firing',
            description: 'Every alert firing now, with its severity and the service it is about.',
            unit: 'short',
            targets: [
              promTable(
                'sum by (alertname, severity, service) (ALERTS{alertstate="firing"})',
                '{{alertname}}',
              ),
            ],
            width: 24,
          }).withTransformation({
            id: 'organize',
            options: { excludeByName: { Time: true }, renameByName: { Value: 'series' } },
          }),
        ],
      },
    ],
  });
}
