import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { Span } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { join } from 'node:path';
import type { Logger, ReadinessCheck, ServiceMetrics } from '@glasshouse/kit';
import { liveness, observeDuration, readiness } from '@glasshouse/kit';
import type { Backends } from './backends.js';
import { PageError, badRequest, fromServiceFailure, notFoundPage } from './errors.js';
import { productCard } from './pricing.js';
import { currentCurrency, sessionId, setCurrency } from './session.js';
import type { Chrome } from './views/model.js';
import { errorPage, homePage, productPage } from './views/pages.js';

export interface FrontendOptions {
  backends: Backends;
  logger: Logger;
  metrics: ServiceMetrics;
  readinessChecks?: readonly ReadinessCheck[];
  defaultCurrency?: string;
  staticDir?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    span?: Span;
    startedAt: bigint;
  }
}

const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;
const CURRENCY_LIST_TTL_MS = 60_000;

/** The shop's HTTP app. Building it opens no port: main.ts listens, tests use inject(). */
export function buildFrontend(options: FrontendOptions): FastifyInstance {
  const { backends, logger, metrics } = options;
  const defaultCurrency = options.defaultCurrency ?? 'USD';
  const pageViews = metrics.counter('page_views_total', 'Pages rendered, by page.', ['page']);
  const baseLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: baseLogger,
    // One 'request completed' line of our own per request, with the route and trace id.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  let draining = false;

  void app.register(cookie);
  void app.register(formbody);
  void app.register(fastifyStatic, {
    root: options.staticDir ?? join(__dirname, '..', 'static'),
    prefix: '/static/',
    maxAge: '1h',
  });

  app.addHook('onRequest', async (request) => {
    request.startedAt = process.hrtime.bigint();
    const span = trace.getActiveSpan();
    const route = request.routeOptions.url;
    if (span && route) {
      span.setAttribute('http.route', route);
      span.updateName(`${request.method} ${route}`);
    }
    request.span = span;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics' || route === '/_healthz' || route === '/healthz' || route === '/readyz') return;
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
  });

  let currencies: { codes: string[]; expires: number } | undefined;
  const supportedCurrencies = async (): Promise<string[]> => {
    if (currencies && currencies.expires > Date.now()) return currencies.codes;
    try {
      const { currencyCodes } = await backends.currency.getSupportedCurrencies({});
      currencies = { codes: currencyCodes, expires: Date.now() + CURRENCY_LIST_TTL_MS };
      return currencyCodes;
    } catch (error) {
      throw fromServiceFailure(error, 'currency service');
    }
  };

  const chrome = async (request: FastifyRequest, reply: FastifyReply): Promise<Chrome> => {
    sessionId(request, reply);
    const codes = await supportedCurrencies();
    return {
      currencies: codes,
      currentCurrency: currentCurrency(request, codes, defaultCurrency),
      cartSize: 0,
      requestId: request.span?.spanContext().traceId,
    };
  };

  const sendPage = (reply: FastifyReply, page: string, html: string) => {
    pageViews.inc({ page });
    return reply.type('text/html; charset=utf-8').send(html);
  };

  app.get('/', async (request, reply) => {
    const view = await chrome(request, reply);
    const products = await backends.catalog.listProducts({}).catch((error: unknown) => {
      throw fromServiceFailure(error, 'product catalog');
    });
    const cards = await Promise.all(
      products.products.map((p) => productCard(backends, p, view.currentCurrency)),
    ).catch((error: unknown) => {
      throw fromServiceFailure(error, 'currency service');
    });
    return sendPage(reply, 'home', homePage(view, cards));
  });

  app.get<{ Params: { id: string } }>('/product/:id', async (request, reply) => {
    const view = await chrome(request, reply);
    const { id } = request.params;
    if (!PRODUCT_ID.test(id)) throw notFoundPage(`There is no product with id "${id.slice(0, 64)}".`);
    const product = await backends.catalog.getProduct({ id }).catch((error: unknown) => {
      throw fromServiceFailure(error, 'product catalog');
    });
    const card = await productCard(backends, product, view.currentCurrency).catch((error: unknown) => {
      throw fromServiceFailure(error, 'currency service');
    });
    return sendPage(reply, 'product', productPage(view, card, []));
  });

  app.post<{ Body: Record<string, string | undefined> | undefined }>(
    '/setCurrency',
    async (request, reply) => {
      const code = request.body?.currency_code?.trim() ?? '';
      if (!CURRENCY_CODE.test(code))
        throw badRequest('currency_code must be a three-letter currency code such as EUR.');
      const codes = await supportedCurrencies();
      if (!codes.includes(code)) throw badRequest(`The currency ${code} is not supported.`);
      setCurrency(reply, code);
      const back = request.headers.referer;
      return reply.redirect(back && sameOrigin(back, request) ? back : '/', 302);
    },
  );

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

  app.setErrorHandler(async (error, request, reply) => {
    const page =
      error instanceof PageError
        ? error
        : typeof (error as { statusCode?: number }).statusCode === 'number' &&
            (error as { statusCode: number }).statusCode < 500
          ? new PageError(
              (error as { statusCode: number }).statusCode,
              'That did not work',
              (error as Error).message,
            )
          : new PageError(
              500,
              'Something went wrong',
              'An unexpected error happened. It has been logged.',
              'internal',
            );
    request.span?.setAttribute('error.type', page.errorType);
    if (page.statusCode >= 500)
      request.log.error({ err: error, 'error.type': page.errorType }, 'page failed');
    else request.log.warn({ 'error.type': page.errorType, reason: page.message }, 'request refused');
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

function sameOrigin(url: string, request: FastifyRequest): boolean {
  try {
    return new URL(url).host === request.headers.host;
  } catch {
    return false;
  }
}
