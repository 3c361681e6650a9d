import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { csrfTokenOf } from '@glasshouse/testing';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * A browser over inject(): keeps the cookies the shop sets, sends Origin on posts as browsers do,
 * and fills in the CSRF token of the last page it read.
 */
export class Visitor {
  readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: { remoteAddress?: string; browser?: boolean } = {},
  ) {}

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies) {
      const gone =
        cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now());
      if (gone) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = csrfTokenOf(response.body);
    if (token) this.csrfToken = token;
    return response;
  }

  private get base() {
    return {
      cookies: Object.fromEntries(this.cookies),
      ...(this.options.remoteAddress ? { remoteAddress: this.options.remoteAddress } : {}),
    };
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers, ...this.base }));
  }

  /** Posts a form; `withToken` false leaves the CSRF token out. */
  async post(
    url: string,
    fields: Record<string, string> = {},
    { withToken = true, headers = {} }: { withToken?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const payload = new URLSearchParams({ ...fields, ...(withToken ? { _csrf: this.csrfToken } : {}) });
    const browser = this.options.browser === false ? {} : { origin: 'http://shop.test:8080' };
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { ...FORM, host: 'shop.test:8080', ...browser, ...headers },
        payload: payload.toString(),
        ...this.base,
      }),
    );
  }
}

/** The value of a Set-Cookie of `response`, with its attributes, as one string. */
export function setCookieHeader(response: LightMyRequestResponse, name: string): string {
  const headers = response.headers['set-cookie'];
  const all = Array.isArray(headers) ? headers : headers ? [headers] : [];
  return all.find((h) => h.startsWith(`${name}=`)) ?? '';
}
