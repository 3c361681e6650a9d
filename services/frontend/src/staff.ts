import { status } from '@grpc/grpc-js';
import type { FastifyRequest } from 'fastify';
import { auth } from '@glasshouse/contracts';
import { isServiceError } from '@glasshouse/kit';
import { ACCOUNT_COOKIE, unavailable } from './account-session.js';
import { PageError } from './errors.js';

/** The roles the admin pages know, least first. */
export type StaffRole = 'operator' | 'admin';

/** Someone allowed into the admin pages. */
export interface Staff {
  readonly role: StaffRole;
  /** Who, as a person reads it: the account's email, "token <id>" or "bootstrap". */
  readonly name: string;
  /** The credential auth verified; RecordAudit takes it as the actor's token. */
  readonly token: string;
  /** A Bearer header (a script) or the account session cookie (a browser, whose forms need CSRF tokens). */
  readonly via: 'bearer' | 'session';
  /** The account, when the credential belongs to one (not the bootstrap token). */
  readonly customerId?: string;
}

const RANK: Readonly<Record<StaffRole, number>> = { operator: 1, admin: 2 };

function staffRole(role: auth.Role, kind: auth.TokenKind): StaffRole | undefined {
  if (kind === auth.TokenKind.TOKEN_KIND_BOOTSTRAP || role === auth.Role.ROLE_ADMIN) return 'admin';
  if (role === auth.Role.ROLE_OPERATOR) return 'operator';
  return undefined;
}

/**
 * The gate of every admin page and API: the request's Bearer token (operator or admin machine
 * tokens, the bootstrap token) or account session, verified by auth, must hold at least `role`.
 * Throws a 401 page without credentials (or with ones auth does not know) and a 403 with too
 * small a role.
 */
export async function requireStaff(request: FastifyRequest, role: StaffRole): Promise<Staff> {
  const bearer = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const token = bearer ?? request.cookies[ACCOUNT_COOKIE];
  if (!token)
    throw new PageError(
      401,
      'Sign in needed',
      'Sign in with a staff account to see this page.',
      'unauthenticated',
    );
  let verified: auth.VerifyTokenResponse;
  try {
    verified = await request.server.accounts.verifyToken({ token });
  } catch (error) {
    // A refused Bearer token is a wrong credential (403); a stale session cookie means sign in
    // again. A token auth calls malformed (too long, not a token) is refused the same way.
    if (isServiceError(error) && [status.UNAUTHENTICATED, status.INVALID_ARGUMENT].includes(error.code))
      throw bearer
        ? new PageError(403, 'Not allowed', 'That token is not valid.', 'forbidden')
        : new PageError(
            401,
            'Sign in needed',
            'Your session has ended. Please sign in again.',
            'unauthenticated',
          );
    throw unavailable(error);
  }
  const held = staffRole(verified.role, verified.kind);
  if (!held || RANK[held] < RANK[role])
    throw new PageError(
      403,
      'Not allowed',
      `This needs an ${role === 'admin' ? 'admin' : 'operator or admin'}.`,
      'forbidden',
    );
  const { customer, kind } = verified;
  const name =
    kind === auth.TokenKind.TOKEN_KIND_BOOTSTRAP
      ? 'bootstrap'
      : kind === auth.TokenKind.TOKEN_KIND_API
        ? `token of ${customer?.email ?? 'an operator'}`
        : (customer?.email ?? 'unknown');
  return {
    role: held,
    name,
    token,
    via: bearer ? 'bearer' : 'session',
    ...(customer ? { customerId: customer.customerId } : {}),
  };
}
