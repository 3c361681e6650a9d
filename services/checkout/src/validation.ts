import type { hipstershop } from '@glasshouse/contracts';
import { EMAIL_ADDRESS, RECORD_ID, invalidArgument, storableTextProblem } from '@glasshouse/kit';

const CURRENCY = /^[A-Z]{3}$/;

/** What PlaceOrder needs before it touches any other service; the first problem is the answer. */
export function checkPlaceOrderRequest(request: hipstershop.PlaceOrderRequest): void {
  // The order is stored under it: an id the order service would refuse must not get a charge first.
  if (!RECORD_ID.test(request.userId))
    throw invalidArgument('user_id: required, at most 128 letters, digits or ._:-');
  if (!CURRENCY.test(request.userCurrency))
    throw invalidArgument('user_currency: must be a three-letter currency code');
  if (!EMAIL_ADDRESS.test(request.email)) throw invalidArgument('email: not a valid email address');
  const address = request.address;
  if (!address) throw invalidArgument('address: required');
  if (!address.streetAddress.trim()) throw invalidArgument('address.street_address: required');
  if (!address.city.trim()) throw invalidArgument('address.city: required');
  if (!address.country.trim()) throw invalidArgument('address.country: required');
  if (address.zipCode < 0) throw invalidArgument('address.zip_code: must not be negative');
  // Stored by the order service: PostgreSQL takes no NUL, and a refusal there would come after the charge.
  const text: readonly (readonly [string, string])[] = [
    ['user_id', request.userId],
    ['email', request.email],
    ['address.street_address', address.streetAddress],
    ['address.city', address.city],
    ['address.state', address.state],
    ['address.country', address.country],
  ];
  for (const [field, value] of text) {
    const problem = storableTextProblem(field, value);
    if (problem) throw invalidArgument(problem);
  }
  const card = request.creditCard;
  if (!card || !card.creditCardNumber) throw invalidArgument('credit_card: required');
}
