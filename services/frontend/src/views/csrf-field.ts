import { html, type SafeHtml } from './html.js';

/** The hidden field that carries a state-changing form's CSRF token. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}
