import { status } from '@grpc/grpc-js';
import { auth } from '@glasshouse/contracts';
import { RpcError, maskEmail } from '@glasshouse/kit';
import type { AuthRepository, CustomerRecord, RoleName } from './repository.js';
import { sameToken, tokenHash } from './tokens.js';
import { tokenOf } from './validation.js';

/** Who presented a token: a signed-in customer, a machine token's owner, or the deployment itself. */
export interface Actor {
  readonly kind: 'session' | 'api' | 'bootstrap';
  readonly role: RoleName;
  /** Absent for the bootstrap token. */
  readonly customer?: CustomerRecord;
  readonly tokenId?: string;
}

const ROLE_RANK: Readonly<Record<RoleName, number>> = { customer: 0, operator: 1, admin: 2 };

export const ROLE_OF_NAME: Readonly<Record<RoleName, auth.Role>> = {
  customer: auth.Role.ROLE_CUSTOMER,
  operator: auth.Role.ROLE_OPERATOR,
  admin: auth.Role.ROLE_ADMIN,
};

export function roleName(role: auth.Role): RoleName {
  if (role === auth.Role.ROLE_ADMIN) return 'admin';
  if (role === auth.Role.ROLE_OPERATOR) return 'operator';
  return 'customer';
}

export const unauthenticated = (reason: string): RpcError => new RpcError(status.UNAUTHENTICATED, reason);
export const permissionDenied = (reason: string): RpcError => new RpcError(status.PERMISSION_DENIED, reason);

/** The audit log's "who": customer:<id>, token:<token id> or bootstrap. */
export function actorLabel(actor: Actor): string {
  if (actor.kind === 'bootstrap') return 'bootstrap';
  if (actor.kind === 'api' && actor.tokenId) return `token:${actor.tokenId}`;
  return `customer:${actor.customer?.id ?? 'unknown'}`;
}

export function actorEmailMasked(actor: Actor): string {
  return actor.customer ? maskEmail(actor.customer.email) : '';
}

export function customerMessage(customer: CustomerRecord): auth.Customer {
  return {
    customerId: customer.id,
    email: customer.email,
    name: customer.name,
    admin: customer.role === 'admin',
    role: ROLE_OF_NAME[customer.role],
    createdAt: customer.createdAt,
  };
}

/** Resolves bearer tokens to actors: the bootstrap token, a live session, or an unrevoked machine token. */
export class Actors {
  constructor(
    private readonly repository: AuthRepository,
    private readonly bootstrapToken: string | undefined,
    private readonly now: () => Date,
  ) {}

  /** The actor behind `token`, or undefined when it is unknown, expired or revoked. */
  async resolve(token: string): Promise<Actor | undefined> {
    if (this.bootstrapToken && sameToken(token, this.bootstrapToken))
      return { kind: 'bootstrap', role: 'admin' };
    const hash = tokenHash(token);
    const now = this.now();
    const session = await this.repository.sessionByHash(hash);
    if (session) {
      if (session.revokedAt || session.expiresAt.getTime() <= now.getTime()) return undefined;
      return { kind: 'session', role: session.customer.role, customer: session.customer };
    }
    const used = await this.repository.useApiToken(hash, now);
    if (!used) return undefined;
    return { kind: 'api', role: used.customer.role, customer: used.customer, tokenId: used.token.id };
  }

  /**
   * The actor of `field`'s token, who must hold at least `least`: UNAUTHENTICATED without a
   * valid token, PERMISSION_DENIED with one of a lesser role.
   */
  async require(field: string, token: string, least: RoleName): Promise<Actor> {
    if (!token) throw unauthenticated(`${field}: a token is required`);
    const actor = await this.resolve(tokenOf(field, token));
    if (!actor) throw unauthenticated(`${field}: the token is unknown, expired or revoked`);
    if (ROLE_RANK[actor.role] < ROLE_RANK[least]) throw permissionDenied(`this needs the ${least} role`);
    return actor;
  }
}
