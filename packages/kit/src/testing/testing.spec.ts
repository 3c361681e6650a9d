import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { metricSample, parseExemplars } from './exposition.js';
import { OtlpReceiver } from './otlp-receiver.js';
import { pathWithout } from './path.js';
import { waitFor } from '../wait.js';

describe('parseExemplars', () => {
  it('reads the series labels and the exemplar of each bucket line that has one', () => {
    const exposition = [
      '# TYPE rpc_server_call_duration_seconds histogram',
      'rpc_server_call_duration_seconds_bucket{le="0.005",rpc_method="a/B"} 0',
      'rpc_server_call_duration_seconds_bucket{le="0.01",rpc_method="a/B"} 1 # {trace_id="abc",span_id="def"} 0.007 1700000000.000',
      'rpc_server_call_duration_seconds_count{rpc_method="a/B"} 1',
      '# EOF',
    ].join('\n');
    assert.deepEqual(parseExemplars(exposition), [
      {
        metric: 'rpc_server_call_duration_seconds_bucket',
        labels: { le: '0.01', rpc_method: 'a/B' },
        exemplar: { trace_id: 'abc', span_id: 'def' },
      },
    ]);
  });
});

describe('metricSample', () => {
  const exposition = [
    '# TYPE orders counter',
    'orders_total{status="placed",currency="EUR"} 3',
    'orders_total{status="placed"} 2',
    'orders_total_created{status="placed"} 1700000000',
    'payment_amount_total{currency="USD"} 10.25',
    'inventory_low_stock_products 4',
    '# EOF',
  ].join('\n');

  it('reads the sample whose labels are exactly those asked for, in any order', () => {
    assert.equal(metricSample(exposition, 'orders_total', { currency: 'EUR', status: 'placed' }), 3);
    assert.equal(metricSample(exposition, 'orders_total', { status: 'placed' }), 2);
    assert.equal(metricSample(exposition, 'payment_amount_total', { currency: 'USD' }), 10.25);
    assert.equal(metricSample(exposition, 'inventory_low_stock_products'), 4);
  });

  it('is undefined for a missing series, a label set that only overlaps, or a longer name', () => {
    assert.equal(metricSample(exposition, 'orders_total', { status: 'refused' }), undefined);
    assert.equal(metricSample(exposition, 'orders_total', { currency: 'EUR' }), undefined);
    assert.equal(metricSample(exposition, 'orders_total'), undefined);
    assert.equal(metricSample(exposition, 'orders'), undefined);
    assert.equal(metricSample(exposition, 'payment_amount'), undefined);
  });
});

describe('waitFor', () => {
  it('returns the first value that is not undefined or false', async () => {
    let polls = 0;
    const value = await waitFor(() => (++polls >= 3 ? `after ${polls}` : false), { intervalMs: 1 });
    assert.equal(value, 'after 3');
  });

  it('times out naming what it waited for and the last error', async () => {
    await assert.rejects(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { timeoutMs: 20, intervalMs: 5, what: 'the order' },
      ),
      { name: 'DeadlineError', message: /^the order: not reached within 0\.0 s: not yet$/ },
    );
  });
});

describe('pathWithout', () => {
  it('drops the folders that hold one of the programs, executable ones only', (t) => {
    const dir = (name: string) => mkdtempSync(join(tmpdir(), `glasshouse-path-${name}-`));
    const [tools, plain, notExecutable] = [dir('tools'), dir('plain'), dir('plain')];
    t.after(() => [tools, plain, notExecutable].forEach((d) => rmSync(d, { recursive: true, force: true })));
    writeFileSync(join(tools, 'prometheus'), '#!/bin/sh\n');
    chmodSync(join(tools, 'prometheus'), 0o755);
    writeFileSync(join(notExecutable, 'prometheus'), 'not a program');
    chmodSync(join(notExecutable, 'prometheus'), 0o644);
    assert.equal(
      pathWithout(['prometheus'], [tools, plain, notExecutable].join(':')),
      [plain, notExecutable].join(':'),
    );
  });
});

describe('OtlpReceiver', () => {
  const exportOf = (traceId: string) =>
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
          scopeSpans: [{ spans: [{ traceId, spanId: 'ab'.repeat(8), name: 'PlaceOrder', kind: 2 }] }],
        },
      ],
    });

  for (const keep of [true, false]) {
    it(
      keep ? 'keeps every span it is sent' : 'with { keep: false }, only counts requests and bytes',
      async () => {
        const receiver = new OtlpReceiver({ keep });
        const endpoint = await receiver.start();
        try {
          const body = exportOf('12'.repeat(16));
          const response = await fetch(`${endpoint}/v1/traces`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          assert.equal(response.status, 200);
          assert.equal(receiver.requests, 1);
          assert.equal(receiver.bytes, Buffer.byteLength(body));
          assert.deepEqual(
            receiver.spans.map((s) => [s.serviceName, s.name]),
            keep ? [['checkout', 'PlaceOrder']] : [],
          );
        } finally {
          await receiver.stop();
        }
      },
    );
  }
});
