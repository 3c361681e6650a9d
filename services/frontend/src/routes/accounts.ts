import { status } from '@grpc/grpc-js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isServiceError } from '@glasshouse/kit';
import { ACCOUNT_COOKIE, clearAccountCookie, setAccountCookie, unavailable } from '../account-session.js';
import { PageError } from '../errors.js';
import type { Form } from '../forms.js';
import { readForm } from '../forms.js';
import type { RateLimits } from '../security.js';
import { limitedTo } from '../security.js';
import type { Shop } from '../shop.js';
import { SESSION_COOKIE, clearSession } from '../session.js';
import type { AccountFormState } from '../views/account-pages.js';
import { signInPage, signUpPage } from '../views/account-pages.js';

const LIMITS = { email: 254, password: 1024, name: 100 } as const;

/** A field of an account form: present, text, within its length; else a 400 naming it. */
function fieldOf(form: Form, name: keyof typeof LIMITS): string {
  const value = name === 'password' ? (form[name] ?? '') : (form[name] ?? '').trim();
  if (value === '')
    throw new PageError(400, 'That did not work', `The ${name} field is empty.`, 'invalid_form');
  if (value.length > LIMITS[name])
    throw new PageError(
      400,
      'That did not work',
      `The ${name} field is longer than ${LIMITS[name]} characters.`,
      'invalid_form',
    );
  return value;
}

/** Where to go after signing in: only a path of this shop, never another site. */
function nextOf(value: string | undefined): string | undefined {
  return value && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length <= 200 ? value : undefined;
}

/** Sign-up, sign-in and sign-out; the guest's cart goes with them into the account. */
export function registerAccounts(app: FastifyInstance, shop: Shop, limits: RateLimits): void {
  const { backends } = shop;
  const limited = limitedTo(limits.signInPerMinute);

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    which: 'sign-in' | 'sign-up',
    state: AccountFormState,
    statusCode: number,
  ) => {
    const chrome = await shop.chrome(request, reply);
    const page = which === 'sign-in' ? signInPage(chrome, state) : signUpPage(chrome, state);
    return shop.send(reply.header('cache-control', 'no-store'), which, page, statusCode);
  };

  /**
   * The guest cart joins the customer's, so signing in loses nothing; the customer's cart then
   * follows them to other devices. A failed move leaves the rest in the guest cart and is logged.
   */
  const moveGuestCart = async (request: FastifyRequest, customerId: string): Promise<void> => {
    const guest = request.cookies[SESSION_COOKIE];
    if (!guest) return;
    try {
      const { items } = await backends.cart.getCart({ userId: guest });
      if (items.length === 0) return;
      for (const item of items) await backends.cart.addItem({ userId: customerId, item });
      await backends.cart.emptyCart({ userId: guest });
    } catch (error) {
      request.log.warn({ err: error }, 'guest cart not moved');
    }
  };

  const signIn = async (
    request: FastifyRequest,
    reply: FastifyReply,
    email: string,
    password: string,
    next: string | undefined,
  ) => {
    const { token, expiresAt, customer } = await backends.auth.login({
      email,
      password,
      clientAddress: request.ip,
    });
    if (!customer) throw new PageError(502, 'Something went wrong', 'Accounts gave no customer.');
    setAccountCookie(reply, token, expiresAt);
    await moveGuestCart(request, customer.customerId);
    return reply.redirect(next ?? '/', 303);
  };

  /** Auth's refusals as the form shown again: wrong password 401, locked out 429, bad field 400. */
  const refusalOf = (error: unknown): { statusCode: number; message: string } => {
    if (error instanceof PageError && error.statusCode < 500)
      return { statusCode: error.statusCode, message: error.message };
    if (!isServiceError(error)) throw unavailable(error);
    switch (error.code) {
      case status.UNAUTHENTICATED:
        return { statusCode: 401, message: 'That email and password do not match an account.' };
      case status.RESOURCE_EXHAUSTED:
        return {
          statusCode: 429,
          message: `Too many failed sign-ins: ${error.details || 'please wait a while before trying again.'}`,
        };
      case status.INVALID_ARGUMENT:
        return { statusCode: 400, message: error.details };
      case status.ALREADY_EXISTS:
        return { statusCode: 409, message: 'An account with that email already exists. Sign in instead.' };
      default:
        throw unavailable(error);
    }
  };

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    const next = nextOf(request.query.next);
    return show(request, reply, 'sign-in', next ? { next } : {}, 200);
  });

  app.post('/login', limited, async (request, reply) => {
    const form = readForm(request.body);
    const next = nextOf(form['next']);
    const email = (form['email'] ?? '').trim().slice(0, LIMITS.email);
    try {
      return await signIn(request, reply, fieldOf(form, 'email'), fieldOf(form, 'password'), next);
    } catch (error) {
      const { statusCode, message } = refusalOf(error);
      request.span?.setAttribute('error.type', statusCode === 429 ? 'locked_out' : 'sign_in_refused');
      return show(
        request,
        reply,
        'sign-in',
        { email, error: message, ...(next ? { next } : {}) },
        statusCode,
      );
    }
  });

  app.get('/signup', async (request, reply) => show(request, reply, 'sign-up', {}, 200));

  app.post('/signup', limited, async (request, reply) => {
    const form = readForm(request.body);
    const shown = {
      email: (form['email'] ?? '').trim().slice(0, LIMITS.email),
      name: (form['name'] ?? '').trim().slice(0, LIMITS.name),
    };
    try {
      const [name, email, password] = [
        fieldOf(form, 'name'),
        fieldOf(form, 'email'),
        fieldOf(form, 'password'),
      ];
      await backends.auth.signUp({ email, password, name, clientAddress: request.ip });
      return await signIn(request, reply, email, password, undefined);
    } catch (error) {
      const { statusCode, message } = refusalOf(error);
      request.span?.setAttribute('error.type', 'sign_up_refused');
      return show(request, reply, 'sign-up', { ...shown, error: message }, statusCode);
    }
  });

  /**
   * Sign-out ends the account's session at auth and forgets the guest session, as Online
   * Boutique's GET /logout (kept for its load generator) does; POST is the shop's own form.
   */
  const signOut = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = request.cookies[ACCOUNT_COOKIE];
    if (token) {
      await backends.auth.logout({ token }).catch((error: unknown) => {
        request.log.warn({ err: error }, 'session not revoked at sign-out');
      });
      clearAccountCookie(reply);
    }
    clearSession(reply);
  };
  app.get('/logout', async (request, reply) => {
    await signOut(request, reply);
    return reply.redirect('/', 302);
  });
  app.post('/logout', async (request, reply) => {
    await signOut(request, reply);
    return reply.redirect('/', 303);
  });
}
