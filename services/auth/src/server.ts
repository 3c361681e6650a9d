import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { auth } from '@glasshouse/contracts';
import type { Implementation } from '@glasshouse/kit';
import { RpcError, spanRunner } from '@glasshouse/kit';
import type { Actors } from './actors.js';
import { customerMessage, unauthenticated } from './actors.js';
import type { LockoutPolicy } from './lockout.js';
import { lockoutOf } from './lockout.js';
import type { AuthMetrics } from './metrics.js';
import { hashPassword, passwordMatches } from './passwords.js';
import type { AuthRepository } from './repository.js';
import { newToken, tokenHash } from './tokens.js';
import {
  MAX_NAME_LENGTH,
  clientAddressOf,
  emailOf,
  givenPasswordOf,
  passwordOf,
  textOf,
  tokenOf,
} from './validation.js';

type AuthService = typeof auth.AuthServiceService;
export type AccountMethods = Pick<Implementation<AuthService>, 'signUp' | 'login' | 'verifyToken' | 'logout'>;

const tracer = trace.getTracer('auth');
// Status messages stay off the spans: a reason may quote what the caller typed.
const inSpan = spanRunner(tracer);

export interface AccountOptions {
  readonly repository: AuthRepository;
  readonly actors: Actors;
  readonly metrics: AuthMetrics;
  readonly lockout: LockoutPolicy;
  readonly minPasswordLength: number;
  readonly sessionTtlMs: number;
  readonly now: () => Date;
  /** A hash no password matches, checked when the email is unknown (see decoyHash). */
  readonly decoyHash: Promise<string>;
  /** Called after a session starts or ends, so the active-sessions gauge follows. */
  readonly sessionsChanged: () => void;
}

const TOKEN_KINDS = {
  session: auth.TokenKind.TOKEN_KIND_SESSION,
  api: auth.TokenKind.TOKEN_KIND_API,
  bootstrap: auth.TokenKind.TOKEN_KIND_BOOTSTRAP,
} as const;

const ROLES = {
  customer: auth.Role.ROLE_CUSTOMER,
  operator: auth.Role.ROLE_OPERATOR,
  admin: auth.Role.ROLE_ADMIN,
} as const;

/** Sign-up, sign-in with lockout, token checks and sign-out. */
export function accountMethods(options: AccountOptions): AccountMethods {
  const { repository, actors, metrics, lockout, now } = options;

  return {
    signUp: (request, call) =>
      inSpan('sign up', async (span) => {
        let fields: { email: string; password: string; name: string };
        try {
          fields = {
            email: emailOf('email', request.email),
            password: passwordOf(request.password, options.minPasswordLength),
            name: textOf('name', request.name, MAX_NAME_LENGTH),
          };
          clientAddressOf(request.clientAddress);
        } catch (error) {
          metrics.signUp('invalid');
          throw error;
        }
        const passwordHash = await inSpan('hash password', () => hashPassword(fields.password));
        const customer = await repository.createCustomer({
          id: randomUUID(),
          email: fields.email,
          name: fields.name,
          role: 'customer',
          passwordHash,
          createdAt: now(),
        });
        if (!customer) {
          metrics.signUp('taken');
          throw new RpcError(status.ALREADY_EXISTS, 'email: an account with this email exists');
        }
        metrics.signUp('created');
        span.setAttribute('app.customer.id', customer.id);
        call.logger.info({ 'app.customer.id': customer.id, email: customer.email }, 'customer signed up');
        return { customer: customerMessage(customer) };
      }),

    login: (request, call) =>
      inSpan('sign in', async (span) => {
        const email = emailOf('email', request.email);
        const password = givenPasswordOf(request.password);
        const address = clientAddressOf(request.clientAddress);
        const at = now();
        const lock = await inSpan('check lockout', () => lockoutOf(repository, lockout, email, address, at));
        if (lock) {
          await repository.recordAttempt({ email, address, outcome: 'locked', at });
          metrics.loginAttempt('locked');
          span.setAttribute('app.auth.outcome', 'locked');
          span.setAttribute('app.auth.lockout_scope', lock.scope);
          const retryAt = lock.until.toISOString();
          call.logger.warn(
            {
              email,
              'client.address': address,
              'app.auth.lockout_scope': lock.scope,
              'app.auth.retry_at': retryAt,
            },
            'sign-in refused while locked out',
          );
          const what = lock.scope === 'account' ? 'this account' : 'this address';
          throw new RpcError(
            status.RESOURCE_EXHAUSTED,
            `too many failed sign-ins for ${what}; try again after ${retryAt}`,
            'locked_out',
          );
        }
        const customer = await repository.customerByEmail(email);
        const matches = await inSpan('verify password', async () =>
          passwordMatches(password, customer?.passwordHash ?? (await options.decoyHash)),
        );
        if (!customer || !matches) {
          await repository.recordAttempt({ email, address, outcome: 'failure', at });
          metrics.loginAttempt('failure');
          span.setAttribute('app.auth.outcome', 'failure');
          call.logger.info({ email, 'client.address': address }, 'sign-in failed');
          // The failure that reaches a limit starts a lockout.
          const started = await lockoutOf(repository, lockout, email, address, at);
          if (started) {
            metrics.lockoutStarted(started.scope);
            call.logger.warn(
              {
                email,
                'client.address': address,
                'app.auth.lockout_scope': started.scope,
                'app.auth.retry_at': started.until.toISOString(),
              },
              'lockout started',
            );
          }
          throw unauthenticated('the email or the password is wrong');
        }
        const token = newToken();
        const expiresAt = new Date(at.getTime() + options.sessionTtlMs);
        await inSpan('start session', () =>
          repository.createSession({
            tokenHash: tokenHash(token),
            customerId: customer.id,
            createdAt: at,
            expiresAt,
          }),
        );
        await repository.recordAttempt({ email, address, outcome: 'success', at });
        metrics.loginAttempt('success');
        options.sessionsChanged();
        span.setAttribute('app.auth.outcome', 'success');
        span.setAttribute('app.customer.id', customer.id);
        call.logger.info(
          { 'app.customer.id': customer.id, email, 'client.address': address },
          'sign-in succeeded',
        );
        return { token, expiresAt, customer: customerMessage(customer) };
      }),

    verifyToken: (request) =>
      inSpan('verify token', async (span) => {
        const actor = await actors.resolve(tokenOf('token', request.token));
        if (!actor) throw unauthenticated('token: unknown, expired or revoked');
        span.setAttribute('app.auth.token_kind', actor.kind);
        return {
          customer: actor.customer ? customerMessage(actor.customer) : undefined,
          kind: TOKEN_KINDS[actor.kind],
          role: ROLES[actor.role],
        };
      }),

    logout: (request, call) =>
      inSpan('sign out', async () => {
        const token = tokenOf('token', request.token);
        const session = await repository.sessionByHash(tokenHash(token));
        // Idempotent: an unknown or already revoked token is signed out already.
        if (session && (await repository.revokeSession(tokenHash(token), now()))) {
          options.sessionsChanged();
          call.logger.info({ 'app.customer.id': session.customer.id }, 'signed out');
        }
        return {};
      }),
  };
}
