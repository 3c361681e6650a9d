import type { hipstershop } from '@glasshouse/contracts';
import { badRequest } from './errors.js';
import type { CheckoutFormValues } from './views/model.js';
import { EMAIL_ADDRESS } from '@glasshouse/kit';

/** A submitted form: each field the shop reads once, as text. */
export type Form = Readonly<Record<string, string>>;

const MAX_FIELD = 200;

/**
 * The fields of a request body as the shop's forms send them: each field once, as text. A field
 * sent twice (an array) or a JSON value that is not a string is a 400 naming the field.
 */
export function readForm(body: unknown): Form {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The request body must be a form (field=value pairs).');
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const shown = name.slice(0, 40);
    if (Array.isArray(value)) throw badRequest(`The field ${shown} was sent more than once.`);
    if (typeof value !== 'string') throw badRequest(`The field ${shown} must be text.`);
    if (value.includes('\u0000')) throw badRequest(`The field ${shown} must not contain a NUL character.`);
    fields[name] = value;
  }
  return fields;
}

export interface CheckoutForm {
  values: CheckoutFormValues;
  idempotencyKey: string | undefined;
  address: hipstershop.Address;
  email: string;
  card: hipstershop.CreditCardInfo;
}

/** The address and contact fields, to show again after a refusal (never the card or CVV). */
export function formValues(form: Form): CheckoutFormValues {
  const field = (name: string) => (form[name] ?? '').trim().slice(0, MAX_FIELD);
  return {
    email: field('email'),
    streetAddress: field('street_address'),
    zipCode: field('zip_code'),
    city: field('city'),
    state: field('state'),
    country: field('country'),
  };
}

/** Reads the checkout form (Online Boutique's field names); a bad field is a 400 naming it. */
export function readCheckoutForm(form: Form): CheckoutForm {
  const values = formValues(form);
  const raw = (name: string) => (form[name] ?? '').trim();
  if (!EMAIL_ADDRESS.test(values.email)) throw badRequest('Please enter a valid email address.');
  if (!values.streetAddress) throw badRequest('Please enter a street address.');
  if (!values.city) throw badRequest('Please enter a city.');
  if (!values.country) throw badRequest('Please enter a country.');
  if (!/^\d{1,10}$/.test(values.zipCode) || Number(values.zipCode) > 2_147_483_647) {
    throw badRequest('The zip code must be a number of up to 10 digits.');
  }
  const number = raw('credit_card_number').replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number)) throw badRequest('The card number must have 12 to 19 digits.');
  const month = raw('credit_card_expiration_month');
  if (!/^\d{1,2}$/.test(month) || Number(month) < 1 || Number(month) > 12) {
    throw badRequest('The expiration month must be between 1 and 12.');
  }
  const year = raw('credit_card_expiration_year');
  if (!/^\d{4}$/.test(year)) throw badRequest('The expiration year must have four digits.');
  const cvv = raw('credit_card_cvv');
  if (!/^\d{3,4}$/.test(cvv)) throw badRequest('The CVV must have 3 or 4 digits.');
  const key = raw('idempotency_key');
  return {
    values,
    idempotencyKey: /^[A-Za-z0-9-]{8,64}$/.test(key) ? key : undefined,
    email: values.email,
    address: {
      streetAddress: values.streetAddress,
      city: values.city,
      state: values.state,
      country: values.country,
      zipCode: Number(values.zipCode),
    },
    card: {
      creditCardNumber: number,
      creditCardCvv: Number(cvv),
      creditCardExpirationMonth: Number(month),
      creditCardExpirationYear: Number(year),
    },
  };
}

/** product_id and quantity of POST /cart. */
export function readCartForm(form: Form, productIdPattern: RegExp): { productId: string; quantity: number } {
  const productId = (form.product_id ?? '').trim();
  if (!productIdPattern.test(productId)) throw badRequest('product_id is missing or is not a product id.');
  const quantity = (form.quantity ?? '1').trim();
  if (!/^\d{1,3}$/.test(quantity) || Number(quantity) < 1 || Number(quantity) > 99) {
    throw badRequest('quantity must be a whole number from 1 to 99.');
  }
  return { productId, quantity: Number(quantity) };
}
