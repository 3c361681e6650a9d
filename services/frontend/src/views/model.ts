/** View models: what the pages show, already shaped and formatted by the handlers. */

/** A price already formatted for the shopper's currency, e.g. "€12.99"; views never do money maths. */
export interface Price {
  readonly text: string;
}

export interface ProductCard {
  readonly id: string;
  readonly name: string;
  readonly picture: string;
  readonly price: Price;
  readonly categories: readonly string[];
}

export interface ProductDetail extends ProductCard {
  readonly description: string;
}

export interface AdView {
  readonly text: string;
  readonly redirectUrl: string;
}

/** What every page around its body needs: currency picker, cart badge, banners. */
export interface Chrome {
  readonly currencies: readonly string[];
  readonly currentCurrency: string;
  readonly cartSize: number;
  readonly ad?: AdView;
  /** A degraded-service message, e.g. "Recommendations are unavailable right now". */
  readonly notice?: string;
  /** Shown in the footer so a shopper's report can be matched to a trace. */
  readonly requestId?: string;
  /** The token every state-changing form of the page carries. */
  readonly csrfToken: string;
  /** The signed-in customer; a guest has none. */
  readonly account?: { readonly name: string; readonly staff: boolean };
}

/** One line of the cart or of an order, priced in the shopper's currency. */
export interface LineView {
  readonly product: ProductCard;
  readonly quantity: number;
  /** Unit price × quantity, formatted. */
  readonly lineTotal: Price;
}

export interface CartView {
  readonly lines: readonly LineView[];
  readonly subtotal: Price;
  readonly shipping: Price;
  readonly total: Price;
  /** Products to suggest under the cart (may be empty). */
  readonly recommendations: readonly ProductCard[];
  /** A fresh key per rendered form: a resubmitted form places the order once. */
  readonly idempotencyKey: string;
}

/** What the shopper typed, re-shown after a refused checkout (never the card number or CVV). */
export interface CheckoutFormValues {
  readonly email: string;
  readonly streetAddress: string;
  readonly zipCode: string;
  readonly city: string;
  readonly state: string;
  readonly country: string;
}

export interface OrderView {
  readonly orderId: string;
  readonly placedAt?: string;
  /** placed, refunded, partially refunded… where the page knows it (the order history). */
  readonly status?: string;
  readonly trackingId: string;
  readonly lines: readonly LineView[];
  readonly shipping: Price;
  readonly total: Price;
  readonly address: string;
}
