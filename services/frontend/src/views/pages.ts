import { html, safeUrl, type SafeHtml } from './html.js';
import { csrfField } from './csrf-field.js';
import { bareLayout, layout } from './layout.js';
import type { Chrome, ProductCard, ProductDetail } from './model.js';
import { productCard, recommendationStrip } from './product-card.js';

export { cartPage } from './cart-pages.js';
export { orderConfirmationPage, ordersPage } from './order-pages.js';

const QUANTITIES = Array.from({ length: 10 }, (_, i) => i + 1);
/** Cards above the fold on a typical screen load eagerly; the rest wait until scrolled near. */
const EAGER_IMAGES = 4;

/** The home page: every product in a responsive grid. */
export function homePage(chrome: Chrome, products: readonly ProductCard[]): string {
  const body = html`<section class="catalog" aria-labelledby="catalog-title">
    <h1 id="catalog-title" class="page-title">Hot products</h1>
    ${
      products.length > 0
        ? html`<ul class="product-grid">
            ${products.map((product, i) => productCard(product, i < EAGER_IMAGES))}
          </ul>`
        : html`<p class="empty">The shelves are empty right now. Please come back soon.</p>`
    }
  </section>`;
  return layout(chrome, 'Shop', body);
}

/** One product with its add-to-cart form and, when there are any, recommendations. */
export function productPage(
  chrome: Chrome,
  product: ProductDetail,
  recommendations: readonly ProductCard[],
): string {
  const body = html`<article class="product-detail">
      <img
        class="product-detail-image"
        src="${safeUrl(product.picture)}"
        alt="${product.name}"
        width="600"
        height="600"
        decoding="async"
      />
      <div class="product-detail-info">
        ${categoryTags(product.categories)}
        <h1 class="product-detail-name" data-testid="product-name">${product.name}</h1>
        <p class="product-detail-price" data-testid="product-price">${product.price.text}</p>
        <p class="product-detail-description">${product.description}</p>
        <form class="add-to-cart" method="post" action="/cart">
          ${csrfField(chrome.csrfToken)}
          <input type="hidden" name="product_id" value="${product.id}" />
          <label class="quantity">
            <span>Quantity</span>
            <select name="quantity">
              ${QUANTITIES.map((n) => html`<option value="${n}">${n}</option>`)}
            </select>
          </label>
          <button class="button" type="submit" data-testid="add-to-cart">Add to cart</button>
        </form>
      </div>
    </article>
    ${recommendationStrip(recommendations)}`;
  return layout(chrome, product.name, body);
}

/**
 * A friendly error page. Without chrome (the services that supply it are down, or the failure
 * came first) the header shows only the logo.
 */
export function errorPage(
  chrome: Chrome | undefined,
  status: number,
  title: string,
  message: string,
): string {
  const body = html`<section class="error-panel" aria-labelledby="error-title">
    <p class="error-status">${status}</p>
    <h1 id="error-title">${title}</h1>
    <p class="error-message" data-testid="error-message">${message}</p>
    <a class="button" href="/">Back to the shop</a>
  </section>`;
  return chrome ? layout(chrome, title, body) : bareLayout(title, body);
}

function categoryTags(categories: readonly string[]): SafeHtml | false {
  return (
    categories.length > 0 &&
    html`<ul class="tags" aria-label="Categories">
      ${categories.map((c) => html`<li>${c}</li>`)}
    </ul>`
  );
}
