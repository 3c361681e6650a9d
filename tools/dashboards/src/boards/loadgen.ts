import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Board } from '../board.js';
import { buildBoard } from '../board.js';
import { PROMETHEUS } from '../datasources.js';
import { lowerIsBetter, statPanel, timeSeries } from '../panels.js';
import { RATE, errorRatio, quantile, sumRate } from '../promql.js';
import { promLatency, promQuery } from '../queries.js';

/**
 * A mark on every panel when a failure flag changes variant. glasshouse_feature_flag_state is
 * named ahead of issue 19, which emits it; until then the annotation shows nothing.
 */
function flagChanges(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Failure flag changes')
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor('red')
    .expr('changes(glasshouse_feature_flag_state[2m]) > 0')
    .step('30s')
    .titleFormat('{{flag}}')
    .textFormat('flag {{flag}} changed (now {{variant}})')
    .tagKeys('flag,variant');
}

/** The simulated shoppers: how many, what they do, what they see, and which failures are on. */
export function loadgenBoard(): Board {
  return buildBoard({
    folder: 'Shop',
    file: 'load-generator.json',
    uid: 'glasshouse-load-generator',
    title: 'Glasshouse / Load generator and faults',
    description:
      'Shoppers, journeys, requests and what the shop answered them, with a mark whenever a ' +
      'failure flag changes.',
    tags: ['loadgen', 'faults'],
    annotations: [flagChanges()],
    sections: [
      {
        title: 'Shoppers',
        panels: [
          statPanel({
            title: 'Shoppers',
            description: 'Shoppers on a journey or thinking now.',
            unit: 'short',
            targets: [promQuery('sum(loadgen_shoppers)')],
            width: 6,
          }),
          statPanel({
            title: 'Journeys per minute',
            description: 'Journeys finished per minute, every kind.',
            unit: 'short',
            targets: [promQuery(`${sumRate('loadgen_journeys_total', '')} * 60`)],
            width: 6,
          }),
          statPanel({
            title: 'Unexpected answers',
            description:
              'Share of shopper requests the shop answered other than planned (status unexpected).',
            unit: 'percentunit',
            targets: [promQuery(errorRatio('loadgen_requests_total', '', 'status="unexpected"', []))],
            width: 6,
          }).thresholds(lowerIsBetter(0.001, 0.01)),
          statPanel({
            title: 'Dropped journeys per minute',
            description: 'Journeys not started at a fixed rate because every shopper was busy, per minute.',
            unit: 'short',
            targets: [promQuery(`${sumRate('loadgen_dropped_journeys_total', '')} * 60`)],
            width: 6,
          }).thresholds(lowerIsBetter(1, 10)),
          timeSeries({
            title: 'Shoppers over time',
            description: 'Shoppers on a journey or thinking.',
            unit: 'short',
            targets: [promQuery('sum(loadgen_shoppers)', 'shoppers')],
            width: 8,
          }),
          timeSeries({
            title: 'Journeys per second',
            description: 'Journeys finished per second, by journey.',
            unit: 'ops',
            targets: [promQuery(sumRate('loadgen_journeys_total', '', ['journey']), '{{journey}}')],
            width: 8,
            stacked: true,
          }),
          timeSeries({
            title: 'Checkouts by result',
            description:
              'Orders the shoppers tried to place, per minute: placed, declined (as planned), out_of_stock, failed.',
            unit: 'short',
            targets: [promQuery(`${sumRate('loadgen_checkouts_total', '', ['result'])} * 60`, '{{result}}')],
            width: 8,
            stacked: true,
          }),
        ],
      },
      {
        title: 'Requests',
        panels: [
          timeSeries({
            title: 'Requests per second by step',
            description: 'Requests the shoppers sent per second, by step of a journey.',
            unit: 'reqps',
            targets: [promQuery(sumRate('loadgen_requests_total', '', ['step']), '{{step}}')],
            width: 8,
            stacked: true,
          }),
          timeSeries({
            title: 'Answers by status',
            description:
              'Requests per second by the HTTP status the shop gave; unexpected when not the planned one.',
            unit: 'reqps',
            targets: [promQuery(sumRate('loadgen_requests_total', '', ['status']), '{{status}}')],
            width: 8,
            stacked: true,
          }),
          timeSeries({
            title: 'Step duration p95',
            description:
              '95th percentile duration of each step as the shopper saw it. Exemplars link to traces.',
            unit: 's',
            targets: [
              promLatency(quantile(0.95, 'loadgen_request_duration_seconds', '', ['step']), '{{step}}'),
            ],
            width: 8,
          }),
          timeSeries({
            title: 'Shop traffic the shoppers cause',
            description: 'Pages the frontend served per second, to compare with the requests sent.',
            unit: 'reqps',
            targets: [
              promQuery(
                `sum(rate(http_server_request_duration_seconds_count{service="frontend"}[${RATE}]))`,
                'pages served',
              ),
              promQuery(sumRate('loadgen_requests_total', ''), 'requests sent'),
            ],
            width: 24,
          }),
        ],
      },
    ],
  });
}
