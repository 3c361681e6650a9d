import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { EnvReader, Logger } from '@glasshouse/kit';

/** Forwards at most this many batches at once; more are dropped (and counted), never queued. */
const MAX_IN_FLIGHT = 16;
const TIMEOUT_MS = 5_000;

/** Where browser spans go: the traces URL the kit exports the frontend's own spans to. */
export function tracesUrlOf(env: EnvReader): string | undefined {
  const traces = env.optionalString('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (traces) return traces;
  const base = env.optionalString('OTEL_EXPORTER_OTLP_ENDPOINT');
  return base && `${base.replace(/\/+$/, '')}/v1/traces`;
}

export type ForwardOutcome = 'forwarded' | 'dropped' | 'failed';

/**
 * Sends browser span batches to the OTLP/HTTP receiver as OTLP/JSON, in the background: the
 * browser is answered before the receiver is, and a slow receiver costs a bounded number of
 * requests in flight, not memory.
 */
export class SpanForwarder {
  private inFlight = 0;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly counted: (outcome: ForwardOutcome, spans: number) => void,
  ) {}

  forward(body: string, spans: number): void {
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.counted('dropped', spans);
      return;
    }
    this.inFlight += 1;
    // Not traced: a span per forwarded batch would be exported, and forwarded, and so on.
    void context
      .with(suppressTracing(context.active()), () =>
        fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        }),
      )
      .then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`the trace receiver answered ${response.status}`);
        this.counted('forwarded', spans);
      })
      .catch((error: unknown) => {
        this.counted('failed', spans);
        this.logger.warn({ err: error }, 'browser spans not forwarded');
      })
      .finally(() => {
        this.inFlight -= 1;
      });
  }
}
