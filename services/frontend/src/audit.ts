import type { FastifyRequest } from 'fastify';
import type { auth } from '@glasshouse/contracts';
import { PageError } from './errors.js';
import type { Staff } from './staff.js';

/** One admin action for the audit log: what, on what, and the state before and after. */
export interface AdminAction {
  /** A dotted name, e.g. "flag.set", "orders.read". */
  readonly action: string;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * Appends the action to auth's audit log (who and when are auth's to resolve from the staff
 * token; from where is the client address). A failure is a 502 page: the action stood, its
 * record did not, and the caller must hear so.
 */
export async function recordAdminAction(
  request: FastifyRequest,
  staff: Staff,
  action: AdminAction,
): Promise<auth.AuditRecord | undefined> {
  const json = (value: unknown) => (value === undefined ? '' : JSON.stringify(value));
  try {
    const { record } = await request.server.accounts.recordAudit({
      actorToken: staff.token,
      clientAddress: request.ip,
      action: action.action,
      target: action.target,
      beforeJson: json(action.before),
      afterJson: json(action.after),
    });
    return record;
  } catch (error) {
    request.log.error({ err: error, 'app.audit.action': action.action }, 'admin action not audited');
    throw new PageError(
      502,
      'Not audited',
      `The change was made, but its audit record could not be written.`,
      'audit_failed',
    );
  }
}
