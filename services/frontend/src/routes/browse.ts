import type { FastifyInstance } from 'fastify';
import { badRequest, fromServiceFailure, notFoundPage } from '../errors.js';
import { readForm } from '../forms.js';
import { productCard } from '../pricing.js';
import type { Shop } from '../shop.js';
import { sessionId, setCurrency } from '../session.js';
import { homePage, productPage } from '../views/pages.js';
import { PRODUCT_ID } from '@glasshouse/kit';

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Home, product pages and the currency picker. */
export function registerBrowsing(app: FastifyInstance, shop: Shop): void {
  const { backends } = shop;

  app.get('/', async (request, reply) => {
    const chrome = await shop.chrome(request, reply);
    const { products } = await backends.catalog.listProducts({}).catch((error: unknown) => {
      throw fromServiceFailure(error, 'product catalog');
    });
    return shop.send(reply, 'home', homePage(chrome, await shop.cards(products, chrome.currentCurrency)));
  });

  app.get<{ Params: { id: string } }>('/product/:id', async (request, reply) => {
    const { id } = request.params;
    if (!PRODUCT_ID.test(id)) throw notFoundPage(`There is no product with id "${id.slice(0, 64)}".`);
    const product = await backends.catalog.getProduct({ id }).catch((error: unknown) => {
      throw fromServiceFailure(error, 'product catalog');
    });
    const chrome = await shop.chrome(request, reply, product.categories);
    const [card, recommended] = await Promise.all([
      productCard(backends, product, chrome.currentCurrency).catch((error: unknown) => {
        throw fromServiceFailure(error, 'currency service');
      }),
      shop.recommendations(sessionId(request, reply), [id], chrome.currentCurrency),
    ]);
    const view = recommended ? chrome : { ...chrome, notice: 'Recommendations are unavailable right now.' };
    return shop.send(reply, 'product', productPage(view, card, recommended ?? []));
  });

  app.post('/setCurrency', async (request, reply) => {
    const code = readForm(request.body).currency_code?.trim() ?? '';
    if (!CURRENCY_CODE.test(code))
      throw badRequest('currency_code must be a three-letter currency code such as EUR.');
    const codes = await shop.supportedCurrencies();
    if (!codes.includes(code)) throw badRequest(`The currency ${code} is not supported.`);
    setCurrency(reply, code);
    const back = request.headers.referer;
    return reply.redirect(back && sameHost(back, request.headers.host) ? back : '/', 302);
  });
}

export function sameHost(url: string, host: string | undefined): boolean {
  try {
    return new URL(url).host === host;
  } catch {
    return false;
  }
}
