import { status } from '@grpc/grpc-js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FlagControl, ScenarioValues } from '@glasshouse/kit';
import { FlagAccessError, FlagInputError, isServiceError } from '@glasshouse/kit';
import { unavailable } from '../account-session.js';
import { recordAdminAction } from '../audit.js';
import { PageError, badRequest, refusalPage } from '../errors.js';
import { html } from '../views/html.js';
import { readForm } from '../forms.js';
import { csrfTokenFor } from '../security.js';
import type { Staff, StaffRole } from '../staff.js';
import { requireStaff } from '../staff.js';
import type { StaffView } from '../views/admin-pages.js';
import { adminPage, adminRefusal, auditTable, scenariosTable, tokensSection } from '../views/admin-pages.js';

/**
 * The admin pages and their JSON API: the failure scenarios (operators and admins), machine
 * tokens (each operator's own), the audit log (admins). Browsers come with an account session
 * and their forms carry CSRF tokens; scripts send `Authorization: Bearer <token>` (a machine
 * token or the deployment's bootstrap token). Every change is recorded in auth's audit log, and a
 * flag change also in the flags audit file FlagControl keeps.
 */

export interface AdminOptions {
  /** The failure scenarios, when the flags are a file this process may edit. */
  readonly flags?: {
    readonly control: FlagControl;
    /** The flags file's own credential, which FlagControl checks once the staff gate let a change through. */
    readonly adminToken: string;
  };
}

const AUDIT_ACTION = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;

function statusOf(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof FlagAccessError) return { status: error.status, message: error.message };
  if (error instanceof FlagInputError) return { status: 400, message: error.message };
  return undefined;
}

/**
 * The values a form or JSON body gives: numbers where they parse, text otherwise. A parameter
 * sent twice (an array) or as anything but a number or text is refused naming it, not ignored.
 */
function valuesOf(body: Record<string, unknown>): ScenarioValues {
  const values: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (['on', '_csrf', 'values'].includes(name)) continue;
    if (typeof value === 'number') values[name] = value;
    else if (typeof value === 'string') {
      const number = Number(value);
      if (value !== '') values[name] = Number.isFinite(number) ? number : value;
    } else throw badRequest(`The parameter ${name.slice(0, 40)} must be one number or text.`);
  }
  return values;
}

/** The switch a body asks for: `on` absent, true/false or "true"/"false"; anything else is a 400. */
function switchedOn(value: unknown): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw badRequest('on must be true or false, sent once.');
}

/** Auth's refusals of an admin call as pages: a bad field 400, not theirs 403, unknown 404. */
function authRefusal(error: unknown): PageError {
  if (isServiceError(error) && error.code === status.UNAUTHENTICATED) {
    return new PageError(
      401,
      'Sign in needed',
      'Your session has ended. Please sign in again.',
      'UNAUTHENTICATED',
    );
  }
  return refusalPage(error, { [status.PERMISSION_DENIED]: [403, 'Not allowed'] }) ?? unavailable(error);
}

