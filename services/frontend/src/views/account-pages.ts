import { csrfField } from './csrf-field.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import type { Chrome } from './model.js';

/** What the form shows again after a refusal (never the password), and why it was refused. */
export interface AccountFormState {
  readonly email?: string;
  readonly name?: string;
  /** Where to go once signed in: a path of this shop. */
  readonly next?: string;
  readonly error?: string;
}

function formError(error: string | undefined): SafeHtml | false {
  return (
    error !== undefined &&
    html`<div class="form-error" role="alert" data-testid="account-error">
      <p>${error}</p>
    </div>`
  );
}

function field(name: string, label: string, type: string, autocomplete: string, value = ''): SafeHtml {
  return html`<div class="field field-wide">
    <label for="account-${name}">${label}</label>
    <input
      id="account-${name}"
      name="${name}"
      type="${type}"
      autocomplete="${autocomplete}"
      value="${value}"
      maxlength="${type === 'password' ? 1024 : 254}"
      required
    />
  </div>`;
}

/** The sign-in form (`email`, `password`). */
export function signInPage(chrome: Chrome, state: AccountFormState = {}): string {
  const body = html`<section class="panel account" aria-labelledby="account-title">
    <h1 id="account-title" class="page-title">Sign in</h1>
    ${formError(state.error)}
    <form method="post" action="/login" data-testid="sign-in-form">
      ${csrfField(chrome.csrfToken)}
      ${state.next && html`<input type="hidden" name="next" value="${state.next}" />`}
      <fieldset class="field-grid">
        ${field('email', 'Email', 'email', 'username', state.email)}
        ${field('password', 'Password', 'password', 'current-password')}
      </fieldset>
      <button class="button" type="submit" data-testid="sign-in">Sign in</button>
    </form>
    <p>New here? <a href="/signup">Create an account</a>. Guests can check out without one.</p>
  </section>`;
  return layout(chrome, 'Sign in', body);
}

/** The sign-up form (`email`, `password`, `name`). */
export function signUpPage(chrome: Chrome, state: AccountFormState = {}): string {
  const body = html`<section class="panel account" aria-labelledby="account-title">
    <h1 id="account-title" class="page-title">Create an account</h1>
    ${formError(state.error)}
    <form method="post" action="/signup" data-testid="sign-up-form">
      ${csrfField(chrome.csrfToken)}
      <fieldset class="field-grid">
        ${field('name', 'Name', 'text', 'name', state.name)}
        ${field('email', 'Email', 'email', 'email', state.email)}
        ${field('password', 'Password', 'password', 'new-password')}
      </fieldset>
      <button class="button" type="submit" data-testid="sign-up">Create account</button>
    </form>
    <p>Already have an account? <a href="/login">Sign in</a>.</p>
  </section>`;
  return layout(chrome, 'Create an account', body);
}
