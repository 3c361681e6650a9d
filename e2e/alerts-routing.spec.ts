import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { waitFor } from '@glasshouse/kit/testing';
import { parse } from 'yaml';
import { describeAlerts } from '../tools/run/src/alert-sink.js';
import { ALERT_WEBHOOK_PORT } from '../tools/run/src/observability.js';
import type { AlertWebhook, RunningAlertmanager } from './support/alerting.js';
import { startAlertWebhook, startAlertmanager } from './support/alerting.js';

const run = promisify(execFile);
const DIR = join(__dirname, '..', 'deploy', 'alertmanager');
const STACK = join(DIR, 'stack.yml');
const EMBEDDED = join(DIR, 'alertmanager.yml');

/** The receivers `amtool config routes test` names for an alert with `labels`. */
async function receiversOf(labels: Record<string, string>): Promise<string[]> {
  const args = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  const { stdout } = await run('amtool', ['config', 'routes', 'test', `--config.file=${STACK}`, ...args]);
  return stdout.trim().split(',').sort();
}

describe('Alertmanager configuration', () => {
  it('passes amtool check-config, the stack with its templates', async () => {
    for (const file of [STACK, EMBEDDED]) {
      const { stdout } = await run('amtool', ['check-config', file]);
      assert.match(stdout, /SUCCESS/);
    }
    const { stdout } = await run('amtool', [
      'template',
      'render',
      `--template.glob=${join(DIR, 'templates', '*.tmpl')}`,
      '--template.text={{ template "glasshouse.title" . }}{{ template "glasshouse.text" . }}{{ template "glasshouse.email.html" . }}',
    ]);
    assert.match(stdout, /Runbook:/);
  });

  it('routes pages to the pager, tickets to chat and email, everything to the webhook, the Watchdog to the heartbeat', async () => {
    const alert = { alertname: 'ErrorRatioHigh', service: 'cart' };
    assert.deepEqual(await receiversOf({ ...alert, severity: 'page' }), ['pager', 'webhook']);
    assert.deepEqual(await receiversOf({ ...alert, severity: 'ticket' }), ['chat-and-email', 'webhook']);
    assert.deepEqual(await receiversOf({ ...alert, severity: 'info' }), ['webhook']);
    assert.deepEqual(await receiversOf({ alertname: 'Watchdog', service: 'prometheus', severity: 'info' }), [
      'heartbeat',
    ]);
  });

  it('groups by alert and service, and reads every secret from a file', () => {
    const config = parse(readFileSync(STACK, 'utf8')) as { route: { group_by: string[] } };
    assert.deepEqual(config.route.group_by, ['alertname', 'service']);
    const text = readFileSync(STACK, 'utf8');
    for (const key of [
      'smtp_auth_password_file',
      'slack_api_url_file',
      'routing_key_file',
      'credentials_file',
    ]) {
      assert.match(text, new RegExp(`${key}: /etc/alertmanager/secrets/`), key);
    }
    assert.doesNotMatch(text, /(smtp_auth_password|api_url|routing_key|service_key|credentials):/);
  });
});

describe('Alertmanager, running', () => {
  let webhook: AlertWebhook;
  let stack: RunningAlertmanager;
  let embedded: RunningAlertmanager;

  before(async () => {
    webhook = await startAlertWebhook();
    // The stack's paths point into the container; here they point into the repository.
    stack = await startAlertmanager(readFileSync(STACK, 'utf8').replaceAll('/etc/alertmanager/', `${DIR}/`));
    // The embedded config as npm start uses it, but delivering to this test's webhook.
    const embeddedConfig = readFileSync(EMBEDDED, 'utf8');
    assert.ok(
      embeddedConfig.includes(`http://127.0.0.1:${ALERT_WEBHOOK_PORT}/`),
      'the runner sink is the receiver',
    );
    embedded = await startAlertmanager(
      embeddedConfig
        .replace(`http://127.0.0.1:${ALERT_WEBHOOK_PORT}/`, webhook.url)
        .replace(/group_wait: \S+/, 'group_wait: 0s'),
    );
  });

  after(async () => {
    await Promise.all([stack?.stop(), embedded?.stop()]);
    await webhook?.close();
  });

  it('inhibits a down service’s own errors, and a ticket of an SLO that already pages', async () => {
    const ticket = { severity: 'ticket' };
    await stack.post([
      { labels: { alertname: 'TargetDown', service: 'cart', severity: 'page' } },
      { labels: { alertname: 'ErrorRatioHigh', service: 'cart', ...ticket } },
      { labels: { alertname: 'ErrorRatioHigh', service: 'orders', ...ticket } },
      {
        labels: {
          alertname: 'CheckoutAvailabilityBudgetBurn',
          slo: 'checkout-availability',
          service: 'checkout',
          severity: 'page',
        },
      },
      {
        labels: {
          alertname: 'CheckoutAvailabilityBudgetBurn',
          slo: 'checkout-availability',
          service: 'checkout',
          ...ticket,
        },
      },
      {
        labels: {
          alertname: 'ShopAvailabilityBudgetBurn',
          slo: 'shop-availability',
          service: 'frontend',
          ...ticket,
        },
      },
    ]);
    const states = await waitFor(
      async () => {
        const alerts = await stack.alerts();
        const key = (labels: Record<string, string>) =>
          `${labels.alertname ?? ''}/${labels.service ?? ''}/${labels.severity ?? ''}`;
        const byKey = new Map(alerts.map((a) => [key(a.labels), a.status.state]));
        return byKey.size === 6 && byKey;
      },
      { timeoutMs: 10_000, what: 'six alerts in Alertmanager' },
    );
    assert.equal(states.get('ErrorRatioHigh/cart/ticket'), 'suppressed');
    assert.equal(states.get('CheckoutAvailabilityBudgetBurn/checkout/ticket'), 'suppressed');
    for (const active of [
      'TargetDown/cart/page',
      'ErrorRatioHigh/orders/ticket',
      'CheckoutAvailabilityBudgetBurn/checkout/page',
      'ShopAvailabilityBudgetBurn/frontend/ticket',
    ]) {
      assert.equal(states.get(active), 'active', active);
    }
  });

  it('delivers every alert of the embedded run to the runner’s webhook, which prints it', async () => {
    await embedded.post([
      {
        labels: { alertname: 'TargetDown', service: 'cart', severity: 'page' },
        annotations: { summary: 'cart is down' },
      },
    ]);
    const delivered = await waitFor(
      () => webhook.delivered.find((a) => a.labels.alertname === 'TargetDown'),
      {
        timeoutMs: 15_000,
        what: 'the alert at the webhook',
      },
    );
    assert.equal(delivered.status, 'firing');
    assert.deepEqual(describeAlerts({ alerts: [delivered] }), [
      { firing: true, text: 'FIRING TargetDown — cart is down severity=page service=cart' },
    ]);
  });
});
