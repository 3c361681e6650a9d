import type { ServiceMetrics } from '@glasshouse/kit';
import type { VitalName } from './payloads.js';

type VitalHistogram = ReturnType<ServiceMetrics['histogram']>;

/**
 * Web Vitals as Prometheus histograms by page template and synthetic marker. The buckets hold
 * the Web Vitals thresholds (good ≤ first, poor > second) as boundaries, so the share of good
 * and of poor readings is exact: LCP 2.5 s / 4 s, INP 200 ms / 500 ms, CLS 0.1 / 0.25,
 * TTFB 0.8 s / 1.8 s.
 */
export class WebVitalHistograms {
  private readonly byName: Readonly<Record<VitalName, { histogram: VitalHistogram; scale: number }>>;

  constructor(metrics: ServiceMetrics) {
    const seconds = 1 / 1000;
    this.byName = {
      LCP: {
        histogram: metrics.histogram(
          'browser_web_vital_lcp_seconds',
          'Largest Contentful Paint reported by shoppers\u2019 browsers, by page template.',
          ['page', 'synthetic'],
          [0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 10, 20],
        ),
        scale: seconds,
      },
      INP: {
        histogram: metrics.histogram(
          'browser_web_vital_inp_seconds',
          'Interaction to Next Paint reported by shoppers\u2019 browsers, by page template.',
          ['page', 'synthetic'],
          [0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5],
        ),
        scale: seconds,
      },
      CLS: {
        histogram: metrics.histogram(
          'browser_web_vital_cls',
          'Cumulative Layout Shift reported by shoppers\u2019 browsers, by page template (unitless).',
          ['page', 'synthetic'],
          [0.01, 0.05, 0.1, 0.15, 0.25, 0.5, 1],
        ),
        scale: 1,
      },
      TTFB: {
        histogram: metrics.histogram(
          'browser_web_vital_ttfb_seconds',
          'Time to First Byte of the page seen by shoppers\u2019 browsers, by page template.',
          ['page', 'synthetic'],
          [0.1, 0.2, 0.4, 0.8, 1.2, 1.8, 3, 6],
        ),
        scale: seconds,
      },
    };
  }

  record(name: VitalName, value: number, page: string, synthetic: boolean): void {
    const { histogram, scale } = this.byName[name];
    histogram.observe({ labels: { page, synthetic: String(synthetic) }, value: value * scale });
  }
}
