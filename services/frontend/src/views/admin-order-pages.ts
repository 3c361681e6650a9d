import type { orders } from '@glasshouse/contracts';
import type { Money } from '@glasshouse/money';
import { formatMoney } from '@glasshouse/money';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import { statusText } from './order-pages.js';

/** What the order admin page shows besides the order: a message, and what its forms need. */
export interface OrderAdminView {
  /** The field the CSRF token travels in, and the token. */
  readonly csrf: { readonly field: string; readonly token: string };
  /** A fresh refund id per page shown, so a form sent twice refunds once. */
  readonly refundId: string;
  readonly notice?: string;
  readonly problem?: string;
}

const money = (amount: Money | undefined): string => (amount ? formatMoney(amount) : '');

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} · Glasshouse admin</title>
      </head>
      <body>
        <h1>${title}</h1>
        <p><a href="/admin">Failure scenarios</a> · <a href="/admin/orders">Orders</a></p>
        ${body}
      </body>
    </html>`.toString();
}

const lookUpForm = (orderId = ''): SafeHtml =>
  html`<form method="get" action="/admin/orders">
    <label>Order id <input name="order_id" value="${orderId}" required maxlength="128" /></label>
    <button type="submit">Look up</button>
  </form>`;

/** Units of each product not refunded yet. */
export function unitsLeft(order: orders.Order): Map<string, number> {
  const left = new Map(order.items.map((line) => [line.item?.productId ?? '', line.item?.quantity ?? 0]));
  for (const refund of order.refunds)
    for (const item of refund.items)
      left.set(item.productId, (left.get(item.productId) ?? 0) - item.quantity);
  return left;
}

function refundForms(order: orders.Order, view: OrderAdminView): SafeHtml {
  const left = unitsLeft(order);
  if ([...left.values()].every((quantity) => quantity <= 0)) return html`<p>Nothing is left to refund.</p>`;
  const action = `/admin/orders/${encodeURIComponent(order.orderId)}/refunds`;
  const hidden = html`<input type="hidden" name="${view.csrf.field}" value="${view.csrf.token}" />
    <input type="hidden" name="refund_id" value="${view.refundId}" />`;
  return html`<h2>Refund</h2>
    <form method="post" action="${action}">
      ${hidden}
      <table>
        <tr>
          <th>Product</th>
          <th>Bought</th>
          <th>Left</th>
          <th>Refund</th>
        </tr>
        ${order.items.map((line) => {
          const productId = line.item?.productId ?? '';
          const available = Math.max(0, left.get(productId) ?? 0);
          return html`<tr>
            <td>${productId}</td>
            <td>${line.item?.quantity ?? 0}</td>
            <td>${available}</td>
            <td>
              <input
                type="number"
                name="quantity_${productId}"
                min="0"
                max="${available}"
                value="0"
                ${available === 0 ? 'disabled' : ''}
                data-testid="quantity-${productId}"
              />
            </td>
          </tr>`;
        })}
      </table>
      <label>Reason <input name="reason" maxlength="200" required /></label>
      <button type="submit" data-testid="refund-items">Refund these items</button>
    </form>
    <form method="post" action="${action}">
      ${hidden}
      <input type="hidden" name="whole" value="true" />
      <label>Reason <input name="reason" maxlength="200" required /></label>
      <button type="submit" data-testid="refund-whole">Refund everything left</button>
    </form>`;
}

function refundsTable(order: orders.Order): SafeHtml {
  if (order.refunds.length === 0) return html`<p>No refunds yet.</p>`;
  return html`<table data-testid="refunds">
    <tr>
      <th>Refund</th>
      <th>When</th>
      <th>Who</th>
      <th>From</th>
      <th>Items</th>
      <th>Amount</th>
      <th>Status</th>
      <th>Reason</th>
    </tr>
    ${order.refunds.map(
      (refund) =>
        html`<tr>
          <td>${refund.refundId}</td>
          <td>${refund.refundedAt?.toISOString() ?? ''}</td>
          <td>${refund.actor}</td>
          <td>${refund.clientAddress}</td>
          <td>${refund.items.map((item) => `${item.quantity} × ${item.productId}`).join(', ')}</td>
          <td>${money(refund.amount)}</td>
          <td>${statusText(refund.statusBefore)} → ${statusText(refund.statusAfter)}</td>
          <td>${refund.reason}</td>
        </tr>`,
    )}
  </table>`;
}

/** The order admin: a look-up form, and the order with its items, refunds and refund forms. */
export function orderAdminPage(order: orders.Order | undefined, view: OrderAdminView): string {
  const messages = html`${view.notice ? html`<p role="status">${view.notice}</p>` : ''}
  ${view.problem ? html`<p role="alert">${view.problem}</p>` : ''}`;
  if (!order) return layout('Orders', html`${messages}${lookUpForm()}`);
  return layout(
    `Order ${order.orderId}`,
    html`${messages}${lookUpForm(order.orderId)}
      <dl>
        <dt>Status</dt>
        <dd data-testid="status">${statusText(order.status)}</dd>
        <dt>Customer</dt>
        <dd>${order.userId} (${order.emailMasked})</dd>
        <dt>Placed</dt>
        <dd>${order.createdAt?.toISOString() ?? ''}</dd>
        <dt>Total</dt>
        <dd>${money(order.total)} (shipping ${money(order.shippingCost)})</dd>
        <dt>Charge</dt>
        <dd>${order.transactionId}</dd>
      </dl>
      <h2>Items</h2>
      <table>
        <tr>
          <th>Product</th>
          <th>Quantity</th>
          <th>Price each</th>
        </tr>
        ${order.items.map(
          (line) =>
            html`<tr>
              <td>${line.item?.productId ?? ''}</td>
              <td>${line.item?.quantity ?? 0}</td>
              <td>${money(line.cost)}</td>
            </tr>`,
        )}
      </table>
      <h2>Refunds</h2>
      ${refundsTable(order)} ${refundForms(order, view)}`,
  );
}

/** A refusal of the order admin (sign in needed, bad input, refused refund) as a page. */
export function orderAdminProblemPage(title: string, message: string, orderId?: string): string {
  const back = orderId
    ? html`<p><a href="/admin/orders?order_id=${encodeURIComponent(orderId)}">Back to the order</a></p>`
    : '';
  return layout(
    title,
    html`<p role="alert">${message}</p>
      ${back}`,
  );
}
