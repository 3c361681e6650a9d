import csrfProtection from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { PageError } from './errors.js';
import { ACCOUNT_COOKIE } from './account-session.js';
import { COOKIE_OPTIONS } from './session.js';

/** Per-client-address limits on the posts worth guessing at or hammering; 0 turns one off. */
export interface RateLimits {
  /** Sign-in and sign-up posts a client address may send a minute. */
  readonly signInPerMinute: number;
  /** Checkout posts a client address may send a minute (card testing). */
  readonly checkoutPerMinute: number;
}

/** High enough for the load generator's shoppers, who all come from one address. */
export const DEFAULT_RATE_LIMITS: RateLimits = { signInPerMinute: 10, checkoutPerMinute: 600 };

/** The field (or `x-csrf-token` header) a state-changing form carries its token in. */
export const CSRF_FIELD = '_csrf';
const CSRF_COOKIE = 'shop_csrf';
/** The browser bundle's telemetry endpoints (rum/collector.ts). */
const RUM_BEACONS = '/rum/v1/';
/** Sign-in forms are never Online Boutique's; scripts posting them must fetch the form first. */
const ACCOUNT_FORMS = /^\/(?:login|signup)(?:[?#]|$)/;

/**
 * Security headers on every answer: a Content-Security-Policy with no inline script (the pages
 * need none; the telemetry bundle is a same-origin file posting to a same-origin endpoint), no
 * framing, no MIME sniffing, and only the origin as referrer to other sites.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  void app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only where the page came over TLS: a plain-HTTP localhost must not be pinned to HTTPS.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.protocol === 'https') void reply.header('strict-transport-security', 'max-age=15552000');
    done(null, payload);
  });
}

/** The CSRF secret lives in its own HttpOnly cookie; forms carry tokens derived from it. */
export function registerCsrf(app: FastifyInstance): void {
  void app.register(csrfProtection, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { ...COOKIE_OPTIONS },
    // Our error handler logs the refusal with its reason; the plugin's own line would repeat it.
    logLevel: 'debug',
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST' || !needsCsrfToken(request)) {
      done();
      return;
    }
    request.server.csrfProtection(request, reply, () => done());
  });
}

/**
 * Online Boutique's load generators post /cart, /setCurrency, /cart/checkout and /logout with only
 * the session cookie, so the token is required of browsers (Origin or Sec-Fetch-* headers), of
 * signed-in sessions (admin forms included) and of the sign-in forms; a Bearer call is a script's.
 */
export function needsCsrfToken(request: FastifyRequest): boolean {
  if (request.headers.authorization) return false;
  // The browser bundle's telemetry beacons use no session and change nothing a forger could want.
  if (request.url.startsWith(RUM_BEACONS)) return false;
  const { headers } = request;
  const browser = headers.origin !== undefined || headers['sec-fetch-site'] !== undefined;
  const signedIn = request.cookies[ACCOUNT_COOKIE] !== undefined;
  return browser || signedIn || ACCOUNT_FORMS.test(request.url);
}

/** A token for the forms of the page being rendered (sets the secret cookie on a first visit). */
export function csrfTokenFor(reply: FastifyReply): string {
  return reply.generateCsrf();
}

/** The CSRF plugin's refusals, as the page the shopper sees. */
export function csrfRefusal(code: string | undefined): PageError | undefined {
  if (code !== 'FST_CSRF_MISSING_SECRET' && code !== 'FST_CSRF_INVALID_TOKEN') return undefined;
  return new PageError(
    403,
    'This form has expired',
    'The form was sent without its security token, or from another site. Go back, reload the page and send it again.',
    'csrf',
  );
}

/** Registers the rate limiter in `scope`; the routes of that scope opt in with `limitedTo`. */
export async function registerRateLimits(scope: FastifyInstance): Promise<void> {
  await scope.register(rateLimit, {
    global: false,
    // Keyed by the client address (request.ip honours X-Forwarded-For only behind a trusted proxy).
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) =>
      new PageError(
        429,
        'Too many attempts',
        `Too many attempts from your address. Please wait ${Math.ceil(context.ttl / 1000)} seconds and try again.`,
        'rate_limited',
      ),
  });
}

/** Route options that limit a route to `perMinute` requests a minute per client address (0: none). */
export function limitedTo(perMinute: number): RouteShorthandOptions {
  if (perMinute <= 0) return {};
  return { config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } };
}
