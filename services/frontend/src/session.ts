import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Online Boutique's cookie names: existing load generators and clients rely on them. */
export const SESSION_COOKIE = 'shop_session-id';
export const CURRENCY_COOKIE = 'shop_currency';

/** Secure when the page was served over TLS ('auto' reads request.protocol, which trusts X-Forwarded-Proto only behind a configured proxy). */
export const COOKIE_OPTIONS = {
  path: '/',
  httpOnly: true,
  sameSite: 'lax',
  secure: 'auto',
  maxAge: 60 * 60 * 24 * 30,
} as const;
const SESSION_ID = /^[A-Za-z0-9-]{8,64}$/;

/** The shopper's session id (used as user_id), issuing a new one when absent or malformed. */
export function sessionId(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[SESSION_COOKIE];
  if (existing && SESSION_ID.test(existing)) return existing;
  const id = randomUUID();
  void reply.setCookie(SESSION_COOKIE, id, COOKIE_OPTIONS);
  return id;
}

export function currentCurrency(
  request: FastifyRequest,
  supported: readonly string[],
  fallback: string,
): string {
  const chosen = request.cookies[CURRENCY_COOKIE];
  return chosen && supported.includes(chosen) ? chosen : fallback;
}

export function setCurrency(reply: FastifyReply, code: string): void {
  void reply.setCookie(CURRENCY_COOKIE, code, COOKIE_OPTIONS);
}

export function clearSession(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  void reply.clearCookie(CURRENCY_COOKIE, { path: '/' });
}
