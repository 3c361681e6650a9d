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
}
