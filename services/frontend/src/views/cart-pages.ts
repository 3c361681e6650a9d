import { checkoutError, checkoutForm, type CheckoutFormState } from './checkout-form.js';
import { csrfField } from './csrf-field.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { itemCount, lineTable } from './line-table.js';
import type { CartView, Chrome } from './model.js';
import { recommendationStrip } from './product-card.js';

/**
 * The cart: its lines and totals beside the checkout form, or a friendly empty state. `form` re-shows
 * a refused checkout; `now` picks the card expiry years.
 */
export function cartPage(
  chrome: Chrome,
  cart: CartView,
  form?: CheckoutFormState,
  now: Date = new Date(),
): string {
  const body =
    cart.lines.length === 0
      ? html`<section class="cart-empty" data-testid="cart-empty" aria-labelledby="cart-title">
            <h1 id="cart-title" class="page-title">Your cart is empty</h1>
            ${checkoutError(form?.error)}
            <p class="empty">Nothing in here yet. Have a look around the greenhouse.</p>
            <a class="button" href="/">Continue shopping</a>
          </section>
          ${recommendationStrip(cart.recommendations)}`
      : html`<h1 class="page-title">Your cart</h1>
          <div class="cart-layout">
            <section class="cart-items panel" aria-labelledby="cart-items-title">
              <h2 id="cart-items-title">${itemCount(cart.lines)}</h2>
              ${lineTable('Items in your cart', cart.lines, [
                { label: 'Subtotal', price: cart.subtotal, testId: 'cart-subtotal' },
                { label: 'Shipping', price: cart.shipping, testId: 'cart-shipping' },
                { label: 'Total', price: cart.total, testId: 'cart-total', total: true },
              ])}
              <div class="cart-actions">
                <a class="nav-link" href="/">Continue shopping</a>
                <form method="post" action="/cart/empty">
                  ${csrfField(chrome.csrfToken)}
                  <button class="button button-secondary" type="submit" data-testid="empty-cart">
                    Empty cart
                  </button>
                </form>
              </div>
            </section>
            ${checkoutForm(cart.idempotencyKey, chrome.csrfToken, form, now)}
          </div>
          ${recommendationStrip(cart.recommendations)}`;
  return layout(chrome, 'Cart', body);
}
