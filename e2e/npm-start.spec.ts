import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SERVICES } from '@glasshouse/kit';
import type { ReceivedSpan } from '@glasshouse/kit/testing';
import { OtlpReceiver, freeShopAddresses, pathWithout, waitFor } from '@glasshouse/kit/testing';
import type { StartedRunner } from '@glasshouse/testing';
import { WebShopper, requestIdOf, startRunner, testIdTexts } from '@glasshouse/testing';

const SERVER = 2;
const ROOT = join(__dirname, '..');
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const GOOD_CARD = { number: '4432801561520454', cvv: '672', month: 1, year: NEXT_YEAR };
const STARTED = SERVICES.filter((spec) => spec.implemented && spec.name !== 'loadgen');

/** Names of the OS threads of a process (/proc/<pid>/task/<tid>/comm). */
function threadNames(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(),
  );
}

/** Lines of the runner's terminal output that a service printed ("<name> | LEVEL message"). */
function lineIndex(output: string, service: string, message: string): number {
  return output
    .split('\n')
    .findIndex((line) => line.startsWith(`${service} `) && line.includes(` ${message}`));
}

/**
 * `npm start` as a user runs it: the runner with every service a worker thread of its one
 * process (the default RUN_MODE), each thread with its own telemetry identity.
 */
describe('npm start: the shop as threads of one process', { skip: process.platform !== 'linux' }, () => {
  const receiver = new OtlpReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'glasshouse-npm-start-'));
  let runner: StartedRunner;
  let url = '';

  before(async () => {
    const endpoint = await receiver.start();
    const shop = await freeShopAddresses(STARTED);
    url = `http://${shop.addresses.frontend ?? ''}`;
    const env: Record<string, string | undefined> = {
      ...process.env,
      PATH: pathWithout(),
      RUN_MODE: '',
      LOADGEN: 'off',
      NO_COLOR: '1',
      LOG_LEVEL: 'info',
      PGLITE_DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      ...shop.env,
    };
    runner = await startRunner(env, 90_000);
  });

  after(async () => {
    if (runner?.process.exitCode === null) runner.process.kill('SIGKILL');
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every service as a thread named after it, in the runner process', () => {
    const names = threadNames(runner.process.pid ?? 0);
    const missing = STARTED.filter((spec) => !names.includes(spec.name.slice(0, 15)));
    assert.deepEqual(
      missing.map((spec) => spec.name),
      [],
      names.join(' '),
    );
    assert.match(runner.output(), /services: threads of this one process/);
    assert.ok(!names.includes('loadgen'), 'LOADGEN=off leaves the load generator out');
  });

  it('places an order whose trace holds a server span of every service it touched, each under its own name', async () => {
    const shopper = new WebShopper(url);
    await shopper.addToCart('66VCHSJNUP', 1);
    const placed = await shopper.checkout(GOOD_CARD);
    assert.equal(placed.status, 200, placed.html);
    const orderId = testIdTexts(placed.html, 'order-id')[0] ?? '';
    assert.match(orderId, /^[0-9a-f-]{36}$/);
    // Each service's log goes to var/log/<service>.log as well as to the terminal.
    await waitFor(() => readFileSync(join(ROOT, 'var', 'log', 'checkout.log'), 'utf8').includes(orderId), {
      timeoutMs: 5000,
      what: `order ${orderId} in var/log/checkout.log`,
    });
    assert.ok(
      runner
        .output()
        .split('\n')
        .some((line) => line.startsWith('checkout ') && line.includes(orderId)),
    );
    const traceId = requestIdOf(placed.html) ?? '';
    const touched = ['frontend', 'checkout', 'cart', 'productcatalog', 'currency', 'shipping'];
    touched.push('payment', 'orders', 'inventory', 'email');
    const spans = await waitFor(
      () => {
        const found: ReceivedSpan[] = receiver.trace(traceId);
        const servers = new Set(found.filter((s) => s.kind === SERVER).map((s) => s.serviceName));
        return touched.every((name) => servers.has(name)) && found;
      },
      { timeoutMs: 20_000, what: `server spans of ${touched.join(', ')} in trace ${traceId}` },
    );
    // Each thread has its own tracer: a service's server span answers its own RPC only.
    const charge = spans.find((s) => s.kind === SERVER && s.serviceName === 'payment');
    assert.equal(charge?.name, 'grpc.hipstershop.PaymentService/Charge');
  });

  it('stops on SIGTERM: each service after those that call it, then exits 0', async () => {
    runner.process.kill('SIGTERM');
    assert.equal(await runner.exited, 0, runner.output().slice(-3000));
    const output = runner.output();
    const frontend = lineIndex(output, 'frontend', 'stopped');
    const checkout = lineIndex(output, 'checkout', 'stopped');
    const payment = lineIndex(output, 'payment', 'stopped');
    assert.ok(frontend >= 0 && checkout >= 0 && payment >= 0, output.slice(-3000));
    assert.ok(frontend < checkout && checkout < payment, 'frontend, then checkout, then payment');
  });
});
