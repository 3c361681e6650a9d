import { html, safeUrl, type SafeHtml } from './html.js';
import type { ProductCard } from './model.js';

/** One product as a card linking to its page; `eager` for the cards above the fold. */
export function productCard(product: ProductCard, eager: boolean): SafeHtml {
  return html`<li class="product-card" data-testid="product-card">
    <a href="/product/${encodeURIComponent(product.id)}">
      <img
        src="${safeUrl(product.picture)}"
        alt=""
        width="400"
        height="400"
        loading="${eager ? 'eager' : 'lazy'}"
        decoding="async"
      />
      <span class="product-card-body">
        <span class="product-card-name" data-testid="product-name">${product.name}</span>
        <span class="product-card-price" data-testid="product-price">${product.price.text}</span>
      </span>
    </a>
  </li>`;
}

/** A scrolling strip of suggested products, or nothing when there are none. */
export function recommendationStrip(recommendations: readonly ProductCard[]): SafeHtml | false {
  return (
    recommendations.length > 0 &&
    html`<section
      class="recommendations"
      data-testid="recommendations"
      aria-labelledby="recommendations-title"
    >
      <h2 id="recommendations-title">You may also like</h2>
      <ul class="product-strip">
        ${recommendations.map((card) => productCard(card, false))}
      </ul>
    </section>`
  );
}
