import { randomUUID } from 'node:crypto';

/** Online Boutique's session cookie name, which the frontend keeps. */
export const SESSION_COOKIE = 'shop_session-id';

/** The checkout form's address and contact fields, filled like the demo shopper. */
export const DEMO_ADDRESS = {
  email: 'someone@example.com',
  street_address: '1600 Amphitheatre Parkway',
  zip_code: '94043',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
} as const;

/** A card as the checkout form takes it. */
export interface FormCard {
  readonly number: string;
  readonly cvv: string;
  readonly month: number;
  readonly year: number;
}

/** What a page request answered. */
export interface PageAnswer {
  readonly status: number;
  readonly html: string;
  readonly location: string | null;
}

/** The trace id a page shows as its request id. */
export function requestIdOf(html: string): string | undefined {
  return /class="request-id">Request <code>([0-9a-f]{32})<\/code>/.exec(html)?.[1];
}

/** The texts of the elements with a data-testid. */
export function testIdTexts(html: string, testId: string): string[] {
  const pattern = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`, 'g');
  return [...html.matchAll(pattern)].map((m) => (m[1] ?? '').trim());
}

/** A shopper driving the frontend over HTTP, keeping its cookies between requests. */
export class Shopper {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly sessionId: string = randomUUID(),
  ) {
    this.cookies.set(SESSION_COOKIE, sessionId);
  }

  async get(path: string): Promise<PageAnswer> {
    return this.send(path, { method: 'GET' });
  }

  async post(path: string, fields: Record<string, string>): Promise<PageAnswer> {
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

  async checkout(card: FormCard, email: string = DEMO_ADDRESS.email): Promise<PageAnswer> {
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

  private async send(
    path: string,
    init: RequestInit & { headers?: Record<string, string> },
  ): Promise<PageAnswer> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers: { ...init.headers, cookie },
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
