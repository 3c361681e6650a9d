import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import pino from 'pino';
import { redactFields, scrubText } from './redaction.js';
import { SYNTHETIC_ATTRIBUTE, isSynthetic } from './telemetry/baggage.js';
import { inServiceThread } from './thread.js';
import { envReader } from './config.js';

const SYNTHETIC_LOG_FIELDS = Object.freeze({ [SYNTHETIC_ATTRIBUTE]: true });

export type { Logger } from 'pino';

export interface LoggerConfig {
  serviceName: string;
  level?: string;
  /** Where lines go; stdout by default (tests pass a stream to read them back). */
  destination?: DestinationStream;
}

/**
 * JSON lines on stdout: level, time, message, service.name, and trace_id / span_id /
 * trace_flags from the active span (added by the pino instrumentation). Secrets are removed
 * by key, emails masked, and card-like numbers scrubbed from the finished line as a last net.
 */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? envReader().string('LOG_LEVEL', 'info'),
    messageKey: 'message',
    base: { 'service.name': config.serviceName },
    // Synthetic traffic (load generator baggage) is marked on every log line it causes.
    mixin: () => (isSynthetic() ? SYNTHETIC_LOG_FIELDS : {}),
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // The root's bindings and every record (mixin fields included), before serialization.
      bindings: (bindings) => redactFields(bindings) as typeof bindings,
      log: (record) => redactFields(record) as typeof record,
    },
    hooks: {
      streamWrite: (line) => (/(?:\d[ -]?){12}|@/.test(line) ? scrubText(line) : line),
    },
  };
  // A service thread's stdout is its own stream, which the runner reads; pino's default would
  // write to file descriptor 1 and mix every thread's lines together.
  const destination = config.destination ?? (inServiceThread() ? process.stdout : undefined);
  const logger = destination ? pino(options, destination) : pino(options);
  // pino runs formatters.bindings on the root's bindings only; a child's go through here
  // (children inherit this method from the root).
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the child's parent as this
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactFields(bindings) as typeof bindings, childOptions);
  } as typeof child;
  return logger;
}
