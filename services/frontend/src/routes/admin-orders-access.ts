import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminAction } from '../audit.js';
import { recordAdminAction } from '../audit.js';
import type { Staff } from '../staff.js';
import { requireStaff } from '../staff.js';

/** Who refunds, as the audit records them. */
export interface OrderAdmin {
  /** Who: "customer:<id>" of an admin account, or "bootstrap". */
  readonly actor: string;
  /** A Bearer header (a script) or a browser session, whose forms must carry the CSRF token. */
  readonly via: 'bearer' | 'session';
  /** The staff member auth verified. */
  readonly staff: Staff;
}

/** The one gate of the order admin: who may come in, the CSRF token of its forms, its audit log. */
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
      await recordAdminAction(request, admin.staff, action);
    },
  };
}
