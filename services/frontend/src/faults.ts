import type { FastifyInstance } from 'fastify';
import type { FeatureFlags } from '@glasshouse/kit';

/** Raised by the frontend-route-errors scenario; the error handler renders it as a 500 page. */
class PageFault extends Error {
  override readonly name = 'PageFault';
}

/** The frontend-route-errors scenario: while on, its route fails a share of its requests with 500. */
export function addRouteFaults(app: FastifyInstance, flags: FeatureFlags | undefined): void {
  if (!flags) return;
  app.addHook('preHandler', async (request) => {
    if (!flags.isOn('frontend-route-errors')) return;
    if (request.routeOptions.url !== flags.text('frontend-route-errors', 'route', '/product/:id')) return;
    if (Math.random() < flags.number('frontend-route-errors', 'rate', 1)) {
      throw new PageFault('the page could not be rendered');
    }
  });
}
