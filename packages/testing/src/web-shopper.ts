import { randomUUID } from 'node:crypto';

/** The frontend's session cookie (Online Boutique's name). */
export const SESSION_COOKIE = 'shop_session-id';

const CSRF_TOKEN = /name="_csrf" value="([^"]+)"/;

/** The CSRF token a page's forms carry, if any. */
export const csrfTokenOf = (html: string): string | undefined => CSRF_TOKEN.exec(html)?.[1];

/** The address part of the checkout form, as the cart page prefills it. */
export const DEMO_ADDRESS = {
  email: 'someone@example.com',
  street_address: '1600 Amphitheatre Parkway',
  zip_code: '94043',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
} as const;

/** The card fields of the checkout form, as typed. */
export interface CardFields {
  readonly number: string;
  readonly cvv: string;
  readonly month: number;
  readonly year: number;
}

export interface ShopResponse {
  readonly status: number;
  readonly html: string;
  readonly location: string | null;
}

/** The trace id a page prints in its footer ("Request <code>…</code>"). */
export function requestIdOf(html: string): string | undefined {
  return /class="request-id">Request <code>([0-9a-f]{32})<\/code>/.exec(html)?.[1];
}

/** Texts of the elements with a data-testid, in page order (a plain-HTML reader for fetch tests). */
export function testIdTexts(html: string, testId: string): string[] {
  const pattern = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`, 'g');
  return [...html.matchAll(pattern)].map((m) => (m[1] ?? '').trim());
}

/** Why a checkout was refused, as the cart page shows it. */
export function checkoutErrorOf(html: string): string | undefined {
  return /data-testid="checkout-error"[\s\S]*?<p>([^<]*)<\/p>/.exec(html)?.[1];
}

/**
 * A shopper on the frontend's HTML routes, through fetch: keeps the cookies it is given (a small
 * cookie jar) and never follows redirects, so each answer can be checked as it is.
 */
export class WebShopper {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly sessionId: string = randomUUID(),
  ) {
    this.cookies.set(SESSION_COOKIE, sessionId);
  }

  async get(path: string): Promise<ShopResponse> {
    return this.send(path, { method: 'GET' });
  }

  async post(path: string, fields: Readonly<Record<string, string>>): Promise<ShopResponse> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async addToCart(productId: string, quantity: number): Promise<void> {
    const answer = await this.post('/cart', { product_id: productId, quantity: String(quantity) });
    if (answer.status !== 302) throw new Error(`POST /cart answered ${answer.status}: ${answer.html}`);
  }

  /** The value of a cookie the shop has set (or the session id given), if any. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Posts a form as a browser does: with the CSRF token of the page the form is on. */
  async submit(
    page: string,
    action: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<ShopResponse> {
    const shown = await this.get(page);
    const csrf = csrfTokenOf(shown.html);
    if (!csrf) throw new Error(`GET ${page} answered ${shown.status} without a CSRF token`);
    return this.post(action, { ...fields, _csrf: csrf });
  }

  /** POST /cart/checkout with Online Boutique's form fields and a fresh idempotency key. */
  async checkout(card: CardFields, email: string = DEMO_ADDRESS.email): Promise<ShopResponse> {
    return this.post('/cart/checkout', {
      ...DEMO_ADDRESS,
      email,
      credit_card_number: card.number,
      credit_card_cvv: card.cvv,
      credit_card_expiration_month: String(card.month),
      credit_card_expiration_year: String(card.year),
      idempotency_key: randomUUID(),
    });
  }

  private async send(path: string, init: RequestInit): Promise<ShopResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), cookie },
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return {
      status: response.status,
      html: await response.text(),
      location: response.headers.get('location'),
    };
  }
}
