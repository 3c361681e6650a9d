import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeAlerts } from './alert-sink.js';
import { renderReadyTable } from './table.js';

describe('renderReadyTable', () => {
  it('lines up the columns and ends with the shop URL and the notes', () => {
    const text = renderReadyTable({
      services: [
        {
          name: 'productcatalog',
          protocol: 'grpc',
          address: '127.0.0.1:3550',
          link: 'http://127.0.0.1:13550/metrics',
        },
        {
          name: 'frontend',
          protocol: 'http',
          address: '127.0.0.1:8080',
          link: 'http://127.0.0.1:8080/metrics',
        },
      ],
      infrastructure: [
        { name: 'prometheus', protocol: 'http', address: '127.0.0.1:9090', link: 'http://127.0.0.1:9090' },
      ],
      shopUrl: 'http://localhost:8080',
      startupSeconds: 2.345,
      notes: ['logs: var/log'],
    });
    const lines = text.split('\n');
    assert.ok(lines.includes('Glasshouse is ready in 2.3 s'));
    assert.ok(lines.includes('  service         protocol  address         metrics'));
    assert.ok(lines.includes('  frontend        http      127.0.0.1:8080  http://127.0.0.1:8080/metrics'));
    assert.ok(lines.includes('  prometheus      http      127.0.0.1:9090  http://127.0.0.1:9090'));
    assert.ok(lines.includes('  shop: http://localhost:8080'));
    assert.ok(lines.includes('  logs: var/log'));
  });
});

describe('describeAlerts', () => {
  it('turns an Alertmanager webhook into one line per alert', () => {
    const payload = {
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'HighErrorRate', severity: 'page', service: 'checkout' },
          annotations: { summary: 'checkout fails 7% of calls' },
        },
        { status: 'resolved', labels: { alertname: 'ServiceDown' } },
      ],
    };
    assert.deepEqual(describeAlerts(payload), [
      {
        firing: true,
        text: 'FIRING HighErrorRate — checkout fails 7% of calls severity=page service=checkout',
      },
      { firing: false, text: 'RESOLVED ServiceDown' },
    ]);
    assert.deepEqual(describeAlerts({ nothing: true }), []);
  });
});
