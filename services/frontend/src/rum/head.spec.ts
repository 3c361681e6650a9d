import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracing } from '@glasshouse/kit';
import { startTracing } from '@glasshouse/kit';
import { RUM_SCRIPT, rumHeadTags } from './head.js';

describe('the head tags of real-user monitoring', () => {
  let tracing: Tracing;

  before(() => {
    tracing = startTracing({ serviceName: 'frontend-test', environment: {} });
  });

  after(async () => {
    await tracing.shutdown();
  });

  const inPage = <T>(baggage: string | undefined, render: () => T): T => {
    const parent = baggage
      ? propagation.setBaggage(
          context.active(),
          propagation.createBaggage({ synthetic_request: { value: baggage } }),
        )
      : context.active();
    return context.with(parent, () =>
      trace.getTracer('test').startActiveSpan('GET /', (span) => {
        try {
          return render();
        } finally {
          span.end();
        }
      }),
    );
  };

  it("names the page request's span in a traceparent meta tag and loads the bundle deferred, from our origin", () => {
    let ids = { traceId: '', spanId: '' };
    const tags = inPage(undefined, () => {
      ids = trace.getActiveSpan()?.spanContext() ?? ids;
      return rumHeadTags().toString();
    });
    assert.ok(
      tags.includes(`<meta name="traceparent" content="00-${ids.traceId}-${ids.spanId}-01" />`),
      tags,
    );
    assert.ok(tags.includes(`<script src="${RUM_SCRIPT}" defer></script>`), tags);
    assert.doesNotMatch(tags, /<script>|baggage/, 'no inline script, no synthetic marker for a shopper');
  });

  it("carries the load generator's synthetic marker when the page request had it", () => {
    assert.match(
      inPage('true', () => rumHeadTags().toString()),
      /<meta name="baggage" content="synthetic_request=true" \/>/,
    );
    assert.doesNotMatch(
      inPage('false', () => rumHeadTags().toString()),
      /baggage/,
    );
  });

  it('leaves the traceparent out where no span is recording (tracing off), and still loads the bundle', () => {
    const tags = rumHeadTags().toString();
    assert.doesNotMatch(tags, /traceparent/);
    assert.ok(tags.includes(RUM_SCRIPT));
  });
});
