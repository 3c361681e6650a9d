import type { Metric } from 'web-vitals';
import { onCLS, onINP, onLCP, onTTFB } from 'web-vitals';

interface VitalReading {
  name: Metric['name'];
  value: number;
}

/**
 * Reports LCP, INP, CLS and TTFB of this page to `url` when the page is hidden (the moment
 * web-vitals finalises them), as `{ page, vitals: [{ name, value }] }`; values in the units
 * web-vitals gives (milliseconds, CLS unitless).
 */
export function watchVitals(url: string, headers: Record<string, string>): void {
  let pending: VitalReading[] = [];
  const send = (): void => {
    if (pending.length === 0) return;
    const body = JSON.stringify({ page: location.pathname, vitals: pending });
    pending = [];
    // keepalive lets the request outlive the page, as sendBeacon would, and carry the baggage.
    void fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      keepalive: true,
    }).catch(() => undefined);
  };
  const record = (metric: Metric): void => {
    pending.push({ name: metric.name, value: metric.value });
  };
  onLCP(record);
  onINP(record);
  onCLS(record);
  onTTFB(record);
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') send();
  });
}
