import { orders } from '@glasshouse/contracts';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { itemCount, lineTable } from './line-table.js';
import type { Chrome, OrderView } from './model.js';

const STATUS_TEXT: Readonly<Record<number, string>> = {
  [orders.OrderStatus.ORDER_STATUS_PLACED]: 'placed',
  [orders.OrderStatus.ORDER_STATUS_CANCELLED]: 'cancelled',
  [orders.OrderStatus.ORDER_STATUS_PARTIALLY_REFUNDED]: 'partially refunded',
  [orders.OrderStatus.ORDER_STATUS_REFUNDED]: 'refunded',
};

/** An order status in words, as the shopper's and the admin's pages show it. */
export const statusText = (status: orders.OrderStatus): string => STATUS_TEXT[status] ?? 'unknown';

const CHECK_ICON = html`<svg class="icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
  <circle cx="12" cy="12" r="9" />
  <path d="M8 12.5l2.8 2.8L16 10" />
</svg>`;

/** The page after a successful checkout: what was ordered, where it goes and how to track it. */
export function orderConfirmationPage(chrome: Chrome, order: OrderView): string {
  const body = html`<section class="success-banner" role="status" aria-labelledby="order-title">
      ${CHECK_ICON}
      <div>
        <h1 id="order-title">Your order is placed</h1>
        <p>Thank you for shopping with us. A confirmation is on its way to your inbox.</p>
      </div>
    </section>
    <div class="order-layout">
      <section class="panel" aria-labelledby="order-items-title">
        <h2 id="order-items-title">${itemCount(order.lines)}</h2>
        ${lineTable('Items in your order', order.lines, [
          { label: 'Shipping', price: order.shipping, testId: 'order-shipping' },
          { label: 'Total', price: order.total, testId: 'order-total', total: true },
        ])}
      </section>
      <section class="panel order-facts" aria-labelledby="order-facts-title">
        <h2 id="order-facts-title">Details</h2>
        <dl class="order-facts-list">
          <dt>Order number</dt>
          <dd><code data-testid="order-id">${order.orderId}</code></dd>
          ${
            order.placedAt !== undefined &&
            html`<dt>Placed</dt>
              <dd>${order.placedAt}</dd>`
          }
          ${deliveryFacts(order)}
        </dl>
        <div class="order-links">
          <a class="button" href="/">Continue shopping</a>
          <a class="nav-link" href="/orders">See all your orders</a>
        </div>
      </section>
    </div>`;
  return layout(chrome, 'Order placed', body);
}

/** The orders placed in this session, newest first as given, each with its lines folded away. */
export function ordersPage(chrome: Chrome, orders: readonly OrderView[]): string {
  const body = html`<section aria-labelledby="orders-title">
    <h1 id="orders-title" class="page-title">Your orders</h1>
    ${
      orders.length > 0
        ? html`<ol class="order-history">
            ${orders.map(orderHistoryItem)}
          </ol>`
        : html`<div class="orders-empty" data-testid="orders-empty">
            <p class="empty">You haven't placed any orders yet.</p>
            <a class="button" href="/">Start shopping</a>
          </div>`
    }
  </section>`;
  return layout(chrome, 'Orders', body);
}

function orderHistoryItem(order: OrderView): SafeHtml {
  return html`<li class="panel order-card" data-testid="order-history-item">
    <dl class="order-card-summary">
      <div>
        <dt>Order</dt>
        <dd><code data-testid="order-id">${order.orderId}</code></dd>
      </div>
      ${
        order.placedAt !== undefined &&
        html`<div>
          <dt>Placed</dt>
          <dd data-testid="order-date">${order.placedAt}</dd>
        </div>`
      }
      ${
        order.status !== undefined &&
        html`<div>
          <dt>Status</dt>
          <dd data-testid="order-status">${order.status}</dd>
        </div>`
      }
      <div>
        <dt>Items</dt>
        <dd data-testid="order-item-count">${itemCount(order.lines)}</dd>
      </div>
      <div>
        <dt>Total</dt>
        <dd class="order-card-total" data-testid="order-total">${order.total.text}</dd>
      </div>
    </dl>
    <details>
      <summary>Show items and delivery</summary>
      ${lineTable(`Items in order ${order.orderId}`, order.lines, [
        { label: 'Shipping', price: order.shipping },
        { label: 'Total', price: order.total, total: true },
      ])}
      <dl class="order-facts-list">${deliveryFacts(order)}</dl>
    </details>
  </li>`;
}

/** Where the parcel goes and how to follow it; an order's id is shown by the caller, once. */
function deliveryFacts(order: OrderView): SafeHtml {
  return html`<dt>Tracking number</dt>
    <dd><code data-testid="tracking-id">${order.trackingId}</code></dd>
    <dt>Shipping to</dt>
    <dd data-testid="order-address">${order.address}</dd>`;
}