export function registerAdmin(app: FastifyInstance, { flags }: AdminOptions): void {
  const viewOf = (staff: Staff, reply: FastifyReply): StaffView => ({
    name: staff.name,
    role: staff.role,
    csrfToken: staff.via === 'session' ? csrfTokenFor(reply) : '',
  });

  /** The gate for a page: a refusal is an admin page with the way to sign in, not the shop's error page. */
  const staffFor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    role: StaffRole,
  ): Promise<Staff | undefined> => {
    try {
      return await requireStaff(request, role);
    } catch (error) {
      if (!(error instanceof PageError) || error.statusCode >= 500) throw error;
      request.log.warn({ 'error.type': error.errorType, reason: error.message }, 'request refused');
      void reply
        .code(error.statusCode)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(adminRefusal(error.statusCode, error.message, request.url));
      return undefined;
    }
  };
  const sendPage = (
    reply: FastifyReply,
    staff: Staff,
    title: string,
    body: Parameters<typeof adminPage>[2],
  ) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(adminPage(viewOf(staff, reply), title, body));

  app.get('/admin', async (request, reply) => {
    const staff = await staffFor(request, reply, 'operator');
    if (!staff) return reply;
    const body = flags
      ? scenariosTable(viewOf(staff, reply), flags.control.list())
      : html`<p>This frontend does not edit the failure flags (FLAGS_FILE is not set).</p>`;
    return sendPage(reply, staff, 'Failure scenarios', body);
  });

  // The single-token sign-in form is gone: staff sign in with their accounts.
  app.get('/admin/login', async (_request, reply) => reply.redirect('/login?next=/admin', 303));

  app.post<{ Params: { scenario: string }; Body: Record<string, unknown> }>(
    '/admin/flags/:scenario',
    async (request, reply) => {
      const staff = await requireStaff(request, 'operator');
      if (!flags) throw new PageError(404, 'Not found', 'This frontend does not edit the failure flags.');
      const { control, adminToken } = flags;
      const body = request.body ?? {};
      try {
        const on = switchedOn(body['on']);
        const given = body['values'] === undefined ? body : body['values'];
        if (typeof given !== 'object' || given === null || Array.isArray(given))
          throw badRequest('values must be an object of parameter values.');
        const record = control.switch(
          adminToken,
          `${staff.name}@${request.ip}`,
          request.params.scenario,
          on,
          valuesOf(given as Record<string, unknown>),
        );
        if (record)
          await recordAdminAction(request, staff, {
            action: 'flag.set',
            target: `scenario:${record.scenario}`,
            before: record.old,
            after: record.new,
          });
        if (staff.via === 'session') return reply.redirect('/admin', 303);
        return reply.send({ changed: record !== undefined, ...(record ? { record } : {}) });
      } catch (error) {
        const refused = statusOf(error);
        if (!refused) throw error;
        throw new PageError(refused.status, 'That did not work', refused.message, 'invalid_flag');
      }
    },
  );

  app.get('/api/admin/flags', async (request, reply) => {
    await requireStaff(request, 'operator');
    return reply.header('cache-control', 'no-store').send({ scenarios: flags?.control.list() ?? [] });
  });

  const auditRecords = async (request: FastifyRequest, staff: Staff, action: string | undefined) => {
    if (action !== undefined && action !== '' && !AUDIT_ACTION.test(action))
      throw new PageError(
        400,
        'That did not work',
        'action must be a dotted action name such as flag.set.',
        'invalid_form',
      );
    try {
      const { records } = await request.server.accounts.listAudit({
        actorToken: staff.token,
        limit: 100,
        action: action ?? '',
      });
      return records;
    } catch (error) {
      throw authRefusal(error);
    }
  };

  app.get<{ Querystring: { action?: string } }>('/admin/audit', async (request, reply) => {
    const staff = await staffFor(request, reply, 'admin');
    if (!staff) return reply;
    const records = await auditRecords(request, staff, request.query.action);
    return sendPage(reply, staff, 'Audit log', auditTable(records));
  });

  app.get<{ Querystring: { action?: string } }>('/api/admin/audit', async (request, reply) => {
    const staff = await requireStaff(request, 'admin');
    const records = await auditRecords(request, staff, request.query.action);
    return reply.header('cache-control', 'no-store').send({ records });
  });

  const tokensPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    staff: Staff,
    issued?: { token: string; label: string },
  ) => {
    const { apiTokens } = await request.server.accounts
      .listApiTokens({ actorToken: staff.token })
      .catch((error: unknown) => {
        throw authRefusal(error);
      });
    return sendPage(reply, staff, 'Machine tokens', tokensSection(viewOf(staff, reply), apiTokens, issued));
  };

  app.get('/admin/tokens', async (request, reply) => {
    const staff = await staffFor(request, reply, 'operator');
    if (!staff) return reply;
    return tokensPage(request, reply, staff);
  });

  // Auth records the issue and the revocation in the audit log itself.
  app.post('/admin/tokens', async (request, reply) => {
    const staff = await requireStaff(request, 'operator');
    const label = (readForm(request.body)['label'] ?? '').trim();
    if (!label) throw new PageError(400, 'That did not work', 'The label field is empty.', 'invalid_form');
    const { token, apiToken } = await request.server.accounts
      .issueApiToken({ actorToken: staff.token, label })
      .catch((error: unknown) => {
        throw authRefusal(error);
      });
    return tokensPage(request, reply, staff, { token, label: apiToken?.label ?? label });
  });

  app.post<{ Params: { id: string } }>('/admin/tokens/:id/revoke', async (request, reply) => {
    const staff = await requireStaff(request, 'operator');
    await request.server.accounts
      .revokeApiToken({ actorToken: staff.token, tokenId: request.params.id })
      .catch((error: unknown) => {
        throw authRefusal(error);
      });
    return staff.via === 'session' ? reply.redirect('/admin/tokens', 303) : reply.send({ revoked: true });
  });
}
