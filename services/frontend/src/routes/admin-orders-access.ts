import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminAction } from '../audit.js';
import { recordAdminAction } from '../audit.js';
import { PageError } from '../errors.js';
import type { Staff } from '../staff.js';
import { requireStaff } from '../staff.js';

/** Who refunds, as the audit records them. */
export interface OrderAdmin {
  /** Who, e.g. "admin@203.0.113.9". */
  readonly actor: string;
  /** A Bearer header (a script) or a browser session, whose forms must carry the CSRF token. */
  readonly via: 'bearer' | 'session';
  /** The staff member auth verified, when the gate is the accounts' one. */
  readonly staff?: Staff;
}

/** The one gate of the order admin: who may come in, and the CSRF token of its forms. */
export interface OrderAdminAccess {
  /** The admin behind the request; a 401 PageError without credentials, 403 with wrong ones. */
  adminOf(request: FastifyRequest): Promise<OrderAdmin>;
  /** The form field the CSRF token travels in, and the token the page's forms carry. */
  readonly csrfField: string;
  csrfToken(request: FastifyRequest, reply: FastifyReply): string;
  csrfValid(request: FastifyRequest, posted: string | undefined): boolean;
  /** Appends an admin action to the audit log the gate keeps; a failure is a PageError. */
  audit(request: FastifyRequest, admin: OrderAdmin, action: AdminAction): Promise<void>;
}

const SESSION_COOKIE = 'gh_admin';

const derived = (token: string, purpose: string): string =>
  createHmac('sha256', token).update(`glasshouse-admin:${purpose}`).digest('hex');

const same = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The admin token check of routes/admin.ts, as it is today: a Bearer header with the token, or
 * the session cookie its login form sets; forms carry the CSRF token derived from it. When the
 * accounts' staff gate (staff.ts, requireStaff) is wired into the app, index.ts passes an access
 * built on it instead: that is the one line to change.
 */
export function adminTokenAccess(adminToken: string): OrderAdminAccess {
  const session = derived(adminToken, 'session');
  const csrf = derived(adminToken, 'csrf');
  return {
    async adminOf(request) {
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const viaSession = !bearer && same(request.cookies[SESSION_COOKIE], session);
      if (!bearer && !viaSession)
        throw new PageError(
          401,
          'Sign in needed',
          'Sign in at /admin with the admin token first.',
          'unauthenticated',
        );
      if (bearer && !same(bearer, adminToken))
        throw new PageError(403, 'Not allowed', 'That is not the admin token.', 'forbidden');
      return { actor: `admin@${request.ip}`, via: bearer ? 'bearer' : 'session' };
    },
    csrfField: 'csrf',
    csrfToken: () => csrf,
    csrfValid: (_request, posted) => same(posted, csrf),
    // The token has no audit log of its own: a refund's record on the order is its audit.
    audit: async () => undefined,
  };
}

/**
 * The accounts' staff gate (staff.ts): admins only, by Bearer token or account session. The app's
 * CSRF plugin checks a session's form token before any route runs, so the route has nothing left
 * to check; `csrf` names its field and makes its tokens (security.ts: CSRF_FIELD, csrfTokenFor).
 */
export function staffAccess(csrf: {
  field: string;
  tokenFor(reply: FastifyReply): string;
}): OrderAdminAccess {
  return {
    async adminOf(request) {
      const staff = await requireStaff(request, 'admin');
      // An id, not the email: the audit line is a log line, where addresses are never written whole.
      return { actor: staff.customerId ? `customer:${staff.customerId}` : staff.name, via: staff.via, staff };
    },
    csrfField: csrf.field,
    csrfToken: (_request, reply) => csrf.tokenFor(reply),
    csrfValid: () => true,
    async audit(request, admin, action) {
      if (!admin.staff) throw new PageError(500, 'Not audited', 'No staff member to audit.', 'audit_failed');
      await recordAdminAction(request, admin.staff, action);
    },
  };
}
