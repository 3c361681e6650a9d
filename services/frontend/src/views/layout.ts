import { rumHeadTags } from '../rum/head.js';
import { html, safeUrl, type SafeHtml } from './html.js';
import { csrfField } from './csrf-field.js';
import type { AdView, Chrome } from './model.js';

const CART_ICON = html`<svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
  <path d="M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 8H6.2" />
  <circle cx="9" cy="19" r="1.5" />
  <circle cx="17" cy="19" r="1.5" />
</svg>`;

/** A full HTML document: header with currency picker and cart, the body, banners and footer. */
export function layout(chrome: Chrome, title: string, body: SafeHtml): string {
  return documentShell(chrome, title, body);
}

/** The same document with only the logo in the header, for errors raised before the chrome is known. */
export function bareLayout(title: string, body: SafeHtml): string {
  return documentShell(undefined, title, body);
}

function documentShell(chrome: Chrome | undefined, title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#1f6f50" />
        <title>${title} · Glasshouse</title>
        <link rel="stylesheet" href="/static/css/shop.css" />
        <link rel="icon" href="/static/img/logo.svg" type="image/svg+xml" />
        ${rumHeadTags()}
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <div class="container header-bar">
            <a class="brand" href="/">
              <img src="/static/img/logo.svg" alt="" width="32" height="32" />
              <span class="wordmark">Glasshouse</span>
            </a>
            ${chrome && headerActions(chrome)}
          </div>
        </header>
        ${
          chrome?.notice &&
          html`<div class="notice" role="status" data-testid="notice">
            <div class="container">${chrome.notice}</div>
          </div>`
        }
        <main id="main" class="container">${body}</main>
        ${chrome?.ad && adBanner(chrome.ad)}
        <footer class="site-footer">
          <div class="container footer-bar">
            <p>Glasshouse — a shop built to be watched. Nothing here is really for sale.</p>
            ${chrome?.requestId && html`<p class="request-id">Request <code>${chrome.requestId}</code></p>`}
          </div>
        </footer>
        ${chrome && html`<script src="/static/js/currency.js"></script>`}
      </body>
    </html> `.toString();
}

function headerActions(chrome: Chrome): SafeHtml {
  const items = chrome.cartSize === 1 ? 'item' : 'items';
  return html`<nav class="header-actions" aria-label="Shop">
    <form class="currency-form" method="post" action="/setCurrency">
      ${csrfField(chrome.csrfToken)}
      <label class="visually-hidden" for="currency-select">Currency</label>
      <select id="currency-select" name="currency_code" data-testid="currency-select">
        ${chrome.currencies.map((code) => currencyOption(code, code === chrome.currentCurrency))}
      </select>
      <noscript><button class="button button-small" type="submit">Set</button></noscript>
    </form>
    <a class="nav-link" href="/orders">Orders</a>
    ${accountLinks(chrome)}
    <a class="nav-link cart-link" href="/cart" aria-label="Cart, ${chrome.cartSize} ${items}">
      ${CART_ICON}<span>Cart</span>
      <span class="badge" data-testid="cart-size">${chrome.cartSize}</span>
    </a>
  </nav>`;
}

/** "Sign in" for a guest; the customer's name and a sign-out button once signed in. */
function accountLinks(chrome: Chrome): SafeHtml {
  const { account } = chrome;
  if (!account) return html`<a class="nav-link" href="/login" data-testid="account-link">Sign in</a>`;
  return html`${account.staff && html`<a class="nav-link" href="/admin">Admin</a>`}
    <a class="nav-link" href="/orders" data-testid="account-link">${account.name}</a>
    <form class="logout-form" method="post" action="/logout">
      ${csrfField(chrome.csrfToken)}
      <button class="button button-small button-secondary" type="submit" data-testid="sign-out">
        Sign out
      </button>
    </form>`;
}

function currencyOption(code: string, selected: boolean): SafeHtml {
  return selected
    ? html`<option value="${code}" selected>${code}</option>`
    : html`<option value="${code}">${code}</option>`;
}

function adBanner(ad: AdView): SafeHtml {
  return html`<aside class="ad container" data-testid="ad" aria-label="Advertisement">
    <span class="ad-label">Ad</span>
    <a href="${safeUrl(ad.redirectUrl)}" rel="sponsored">${ad.text}</a>
  </aside>`;
}
