import type { auth } from '@glasshouse/contracts';
import type { ScenarioName, ScenarioSetting } from '@glasshouse/kit';
import { scenarioSpec } from '@glasshouse/kit';
import { csrfField } from './csrf-field.js';
import { html, type SafeHtml } from './html.js';

/** Who is signed in to the admin pages, shown in their header. */
export interface StaffView {
  readonly name: string;
  readonly role: string;
  /** The CSRF token of the page's forms (browser sessions only). */
  readonly csrfToken: string;
}

/** An admin page: the shop's stylesheet, the staff member and the admin sections. */
export function adminPage(staff: StaffView | undefined, title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Glasshouse admin</title>
        <link rel="stylesheet" href="/static/css/shop.css" />
      </head>
      <body>
        <header class="site-header">
          <div class="container header-bar">
            <a class="brand" href="/"><span class="wordmark">Glasshouse admin</span></a>
            ${
              staff &&
              html`<nav class="header-actions" aria-label="Admin">
                <a class="nav-link" href="/admin">Failure scenarios</a>
                <a class="nav-link" href="/admin/tokens">Machine tokens</a>
                ${staff.role === 'admin' && html`<a class="nav-link" href="/admin/audit">Audit log</a>`}
                <span class="nav-link" data-testid="staff">${staff.name} (${staff.role})</span>
              </nav>`
            }
          </div>
        </header>
        <main id="main" class="container">
          <h1 class="page-title">${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.toString();
}

/** The admin pages' refusal: why, and for a missing sign-in the way to it. */
export function adminRefusal(status: number, message: string, next: string): string {
  return adminPage(
    undefined,
    status === 401 ? 'Sign in needed' : 'Not allowed',
    html`<p role="alert" data-testid="error-message">${message}</p>
      ${
        status === 401
          ? html`<p><a class="button" href="/login?next=${encodeURIComponent(next)}">Sign in</a></p>`
          : html`<p>Sign in with an operator or admin account, or ask an admin for the role.</p>`
      }`,
  );
}

/** A game day's scenarios are on but hidden from the services' own signals; the admin sees both. */
const stateText = (setting: ScenarioSetting, pending: string | undefined): string =>
  pending ? 'pending' : setting.hidden ? 'ON (hidden: game day)' : setting.on ? 'ON' : 'off';

/** Each failure scenario with its state and a switch. */
export function scenariosTable(
  staff: StaffView,
  scenarios: readonly { scenario: ScenarioName; setting: ScenarioSetting; pending?: string }[],
): SafeHtml {
  return html`<table class="admin-table">
    <tr>
      <th>Scenario</th>
      <th>Service</th>
      <th>State</th>
      <th>Parameters</th>
      <th></th>
    </tr>
    ${scenarios.map(
      ({ scenario, setting, pending }) =>
        html`<tr>
          <td>${scenario}</td>
          <td>${scenarioSpec(scenario).service}</td>
          <td data-testid="state-${scenario}">${stateText(setting, pending)}</td>
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
                    ${csrfField(staff.csrfToken)}
                    <input type="hidden" name="on" value="${setting.on ? 'false' : 'true'}" />
                    <button class="button button-small" type="submit">
                      ${setting.on ? 'Switch off' : 'Switch on'}
                    </button>
                  </form>`
            }
          </td>
        </tr>`,
    )}
  </table>`;
}

const when = (date: Date | undefined): string =>
  date ? date.toISOString().slice(0, 19).replace('T', ' ') + ' UTC' : '—';

/** The audit log, newest first. */
export function auditTable(records: readonly auth.AuditRecord[]): SafeHtml {
  if (records.length === 0) return html`<p class="empty">No admin action has been recorded yet.</p>`;
  return html`<table class="admin-table" data-testid="audit-log">
    <tr>
      <th>When</th>
      <th>Who</th>
      <th>From</th>
      <th>What</th>
      <th>Target</th>
      <th>Before</th>
      <th>After</th>
    </tr>
    ${records.map(
      (r) =>
        html`<tr data-testid="audit-record">
          <td>${when(r.at)}</td>
          <td>${r.actor}${r.actorEmailMasked && html` (${r.actorEmailMasked})`}</td>
          <td>${r.clientAddress || '—'}</td>
          <td data-testid="audit-action">${r.action}</td>
          <td>${r.target}</td>
          <td><code>${r.beforeJson}</code></td>
          <td><code>${r.afterJson}</code></td>
        </tr>`,
    )}
  </table>`;
}

/** The operator's machine tokens, a form to issue one, and the new token shown once. */
export function tokensSection(
  staff: StaffView,
  tokens: readonly auth.ApiToken[],
  issued?: { token: string; label: string },
): SafeHtml {
  return html`${
      issued &&
      html`<div class="notice" role="status">
        <p>
          The token <strong>${issued.label}</strong> is shown this once; keep it where your scripts read it
          (for example <code>GLASSHOUSE_ADMIN_TOKEN</code>):
        </p>
        <p><code data-testid="issued-token">${issued.token}</code></p>
      </div>`
    }
    <form method="post" action="/admin/tokens" data-testid="issue-token-form">
      ${csrfField(staff.csrfToken)}
      <label>Label <input name="label" maxlength="100" required /></label>
      <button class="button button-small" type="submit">Issue a token</button>
    </form>
    ${
      tokens.length === 0
        ? html`<p class="empty">You have no machine tokens.</p>`
        : html`<table class="admin-table" data-testid="tokens">
            <tr>
              <th>Label</th>
              <th>Issued</th>
              <th>Last used</th>
              <th>State</th>
              <th></th>
            </tr>
            ${tokens.map(
              (t) =>
                html`<tr data-testid="token-${t.tokenId}">
                  <td>${t.label}</td>
                  <td>${when(t.createdAt)}</td>
                  <td>${when(t.lastUsedAt)}</td>
                  <td>${t.revoked ? 'revoked' : 'active'}</td>
                  <td>
                    ${
                      !t.revoked &&
                      html`<form method="post" action="/admin/tokens/${t.tokenId}/revoke">
                        ${csrfField(staff.csrfToken)}
                        <button class="button button-small button-secondary" type="submit">Revoke</button>
                      </form>`
                    }
                  </td>
                </tr>`,
            )}
          </table>`
    }`;
}
