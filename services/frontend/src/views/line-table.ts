import { html, safeUrl, type SafeHtml } from './html.js';
import type { LineView, Price } from './model.js';

/** A priced row under the lines: subtotal, shipping or total. */
export interface SummaryRow {
  readonly label: string;
  readonly price: Price;
  /** A data-testid for the price; leave out where the page already shows it under that id. */
  readonly testId?: string;
  /** The grand total, shown emphasised. */
  readonly total?: boolean;
}

/** The lines of a cart or an order as a table, with its summary rows in the footer. */
export function lineTable(
  caption: string,
  lines: readonly LineView[],
  summary: readonly SummaryRow[],
): SafeHtml {
  return html`<table class="line-table">
    <caption class="visually-hidden">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">Item</th>
        <th scope="col" class="numeric">Quantity</th>
        <th scope="col" class="numeric">Price</th>
      </tr>
    </thead>
    <tbody>
      ${lines.map(lineRow)}
    </tbody>
    <tfoot>
      ${summary.map(summaryRow)}
    </tfoot>
  </table>`;
}

/** "1 item", "3 items": the number of pieces, not of lines. */
export function itemCount(lines: readonly LineView[]): string {
  const pieces = lines.reduce((total, line) => total + line.quantity, 0);
  return `${pieces} ${pieces === 1 ? 'item' : 'items'}`;
}

function lineRow(line: LineView): SafeHtml {
  const { product } = line;
  return html`<tr data-testid="line-item">
    <td>
      <div class="line-product">
        <img
          src="${safeUrl(product.picture)}"
          alt=""
          width="64"
          height="64"
          loading="lazy"
          decoding="async"
        />
        <a href="/product/${encodeURIComponent(product.id)}" data-testid="line-name">${product.name}</a>
      </div>
    </td>
    <td class="numeric" data-testid="line-quantity">${line.quantity}</td>
    <td class="numeric" data-testid="line-total">${line.lineTotal.text}</td>
  </tr>`;
}

function summaryRow(row: SummaryRow): SafeHtml {
  return html`<tr class="${row.total ? 'summary-total' : 'summary'}">
    <th scope="row" colspan="2">${row.label}</th>
    ${
      row.testId === undefined
        ? html`<td class="numeric">${row.price.text}</td>`
        : html`<td class="numeric" data-testid="${row.testId}">${row.price.text}</td>`
    }
  </tr>`;
}
