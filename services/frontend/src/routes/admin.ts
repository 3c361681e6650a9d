import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FlagControl, ScenarioValues } from '@glasshouse/kit';
import { FlagAccessError, FlagInputError, scenarioSpec } from '@glasshouse/kit';
import type { SafeHtml } from '../views/html.js';
import { html } from '../views/html.js';

/**
 * The failure scenarios' admin: a page listing each with its state and a switch, and a JSON API
 * for scripts. Every change needs the admin token — as a Bearer header, or a session cookie got
 * by posting the token to the login form — and the page's forms carry a CSRF token derived from
 * it. FlagControl audits each accepted change.
 */

const SESSION_COOKIE = 'gh_admin';

export interface AdminOptions {
  readonly control: FlagControl;
  readonly adminToken: string;
}

const derived = (token: string, purpose: string): string =>
  createHmac('sha256', token).update(`glasshouse-admin:${purpose}`).digest('hex');

const same = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} · Glasshouse admin</title>
      </head>
      <body>
        <h1>${title}</h1>
        ${body}
      </body>
    </html>`.toString();
}

function statusOf(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof FlagAccessError) return { status: error.status, message: error.message };
  if (error instanceof FlagInputError) return { status: 400, message: error.message };
  return undefined;
}

/** The values a form or JSON body gives: numbers where they parse, text otherwise. */
function valuesOf(body: Record<string, unknown>): ScenarioValues {
  const values: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (['on', 'csrf', 'values'].includes(name)) continue;
    if (typeof value === 'number') values[name] = value;
    else if (typeof value === 'string' && value !== '') {
      const number = Number(value);
      values[name] = Number.isFinite(number) ? number : value;
    }
  }
  return values;
}

export function registerAdmin(app: FastifyInstance, { control, adminToken }: AdminOptions): void {
  const session = derived(adminToken, 'session');
  const csrf = derived(adminToken, 'csrf');
  /** The credential a request presents: its Bearer token, or the token behind a valid session. */
  const credentialOf = (request: FastifyRequest): string | undefined => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) return bearer;
    return same(request.cookies[SESSION_COOKIE], session) ? adminToken : undefined;
  };
  const actorOf = (request: FastifyRequest): string => `admin@${request.ip}`;

  const listing = (): SafeHtml =>
    html`<table>
      <tr>
        <th>Scenario</th>
        <th>Service</th>
        <th>State</th>
        <th>Parameters</th>
        <th></th>
      </tr>
      ${control.list().map(
        ({ scenario, setting, pending }) =>
          html`<tr>
            <td>${scenario}</td>
            <td>${scenarioSpec(scenario).service}</td>
            <td data-testid="state-${scenario}">${pending ? 'pending' : setting.on ? 'ON' : 'off'}</td>
            <td>
              ${Object.entries(setting.values)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}
            </td>
            <td>
              ${
                pending
                  ? ''
                  : html`<form method="post" action="/admin/flags/${scenario}">
                      <input type="hidden" name="csrf" value="${csrf}" />
                      <input type="hidden" name="on" value="${setting.on ? 'false' : 'true'}" />
                      <button type="submit">${setting.on ? 'Switch off' : 'Switch on'}</button>
                    </form>`
              }
            </td>
          </tr>`,
      )}
    </table>`;

  const loginPage = (reply: FastifyReply, status: number, problem?: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Failure scenarios',
          html`${problem ? html`<p role="alert">${problem}</p>` : ''}
            <form method="post" action="/admin/login">
              <label>Admin token <input type="password" name="token" autocomplete="off" /></label>
              <button type="submit">Sign in</button>
            </form>`,
        ),
      );

  app.get('/admin', async (request, reply) => {
    if (credentialOf(request) !== adminToken) return loginPage(reply, 401);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page('Failure scenarios', listing()));
  });

  app.post<{ Body: Record<string, unknown> }>('/admin/login', async (request, reply) => {
    const token = typeof request.body?.['token'] === 'string' ? request.body['token'] : '';
    if (!same(token, adminToken)) return loginPage(reply, 403, 'That is not the admin token.');
    void reply.setCookie(SESSION_COOKIE, session, { path: '/admin', httpOnly: true, sameSite: 'strict' });
    return reply.redirect('/admin', 303);
  });

  app.post<{ Params: { scenario: string }; Body: Record<string, unknown> }>(
    '/admin/flags/:scenario',
    async (request, reply) => {
      const body = request.body ?? {};
      const credential = credentialOf(request);
      // A cookie session must also carry the form's CSRF token; a Bearer call is a script's.
      const viaForm = !request.headers.authorization;
      if (viaForm && credential && !same(typeof body['csrf'] === 'string' ? body['csrf'] : undefined, csrf)) {
        return reply.code(403).send({ error: 'the form’s CSRF token is missing or wrong' });
      }
      try {
        const on = body['on'] === true || body['on'] === 'true';
        const given = typeof body['values'] === 'object' && body['values'] !== null ? body['values'] : body;
        const record = control.switch(
          credential,
          actorOf(request),
          request.params.scenario,
          on,
          valuesOf(given as Record<string, unknown>),
        );
        if (viaForm) return reply.redirect('/admin', 303);
        return reply.send({ changed: record !== undefined, ...(record ? { record } : {}) });
      } catch (error) {
        const refused = statusOf(error);
        if (!refused) throw error;
        return reply.code(refused.status).send({ error: refused.message });
      }
    },
  );

  app.get('/api/admin/flags', async (request, reply) => {
    if (credentialOf(request) !== adminToken) {
      return reply
        .code(request.headers.authorization ? 403 : 401)
        .send({ error: 'the admin token is required' });
    }
    return reply.header('cache-control', 'no-store').send({ scenarios: control.list() });
  });
}
