import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReadinessCheck } from './admin.js';
import { AdminServer, liveness, readiness } from './admin.js';
import { ServiceMetrics } from './metrics.js';

interface ProbeBody {
  status: string;
  checks?: Record<string, string>;
}

describe('AdminServer', () => {
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  let databaseDown: Error | undefined;
  const checks: ReadinessCheck[] = [
    { name: 'database', check: () => (databaseDown ? Promise.reject(databaseDown) : Promise.resolve()) },
    { name: 'cache', check: () => Promise.resolve() },
  ];
  const admin = new AdminServer({ metrics, checks });
  let base: string;

  const get = async (path: string): Promise<{ status: number; type: string | null; text: string }> => {
    const response = await fetch(`${base}${path}`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  const probe = async (path: string): Promise<{ status: number; body: ProbeBody }> => {
    const { status, type, text } = await get(path);
    assert.equal(type, 'application/json');
    return { status, body: JSON.parse(text) as ProbeBody };
  };

  before(async () => {
    const port = await admin.listen('127.0.0.1', 0);
    assert.ok(port > 0);
    base = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    await admin.close();
  });

  it('answers /healthz with 200', async () => {
    assert.deepEqual(await probe('/healthz'), { status: 200, body: { status: 'ok' } });
    assert.equal((await probe('/healthz?verbose=1')).status, 200);
  });

  it('answers /readyz with 200 and every check when all pass', async () => {
    assert.deepEqual(await probe('/readyz'), {
      status: 200,
      body: { status: 'ok', checks: { database: 'ok', cache: 'ok' } },
    });
  });

  it('answers /readyz with 503 and the failing check’s message when one throws', async () => {
    databaseDown = new Error('connection refused');
    try {
      assert.deepEqual(await probe('/readyz'), {
        status: 503,
        body: { status: 'unavailable', checks: { database: 'connection refused', cache: 'ok' } },
      });
      assert.equal((await probe('/healthz')).status, 200, 'liveness does not depend on dependencies');
    } finally {
      databaseDown = undefined;
    }
    assert.equal((await probe('/readyz')).status, 200, 'ready again once the check passes');
  });

  it('serves the metrics exposition on /metrics', async () => {
    metrics.counter('admin_test_hits_total', 'Hits.', ['route']).inc({ route: '/x' });
    const { status, type, text } = await get('/metrics');
    assert.equal(status, 200);
    assert.match(type ?? '', /^application\/openmetrics-text/);
    assert.match(text, /^admin_test_hits_total\{route="\/x"\} 1$/m);
    assert.match(text, /^# TYPE rpc_server_call_duration_seconds histogram$/m);
  });

  it('answers an unknown path with 404', async () => {
    const { status, body } = await probe('/nope');
    assert.equal(status, 404);
    assert.equal(body.status, 'unavailable');
  });

  it('answers /readyz with 503 once draining, though every check passes', async () => {
    admin.drain();
    assert.deepEqual(await probe('/readyz'), {
      status: 503,
      body: { status: 'unavailable', checks: { shutdown: 'draining' } },
    });
    assert.equal((await probe('/healthz')).status, 200);
  });
});

describe('readiness', () => {
  it('reports a failing check’s message, and a thrown non-Error as text', async () => {
    const result = await readiness(
      [{ name: 'queue', check: () => Promise.reject(new Error('full')) }],
      false,
    );
    assert.deepEqual(result, { status: 503, body: { status: 'unavailable', checks: { queue: 'full' } } });
    const odd = await readiness(
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
      [{ name: 'odd', check: () => Promise.reject('timeout') }],
      false,
    );
    assert.deepEqual(odd.body.checks, { odd: 'timeout' });
  });

  it('is ready with no checks, and liveness is always ok', async () => {
    assert.deepEqual(await readiness([], false), { status: 200, body: { status: 'ok', checks: {} } });
    assert.deepEqual(liveness(), { status: 200, body: { status: 'ok' } });
  });
});
