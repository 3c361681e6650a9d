import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { auth } from '@glasshouse/contracts';
import type { Implementation } from '@glasshouse/kit';
import { notFound, spanRunner } from '@glasshouse/kit';
import type { Actor, Actors } from './actors.js';
import { actorEmailMasked, actorLabel, customerMessage, permissionDenied, roleName } from './actors.js';
import type { ApiTokenRecord, AuditEntry, AuthRepository } from './repository.js';
import { newToken, tokenHash } from './tokens.js';
import {
  MAX_LABEL_LENGTH,
  MAX_TARGET_LENGTH,
  actionOf,
  auditJsonOf,
  clientAddressOf,
  emailOf,
  limitOf,
  roleOf,
  textOf,
} from './validation.js';

type AuthService = typeof auth.AuthServiceService;
export type AdminMethods = Omit<Implementation<AuthService>, 'signUp' | 'login' | 'verifyToken' | 'logout'>;

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1000;

const tracer = trace.getTracer('auth');
const inSpan = spanRunner(tracer);

export interface AdminOptions {
  readonly repository: AuthRepository;
  readonly actors: Actors;
  readonly now: () => Date;
}

function apiTokenMessage(token: ApiTokenRecord): auth.ApiToken {
  return {
    tokenId: token.id,
    label: token.label,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    revoked: token.revokedAt !== undefined,
  };
}

function auditMessage(entry: AuditEntry): auth.AuditRecord {
  return {
    auditId: entry.id,
    at: entry.at,
    actor: entry.actor,
    actorEmailMasked: entry.actorEmailMasked,
    clientAddress: entry.clientAddress,
    action: entry.action,
    target: entry.target,
    beforeJson: entry.beforeJson,
    afterJson: entry.afterJson,
  };
}

/** Roles, machine tokens and the audit log: the methods that need an operator or an admin. */
export function adminMethods(options: AdminOptions): AdminMethods {
  const { repository, actors, now } = options;

  const auditOf = (
    actor: Actor,
    entry: Pick<AuditEntry, 'action' | 'target' | 'beforeJson' | 'afterJson'> & { clientAddress?: string },
  ): AuditEntry => ({
    id: randomUUID(),
    at: now(),
    actor: actorLabel(actor),
    actorEmailMasked: actorEmailMasked(actor),
    ...entry,
    clientAddress: entry.clientAddress ?? '',
  });

  /** A machine token is owned by a person: the bootstrap token has no account to own one. */
  const owner = (actor: Actor) => {
    if (!actor.customer)
      throw permissionDenied('machine tokens belong to an account; sign in as an operator');
    return actor.customer;
  };

  return {
    issueApiToken: (request, call) =>
      inSpan('issue api token', async (span) => {
        const actor = await actors.require('actor_token', request.actorToken, 'operator');
        // A machine token does not mint more of itself: issuing needs the person's session.
        if (actor.kind !== 'session')
          throw permissionDenied('actor_token: issuing a machine token needs a session');
        const customer = owner(actor);
        const label = textOf('label', request.label, MAX_LABEL_LENGTH);
        const token = newToken();
        const stored = await repository.createApiToken({
          id: randomUUID(),
          customerId: customer.id,
          label,
          createdAt: now(),
          tokenHash: tokenHash(token),
        });
        await repository.appendAudit(
          auditOf(actor, {
            action: 'api_token.issue',
            target: `token:${stored.id}`,
            beforeJson: '',
            afterJson: JSON.stringify({ label, owner: customer.id }),
          }),
        );
        span.setAttribute('app.auth.token_id', stored.id);
        call.logger.info(
          { 'app.auth.token_id': stored.id, 'app.customer.id': customer.id },
          'api token issued',
        );
        return { token, apiToken: apiTokenMessage(stored) };
      }),

    listApiTokens: async (request) => {
      const actor = await actors.require('actor_token', request.actorToken, 'operator');
      const tokens = await repository.listApiTokens(owner(actor).id);
      return { apiTokens: tokens.map(apiTokenMessage) };
    },

    revokeApiToken: (request, call) =>
      inSpan('revoke api token', async () => {
        const actor = await actors.require('actor_token', request.actorToken, 'operator');
        const tokenId = request.tokenId.trim();
        if (!/^[0-9a-f-]{36}$/i.test(tokenId)) throw notFoundToken(tokenId);
        const token = await repository.apiToken(tokenId);
        // Someone else's token is as unknown as a missing one, unless an admin asks.
        if (!token || (actor.role !== 'admin' && token.customerId !== actor.customer?.id))
          throw notFoundToken(tokenId);
        const revoked = await repository.revokeApiToken(
          tokenId,
          now(),
          auditOf(actor, {
            action: 'api_token.revoke',
            target: `token:${tokenId}`,
            beforeJson: JSON.stringify({ revoked: false }),
            afterJson: JSON.stringify({ revoked: true }),
          }),
        );
        if (revoked)
          call.logger.info(
            { 'app.auth.token_id': tokenId, 'audit.actor': actorLabel(actor) },
            'api token revoked',
          );
        return {};
      }),

    setRole: (request, call) =>
      inSpan('set role', async (span) => {
        const actor = await actors.require('actor_token', request.actorToken, 'admin');
        const email = emailOf('email', request.email);
        const role = roleName(roleOf(request.role));
        const clientAddress = clientAddressOf(request.clientAddress);
        const changed = await repository.setRole(email, role, (before, after) =>
          auditOf(actor, {
            action: 'role.set',
            target: `customer:${before.id}`,
            beforeJson: JSON.stringify({ role: before.role }),
            afterJson: JSON.stringify({ role: after.role }),
            ...(clientAddress ? { clientAddress } : {}),
          }),
        );
        if (!changed) throw notFound('email: no account with this email');
        span.setAttribute('app.auth.role', role);
        call.logger.info(
          { 'app.customer.id': changed.after.id, 'app.auth.role': role, 'audit.actor': actorLabel(actor) },
          'role set',
        );
        return { customer: customerMessage(changed.after) };
      }),

    recordAudit: (request, call) =>
      inSpan('record audit', async (span) => {
        // Audit records are of admin actions: a customer has none to record.
        const actor = await actors.require('actor_token', request.actorToken, 'operator');
        const clientAddress = clientAddressOf(request.clientAddress);
        const entry = auditOf(actor, {
          action: actionOf(request.action),
          target: textOf('target', request.target, MAX_TARGET_LENGTH, false),
          beforeJson: auditJsonOf('before_json', request.beforeJson),
          afterJson: auditJsonOf('after_json', request.afterJson),
          ...(clientAddress ? { clientAddress } : {}),
        });
        const record = await repository.appendAudit(entry);
        span.setAttribute('app.audit.action', record.action);
        call.logger.info(
          {
            'app.audit.action': record.action,
            'audit.actor': record.actor,
            'app.audit.target': record.target,
          },
          'audit recorded',
        );
        return { record: auditMessage(record) };
      }),

    listAudit: async (request) => {
      await actors.require('actor_token', request.actorToken, 'admin');
      const limit = limitOf(request.limit, DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT);
      const action = request.action.trim() ? actionOf(request.action) : undefined;
      return { records: (await repository.listAudit(limit, action)).map(auditMessage) };
    },
  };
}

const notFoundToken = (tokenId: string) =>
  notFound(`token_id: no token ${JSON.stringify(tokenId.slice(0, 64))}`);
