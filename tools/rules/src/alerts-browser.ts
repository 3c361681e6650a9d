import { histogram } from './fixtures.js';
import type { TestedAlert } from './model.js';

/** What shoppers' browsers report (Web Vitals through the frontend's /rum/v1/vitals). */

const LCP = 'browser_web_vital_lcp_seconds';
const REAL = 'synthetic="false"';
const window = (metric: string, extra = '') =>
  `sum by (service, page) (rate(${LCP}_${metric}{${REAL}${extra}}[10m]))`;

export const BROWSER_ALERTS: readonly TestedAlert[] = [
  {
    alert: 'LcpPoorShareHigh',
    // More than a quarter poor is a 75th percentile over 4 s: the page fails the Web Vitals
    // assessment. Real shoppers only (the load generator's pages say synthetic="true"), and
    // only where 20 or more loads were measured, so one slow phone is not an alert.
    expr:
      `(${window('count')} - ${window('bucket', ', le="4"')}) / ${window('count')} > 0.25` +
      ` and sum by (service, page) (increase(${LCP}_count{${REAL}}[10m])) >= 20`,
    for: '10m',
    severity: 'ticket',
    summary:
      '{{ $value | humanizePercentage }} of {{ $labels.page }} loads paint their largest content after 4 s',
    description:
      'Over 10 minutes {{ $value | humanizePercentage }} of the real shoppers\u2019 loads of {{ $labels.page }} had a poor Largest Contentful Paint (over 4 s; more than 25 % for 10 minutes): the page fails the Web Vitals assessment and shoppers wait or leave.',
    cases: {
      interval: '15s',
      fires: {
        input: histogram(
          LCP,
          'frontend',
          { '2.5': 50, '4': 60, '10': 100 },
          { page: '/product/:id', synthetic: 'false' },
        ),
        pendingAt: '6m',
        at: '15m',
        alerts: [{ labels: { service: 'frontend', page: '/product/:id' }, value: 0.4 }],
      },
      nearMiss: {
        input: histogram(
          LCP,
          'frontend',
          { '2.5': 60, '4': 80, '10': 100 },
          { page: '/product/:id', synthetic: 'false' },
        ),
        at: '20m',
      },
      moreNearMisses: [
        {
          // The same poor loads from the load generator's browsers: not shoppers.
          input: histogram(
            LCP,
            'frontend',
            { '2.5': 50, '4': 60, '10': 100 },
            { page: '/', synthetic: 'true' },
          ),
          at: '20m',
        },
        {
          // All poor, but a load a minute: too few to speak for the page.
          input: histogram(LCP, 'frontend', { '4': 0, '10': 0.25 }, { page: '/cart', synthetic: 'false' }),
          at: '20m',
        },
      ],
    },
  },
];
