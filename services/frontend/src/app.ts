import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { Span } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { join } from 'node:path';
import type { Logger, ReadinessCheck, ServiceMetrics } from '@glasshouse/kit';
import { createTracedServer, liveness, observeDuration, readiness } from '@glasshouse/kit';
import type { Backends } from './backends.js';
import { PageError } from './errors.js';
import { registerBrowsing, sameHost } from './routes/browse.js';
import { registerCart } from './routes/cart.js';
import { registerOrders } from './routes/orders.js';
import { registerRum } from './rum/collector.js';
import { registerAccounts } from './routes/accounts.js';
import type { RateLimits } from './security.js';
import {
  DEFAULT_RATE_LIMITS,
  csrfRefusal,
  registerCsrf,
  registerRateLimits,
  registerSecurityHeaders,
} from './security.js';
import { Shop } from './shop.js';
import { errorPage } from './views/pages.js';

export interface FrontendOptions {
  backends: Backends;
  logger: Logger;
  metrics: ServiceMetrics;
  readinessChecks?: readonly ReadinessCheck[];
  defaultCurrency?: string;
  staticDir?: string;
  /** Sign-in and checkout limits per client address; DEFAULT_RATE_LIMITS unless given. */
  rateLimits?: RateLimits;
  /** Whose X-Forwarded-For/-Proto to believe (fastify's trustProxy); none by default. */
  trustProxy?: boolean | string;
}

declare module 'fastify' {
  interface FastifyRequest {
    span?: Span;
    startedAt: bigint;
  }
}

const PROBES = new Set(['/metrics', '/_healthz', '/healthz', '/readyz']);

function pageErrorOf(error: FastifyError | Error): PageError {
  if (error instanceof PageError) return error;
  const csrf = csrfRefusal((error as Partial<FastifyError>).code);
  if (csrf) return csrf;
  const statusCode = (error as Partial<FastifyError>).statusCode;
  // Fastify's own 4xx (malformed body, too large, bad content type) keep their status and message.
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return new PageError(statusCode, 'That did not work', error.message);
  }
  return new PageError(
    500,
    'Something went wrong',
    'An unexpected error happened. It has been logged.',
    'internal',
  );
}

/** The shop's HTTP app. Building it opens no port: main.ts listens, tests use inject(). */
export function buildFrontend(options: FrontendOptions): FastifyInstance {
  const { logger, metrics } = options;
  const shop = new Shop(options.backends, logger, metrics, options.defaultCurrency ?? 'USD');
  const baseLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: baseLogger,
    // One 'request completed' line of our own per request, with the route and trace id.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is the service's logger itself: the trace_id on every line already ties a
    // request together, and a child logger per request costs CPU for nothing more.
    childLoggerFactory: (logger) => logger,
    bodyLimit: 64 * 1024,
    trustProxy: options.trustProxy ?? false,
    // The kit makes the page request's server span (the HTTP instrumentation's costs several
    // times more per request); onRequest below names it after the route.
    serverFactory: (handler) => createTracedServer(handler),
  });
  let draining = false;

  app.decorate('accounts', options.backends.auth);
  void app.register(cookie);
  void app.register(formbody);
  registerSecurityHeaders(app);
  void app.register(fastifyStatic, {
    root: options.staticDir ?? join(__dirname, '..', 'static'),
    prefix: '/static/',
    maxAge: '1h',
  });

  // The hooks take a callback rather than return a promise: they run on every request, and
  // with tracing on each promise costs the context propagation's hook too.
  app.addHook('onRequest', (request, _reply, done) => {
    request.startedAt = process.hrtime.bigint();
    const span = trace.getActiveSpan();
    const route = request.routeOptions.url;
    if (span && route) {
      span.setAttribute('http.route', route);
      span.updateName(`${request.method} ${route}`);
    }
    request.span = span;
    done();
  });

  // CSRF: a state-changing form posted from another site is refused. Requests without Origin
  // or Referer (scripts, Online Boutique's load generator) pass; SameSite cookies cover browsers.
  app.addHook('preHandler', (request, _reply, done) => {
    const source =
      request.method === 'POST' ? (request.headers.origin ?? request.headers.referer) : undefined;
    if (source && source !== 'null' && !sameHost(source, request.headers.host)) {
      done(new PageError(403, 'Refused', 'This form was sent from another site.', 'csrf'));
      return;
    }
    done();
  });
  registerCsrf(app);

  const recordRequest = (request: FastifyRequest, reply: FastifyReply): void => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (PROBES.has(route) || route.startsWith('/static/')) return;
    const seconds = Number(process.hrtime.bigint() - request.startedAt) / 1e9;
    const labels = {
      http_request_method: request.method,
      http_route: route,
      http_response_status_code: String(reply.statusCode),
      ...(reply.statusCode >= 500 ? { error_type: String(reply.statusCode) } : {}),
    };
    observeDuration(metrics.httpServerDuration, labels, seconds, request.span);
    request.log.info(
      {
        'http.request.method': request.method,
        'http.route': route,
        'http.response.status_code': reply.statusCode,
        duration_s: seconds,
      },
      'request completed',
    );
  };
  app.addHook('onResponse', (request, reply, done) => {
    recordRequest(request, reply);
    done();
  });

  // The shop's routes in a scope of their own, so the rate limiter is loaded before they are added.
  void app.register(async (scope) => {
    await registerRateLimits(scope);
    const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
    registerBrowsing(scope, shop);
    registerCart(scope, shop, limits);
    registerOrders(scope, shop);
    registerAccounts(scope, shop, limits);
  });

  registerRum(app, { metrics, logger });

  app.get('/_healthz', async (_request, reply) => reply.type('text/plain').send('ok'));
  app.get('/healthz', async () => liveness().body);
  app.get('/readyz', async (_request, reply) => {
    const probe = await readiness(options.readinessChecks ?? [], draining);
    return reply.code(probe.status).send(probe.body);
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.type(contentType).send(body);
  });

  app.setNotFoundHandler(async (request, reply) =>
    reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(errorPage(undefined, 404, 'Not found', `Nothing lives at ${request.url.slice(0, 100)}.`)),
  );

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const page = pageErrorOf(error);
    request.span?.setAttribute('error.type', page.errorType);
    if (page.statusCode >= 500)
      request.log.error({ err: error, 'error.type': page.errorType }, 'page failed');
    else request.log.warn({ 'error.type': page.errorType, reason: page.message }, 'request refused');
    // Scripts (the admin API, Bearer calls) read JSON; people read a page.
    if (request.url.startsWith('/api/') || request.headers.authorization)
      return reply.code(page.statusCode).send({ error: page.message });
    return reply
      .code(page.statusCode)
      .type('text/html; charset=utf-8')
      .send(errorPage(undefined, page.statusCode, page.title, page.message));
  });

  app.addHook('onClose', async () => {
    draining = true;
  });
  return app;
}
