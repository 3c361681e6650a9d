import { status } from '@grpc/grpc-js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { auth } from '@glasshouse/contracts';
import type { PromiseClient } from '@glasshouse/kit';
import { isServiceError } from '@glasshouse/kit';
import { PageError } from './errors.js';
import { COOKIE_OPTIONS } from './session.js';

/** The auth service's client, as the pages call it. */
export type AccountsClient = PromiseClient<typeof auth.AuthServiceService>;

/** The signed-in customer's session token (auth's, random, stored hashed there). */
export const ACCOUNT_COOKIE = 'shop_account';

/** A signed-in customer, as the pages need them. */
export interface Account {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  readonly role: auth.Role;
  /** The session token, for the calls made on the customer's behalf (audit, tokens, logout). */
  readonly token: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The auth service: accounts, sessions, roles and the audit log. */
    accounts: AccountsClient;
  }
}

const resolved = new WeakMap<FastifyRequest, Promise<Account | undefined>>();

/** Keeps the session token in an HttpOnly cookie until auth's expiry. */
export function setAccountCookie(reply: FastifyReply, token: string, expiresAt: Date | undefined): void {
  const maxAge = expiresAt ? Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)) : undefined;
  void reply.setCookie(ACCOUNT_COOKIE, token, { ...COOKIE_OPTIONS, ...(maxAge !== undefined && { maxAge }) });
}

export function clearAccountCookie(reply: FastifyReply): void {
  void reply.clearCookie(ACCOUNT_COOKIE, { path: '/' });
}

/**
 * The customer behind the request's account cookie, or undefined for a guest (no cookie, or one
 * auth no longer knows: expired or revoked, which is then cleared). Resolved once per request.
 * A 503 page when auth cannot answer: a signed-in shopper must not be taken for a guest.
 */
export function accountOf(request: FastifyRequest, reply: FastifyReply): Promise<Account | undefined> {
  let found = resolved.get(request);
  if (!found) {
    found = resolve(request, reply);
    resolved.set(request, found);
  }
  return found;
}

async function resolve(request: FastifyRequest, reply: FastifyReply): Promise<Account | undefined> {
  const token = request.cookies[ACCOUNT_COOKIE];
  if (!token) return undefined;
  try {
    const { customer, kind, role } = await request.server.accounts.verifyToken({ token });
    if (!customer || kind !== auth.TokenKind.TOKEN_KIND_SESSION) return undefined;
    return { customerId: customer.customerId, name: customer.name, email: customer.email, role, token };
  } catch (error) {
    // A cookie auth does not know, or one it calls malformed (too long, not a token): a guest's.
    if (isServiceError(error) && [status.UNAUTHENTICATED, status.INVALID_ARGUMENT].includes(error.code)) {
      clearAccountCookie(reply);
      return undefined;
    }
    throw unavailable(error);
  }
}

/** Auth failing (down, slow, broken) as the page a shopper sees. */
export function unavailable(error: unknown): PageError {
  if (error instanceof PageError) return error;
  return new PageError(
    503,
    'Temporarily unavailable',
    'Accounts are unavailable right now. Please try again in a moment.',
    isServiceError(error) ? status[error.code] : 'upstream_error',
  );
}
