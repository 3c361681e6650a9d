import type { Section } from '../board.js';
import { lowerIsBetter, timeSeries } from '../panels.js';
import { RATE, quantile, sumRate } from '../promql.js';
import { promQuery } from '../queries.js';

/** Real shoppers only: pages the load generator asked for say synthetic="true". */
const REAL = 'synthetic="false"';
const BY_PAGE = ['page'];
const LCP = 'browser_web_vital_lcp_seconds';

/** The 75th percentile of a vital by page, as the Web Vitals assessment takes it. */
const p75 = (histogram: string) => quantile(0.75, histogram, REAL, BY_PAGE);

/**
 * What shoppers' browsers measure (the bundle's web-vitals readings via /rum/v1/vitals), by page
 * template; thresholds are the Web Vitals' good and poor bounds.
 */
export function webVitalsSection(): Section {
  return {
    title: 'Web Vitals (shoppers\u2019 browsers)',
    panels: [
      timeSeries({
        title: 'LCP p75 by page',
        description:
          'Largest Contentful Paint, 75th percentile of real shoppers\u2019 page loads: good up to 2.5 s, poor over 4 s.',
        unit: 's',
        targets: [promQuery(p75(LCP), '{{page}}')],
        width: 6,
      }).thresholds(lowerIsBetter(2.5, 4)),
      timeSeries({
        title: 'INP p75 by page',
        description:
          'Interaction to Next Paint, 75th percentile: how long a click waits for the page to answer. Good up to 200 ms, poor over 500 ms.',
        unit: 's',
        targets: [promQuery(p75('browser_web_vital_inp_seconds'), '{{page}}')],
        width: 6,
      }).thresholds(lowerIsBetter(0.2, 0.5)),
      timeSeries({
        title: 'CLS p75 by page',
        description:
          'Cumulative Layout Shift, 75th percentile: how much the page jumps as it loads. Good up to 0.1, poor over 0.25.',
        unit: 'short',
        targets: [promQuery(p75('browser_web_vital_cls'), '{{page}}')],
        width: 6,
      }).thresholds(lowerIsBetter(0.1, 0.25)),
      timeSeries({
        title: 'TTFB p75 by page',
        description:
          'Time to First Byte as the browser saw it (the server\u2019s and the network\u2019s share of LCP). Good up to 0.8 s, poor over 1.8 s.',
        unit: 's',
        targets: [promQuery(p75('browser_web_vital_ttfb_seconds'), '{{page}}')],
        width: 6,
      }).thresholds(lowerIsBetter(0.8, 1.8)),
      timeSeries({
        title: 'Poor LCP share by page',
        description:
          'Share of real shoppers\u2019 page loads whose LCP was over 4 s; over 25 % the page fails the assessment (the LcpPoorShareHigh alert).',
        unit: 'percentunit',
        targets: [
          promQuery(
            `(${sumRate(`${LCP}_count`, REAL, BY_PAGE)} - ${sumRate(`${LCP}_bucket`, `${REAL}, le="4"`, BY_PAGE)}) / ${sumRate(`${LCP}_count`, REAL, BY_PAGE)}`,
            '{{page}}',
          ),
        ],
        width: 12,
      }).thresholds(lowerIsBetter(0.1, 0.25)),
      timeSeries({
        title: 'Measured page loads, real and synthetic',
        description:
          'Page loads that reported their LCP per second, by whether the load generator asked for the page (synthetic) or a shopper did.',
        unit: 'reqps',
        targets: [promQuery(`sum by (synthetic) (rate(${LCP}_count[${RATE}]))`, '{{synthetic}}')],
        width: 12,
        stacked: true,
      }),
    ],
  };
}
