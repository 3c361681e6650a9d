import { csrfField } from './csrf-field.js';
import { html, type SafeHtml } from './html.js';
import type { CheckoutFormValues } from './model.js';

/** What the shopper typed and why the checkout was refused, for showing the form again. */
export interface CheckoutFormState {
  readonly values: CheckoutFormValues;
  readonly error?: string;
}

/** Online Boutique's demo shopper, so a visitor can check out without typing. */
export const DEMO_CHECKOUT_VALUES: CheckoutFormValues = {
  email: 'someone@example.com',
  streetAddress: '1600 Amphitheatre Parkway',
  zipCode: '94043',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
};

/** A test card that the payment service accepts; prefilled only with the demo values. */
const DEMO_CARD = { number: '4432-8015-6152-0454', cvv: '672' } as const;
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const EXPIRY_YEARS_AHEAD = 10;

interface TextField {
  readonly name: string;
  readonly label: string;
  readonly autocomplete: string;
  readonly value: string | undefined;
  readonly type?: 'text' | 'email';
  readonly numeric?: boolean;
  readonly maxLength?: number;
  readonly wide?: boolean;
}

/** A refused checkout's reason, announced to screen readers. */
export function checkoutError(error: string | undefined): SafeHtml | false {
  return (
    error !== undefined &&
    html`<div class="form-error" role="alert" data-testid="checkout-error">
      <strong>We couldn't place your order.</strong>
      <p>${error}</p>
    </div>`
  );
}

/**
 * The checkout form with Online Boutique's field names. Without `form` it is prefilled with the
 * demo shopper and test card; with it, the typed values are shown again but never the card number
 * or CVV, which the shopper must enter afresh.
 */
export function checkoutForm(
  idempotencyKey: string,
  csrfToken: string,
  form: CheckoutFormState | undefined,
  now: Date,
): SafeHtml {
  const values = form?.values ?? DEMO_CHECKOUT_VALUES;
  const card = form ? undefined : DEMO_CARD;
  const thisYear = now.getUTCFullYear();
  const years = Array.from({ length: EXPIRY_YEARS_AHEAD + 1 }, (_, i) => thisYear + i);
  return html`<section class="checkout panel" aria-labelledby="checkout-title">
    <h2 id="checkout-title">Checkout</h2>
    ${checkoutError(form?.error)}
    <form method="post" action="/cart/checkout" data-testid="checkout-form">
      <input type="hidden" name="idempotency_key" value="${idempotencyKey}" />
      ${csrfField(csrfToken)}
      <fieldset class="field-grid">
        <legend>Shipping address</legend>
        ${addressFields(values).map((field) => textField(field))}
      </fieldset>
      <fieldset class="field-grid field-grid-3">
        <legend>Payment</legend>
        ${textField({
          name: 'credit_card_number',
          label: 'Card number',
          autocomplete: 'cc-number',
          value: card?.number,
          numeric: true,
          wide: true,
        })}
        <div class="field">
          <label for="checkout-credit-card-expiration-month">Expiry month</label>
          <select
            id="checkout-credit-card-expiration-month"
            name="credit_card_expiration_month"
            autocomplete="cc-exp-month"
            required
          >
            ${MONTHS.map((month) => option(month, String(month).padStart(2, '0'), month === 1))}
          </select>
        </div>
        <div class="field">
          <label for="checkout-credit-card-expiration-year">Expiry year</label>
          <select
            id="checkout-credit-card-expiration-year"
            name="credit_card_expiration_year"
            autocomplete="cc-exp-year"
            required
          >
            ${years.map((year) => option(year, String(year), year === thisYear + 1))}
          </select>
        </div>
        ${textField({
          name: 'credit_card_cvv',
          label: 'CVV',
          autocomplete: 'cc-csc',
          value: card?.cvv,
          numeric: true,
          maxLength: 4,
        })}
      </fieldset>
      <p class="form-note">
        ${
          card
            ? 'A demo shop: the prefilled test card is accepted and nothing is really charged.'
            : 'For your safety, please enter your card number and CVV again.'
        }
      </p>
      <button class="button button-wide" type="submit" data-testid="place-order">Place order</button>
    </form>
  </section>`;
}

function addressFields(values: CheckoutFormValues): readonly TextField[] {
  return [
    { name: 'email', label: 'Email', type: 'email', autocomplete: 'email', value: values.email, wide: true },
    {
      name: 'street_address',
      label: 'Street address',
      autocomplete: 'address-line1',
      value: values.streetAddress,
      wide: true,
    },
    {
      name: 'zip_code',
      label: 'ZIP code',
      autocomplete: 'postal-code',
      value: values.zipCode,
      numeric: true,
    },
    { name: 'city', label: 'City', autocomplete: 'address-level2', value: values.city },
    { name: 'state', label: 'State', autocomplete: 'address-level1', value: values.state },
    { name: 'country', label: 'Country', autocomplete: 'country-name', value: values.country },
  ];
}

function textField(field: TextField): SafeHtml {
  const id = `checkout-${field.name.replaceAll('_', '-')}`;
  return html`<div class="${field.wide ? 'field field-wide' : 'field'}">
    <label for="${id}">${field.label}</label>
    <input
      id="${id}"
      type="${field.type ?? 'text'}"
      name="${field.name}"
      ${field.value !== undefined && html`value="${field.value}"`}
      autocomplete="${field.autocomplete}"
      ${field.numeric && html`inputmode="numeric"`}
      ${field.maxLength !== undefined && html`maxlength="${field.maxLength}"`}
      required
    />
  </div>`;
}

function option(value: number, label: string, selected: boolean): SafeHtml {
  return selected
    ? html`<option value="${value}" selected>${label}</option>`
    : html`<option value="${value}">${label}</option>`;
}
