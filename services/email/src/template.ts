import type { hipstershop } from '@glasshouse/contracts';
import type { Money } from '@glasshouse/money';
import { add, formatMoney, multiply, sum, zero } from '@glasshouse/money';

/** An order confirmation, ready to send. */
export interface Confirmation {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

interface Line {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly lineTotal: Money;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe to place in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function addressLines(address: hipstershop.Address | undefined): string[] {
  if (!address) return [];
  const zip = address.zipCode > 0 ? String(address.zipCode) : '';
  const region = [address.state, zip].filter(Boolean).join(' ');
  return [address.streetAddress, [address.city, region].filter(Boolean).join(', '), address.country].filter(
    (line) => line.trim() !== '',
  );
}

/** The priced lines and totals of an order; item costs are unit prices, as checkout sends them. */
export function orderTotals(order: hipstershop.OrderResult): {
  lines: Line[];
  shipping: Money;
  total: Money;
} {
  const currency = order.shippingCost?.currencyCode ?? order.items[0]?.cost?.currencyCode ?? 'USD';
  const lines = order.items.map(({ item, cost }) => {
    const unitPrice = cost ?? zero(currency);
    const quantity = item?.quantity ?? 0;
    return {
      productId: item?.productId ?? '',
      quantity,
      unitPrice,
      lineTotal: multiply(unitPrice, quantity),
    };
  });
  const shipping = order.shippingCost ?? zero(currency);
  const total = add(
    sum(
      currency,
      lines.map((line) => line.lineTotal),
    ),
    shipping,
  );
  return { lines, shipping, total };
}

function renderText(order: hipstershop.OrderResult): string {
  const { lines, shipping, total } = orderTotals(order);
  return [
    'Thank you for shopping at Glasshouse.',
    '',
    `Order: ${order.orderId}`,
    '',
    ...lines.map(
      (l) => `  ${l.productId} × ${l.quantity} at ${formatMoney(l.unitPrice)} = ${formatMoney(l.lineTotal)}`,
    ),
    '',
    `Shipping: ${formatMoney(shipping)}`,
    `Total: ${formatMoney(total)}`,
    '',
    'Shipping to:',
    ...addressLines(order.shippingAddress).map((line) => `  ${line}`),
    '',
    `Tracking number: ${order.shippingTrackingId || 'not yet assigned'}`,
    '',
  ].join('\n');
}

function renderHtml(order: hipstershop.OrderResult): string {
  const { lines, shipping, total } = orderTotals(order);
  const e = escapeHtml;
  const rows = lines.map(
    (l) =>
      `<tr><td>${e(l.productId)}</td><td style="text-align:right">${l.quantity}</td>` +
      `<td style="text-align:right">${e(formatMoney(l.unitPrice))}</td>` +
      `<td style="text-align:right">${e(formatMoney(l.lineTotal))}</td></tr>`,
  );
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Your Glasshouse order</title></head>',
    '<body style="font-family:Georgia,serif;color:#1f3320">',
    '<h1>Thank you for shopping at Glasshouse</h1>',
    `<p>Order <strong>${e(order.orderId)}</strong></p>`,
    '<table cellpadding="6" style="border-collapse:collapse">',
    '<thead><tr><th>Product</th><th>Quantity</th><th>Price</th><th>Subtotal</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody>`,
    '<tfoot>',
    `<tr><td colspan="3">Shipping</td><td style="text-align:right">${e(formatMoney(shipping))}</td></tr>`,
    `<tr><th colspan="3" style="text-align:left">Total</th><th style="text-align:right">${e(formatMoney(total))}</th></tr>`,
    '</tfoot></table>',
    '<h2>Shipping to</h2>',
    `<p>${addressLines(order.shippingAddress).map(e).join('<br>')}</p>`,
    `<p>Tracking number: <strong>${e(order.shippingTrackingId || 'not yet assigned')}</strong></p>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** The confirmation mail of an order, as HTML and plain text. Expects a validated order. */
export function renderConfirmation(order: hipstershop.OrderResult): Confirmation {
  return {
    subject: `Your Glasshouse order ${order.orderId}`,
    text: renderText(order),
    html: renderHtml(order),
  };
}
