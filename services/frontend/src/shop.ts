import type { FastifyReply, FastifyRequest } from 'fastify';
import type { hipstershop } from '@glasshouse/contracts';
import type { Logger, ServiceMetrics } from '@glasshouse/kit';
import type { Backends } from './backends.js';
import { fromServiceFailure } from './errors.js';
import { productCards } from './pricing.js';
import type { Account } from './account-session.js';
import { accountOf } from './account-session.js';
import { csrfTokenFor } from './security.js';
import { currentCurrency, sessionId } from './session.js';
import { auth } from '@glasshouse/contracts';
import type { AdView, Chrome, ProductCard } from './views/model.js';

const CURRENCY_LIST_TTL_MS = 60_000;
/** Optional parts of a page get little time: a slow ad must not slow the page. */
const OPTIONAL_DEADLINE_MS = 300;

/** What every route handler shares: the backends, the page chrome, and page-view counting. */
export class Shop {
  private currencies: { codes: string[]; expires: number } | undefined;
  private readonly pageViews;

  constructor(
    readonly backends: Backends,
    readonly logger: Logger,
    metrics: ServiceMetrics,
    readonly defaultCurrency: string,
  ) {
    this.pageViews = metrics.counter('page_views_total', 'Pages rendered, by page.', ['page']);
  }

  async supportedCurrencies(): Promise<string[]> {
    if (this.currencies && this.currencies.expires > Date.now()) return this.currencies.codes;
    try {
      const { currencyCodes } = await this.backends.currency.getSupportedCurrencies({});
      this.currencies = { codes: currencyCodes, expires: Date.now() + CURRENCY_LIST_TTL_MS };
      return currencyCodes;
    } catch (error) {
      throw fromServiceFailure(error, 'currency service');
    }
  }

  /**
   * Header and banners of a page: currency picker, cart size, an ad for the context. A page
   * that knows the cart's size (0 after an order) passes it and saves the cart lookup.
   */
  async chrome(
    request: FastifyRequest,
    reply: FastifyReply,
    adContext: readonly string[] = [],
    knownCartSize?: number,
  ): Promise<Chrome> {
    // Without auth the page still renders, as a guest's would, with a notice.
    const account = await accountOf(request, reply).then(
      (found) => ({ found }),
      () => ({ found: undefined, failed: true }),
    );
    const userId = account.found?.customerId ?? sessionId(request, reply);
    const [codes, cartSize, ad] = await Promise.all([
      this.supportedCurrencies(),
      knownCartSize ?? this.cartSize(request, userId),
      this.ad(request, adContext),
    ]);
    return {
      currencies: codes,
      currentCurrency: currentCurrency(request, codes, this.defaultCurrency),
      cartSize,
      csrfToken: csrfTokenFor(reply),
      ...(account.found ? { account: accountView(account.found) } : {}),
      ...('failed' in account ? { notice: 'Accounts are unavailable right now.' } : {}),
      ...(ad ? { ad } : {}),
      ...(request.span ? { requestId: request.span.spanContext().traceId } : {}),
    };
  }

  /**
   * Whose cart and orders these are: the signed-in customer's id (so orders follow the account
   * across devices), else the session id as in Online Boutique.
   */
  async shopperId(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    return (await accountOf(request, reply))?.customerId ?? sessionId(request, reply);
  }

  send(reply: FastifyReply, page: string, html: string, statusCode = 200): FastifyReply {
    this.pageViews.inc({ page });
    return reply.code(statusCode).type('text/html; charset=utf-8').send(html);
  }

  /** Product cards in the shopper's currency; a failing conversion fails the page. */
  async cards(products: readonly hipstershop.Product[], currency: string): Promise<ProductCard[]> {
    try {
      return await productCards(this.backends, products, currency);
    } catch (error) {
      throw fromServiceFailure(error, 'currency service');
    }
  }

  /** Recommended products as cards; undefined when the recommendation service failed. */
  async recommendations(
    userId: string,
    productIds: string[],
    currency: string,
  ): Promise<ProductCard[] | undefined> {
    try {
      const { productIds: ids } = await this.backends.recommendation.listRecommendations(
        { userId, productIds },
        { deadlineMs: OPTIONAL_DEADLINE_MS * 2 },
      );
      const products = await Promise.all(
        ids.slice(0, 4).map((id) => this.backends.catalog.getProduct({ id })),
      );
      return await this.cards(products, currency);
    } catch (error) {
      this.logger.warn({ err: error }, 'recommendations unavailable; rendering without them');
      return undefined;
    }
  }

  private async cartSize(request: FastifyRequest, userId: string): Promise<number> {
    try {
      const cart = await this.backends.cart.getCart({ userId }, { deadlineMs: OPTIONAL_DEADLINE_MS * 2 });
      return cart.items.reduce((n, item) => n + item.quantity, 0);
    } catch (error) {
      request.log.warn({ err: error }, 'cart size unavailable');
      return 0;
    }
  }

  private async ad(request: FastifyRequest, contextKeys: readonly string[]): Promise<AdView | undefined> {
    try {
      const { ads } = await this.backends.ad.getAds(
        { contextKeys: [...contextKeys] },
        { deadlineMs: OPTIONAL_DEADLINE_MS },
      );
      const ad = ads[Math.floor(Math.random() * ads.length)];
      return ad && { text: ad.text, redirectUrl: ad.redirectUrl };
    } catch (error) {
      request.log.warn({ err: error }, 'ad unavailable; rendering without it');
      return undefined;
    }
  }
}

function accountView(account: Account): { name: string; staff: boolean } {
  const staff = account.role === auth.Role.ROLE_OPERATOR || account.role === auth.Role.ROLE_ADMIN;
  return { name: account.name, staff };
}
