import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placedOrdersCounter, rpcClientTotals, rpcDelta } from './exposition.js';
import { statFields } from './procfs.js';

const EXPOSITION = `# TYPE orders counter
orders_total{status="placed"} 192
orders_total{status="out_of_stock"} 3
rpc_client_call_duration_seconds_sum{rpc_system="grpc",rpc_method="hipstershop.CartService/GetCart",rpc_grpc_status_code="OK"} 4.5
rpc_client_call_duration_seconds_count{rpc_system="grpc",rpc_method="hipstershop.CartService/GetCart",rpc_grpc_status_code="OK"} 90
rpc_client_call_duration_seconds_sum{rpc_system="grpc",rpc_method="hipstershop.CartService/GetCart",rpc_grpc_status_code="UNAVAILABLE",error_type="UNAVAILABLE"} 0.5
rpc_client_call_duration_seconds_count{rpc_system="grpc",rpc_method="hipstershop.CartService/GetCart",rpc_grpc_status_code="UNAVAILABLE",error_type="UNAVAILABLE"} 10
rpc_client_call_duration_seconds_bucket{rpc_system="grpc",rpc_method="hipstershop.CartService/GetCart",le="0.1"} 100
`;

describe('exposition readings', () => {
  it('reads orders_total{status="placed"}, 0 before the first order', () => {
    assert.equal(placedOrdersCounter(EXPOSITION), 192);
    assert.equal(placedOrdersCounter('# TYPE orders counter\n'), 0);
  });

  it('sums outgoing calls per method over statuses and diffs two readings', () => {
    const after = rpcClientTotals(EXPOSITION);
    assert.deepEqual(after.get('hipstershop.CartService/GetCart'), { count: 100, seconds: 5 });
    const before = new Map([['hipstershop.CartService/GetCart', { count: 50, seconds: 1 }]]);
    assert.deepEqual(rpcDelta(before, after), [
      { method: 'hipstershop.CartService/GetCart', calls: 50, meanMs: 80 },
    ]);
  });
});

describe('statFields', () => {
  it('splits /proc/<pid>/stat after a command name holding spaces and parentheses', () => {
    const stat = '4242 (node (main) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 30 0 0 20 0 11 0';
    const fields = statFields(stat);
    assert.equal(fields[0], 'S');
    assert.equal(fields[1], '17');
    assert.equal(fields[11], '250');
    assert.equal(fields[12], '30');
  });
});
