import { Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';

/** gRPC status code names, as they appear in metrics labels and span attributes. */
export const STATUS_NAMES: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(status)
      .filter(([, value]) => typeof value === 'number')
      .map(([name, value]) => [value as number, name]),
  ),
);

/** Longest status message sent to a caller; longer ones are cut. */
export const MAX_DETAILS_LENGTH = 500;

/**
 * An error with a gRPC status code, chosen on purpose by the code that throws it. The message
 * is sent to the caller, so it says what was wrong without leaking secrets.
 */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
    /** error.type for spans and metrics; defaults to the status name. */
    readonly errorType: string = STATUS_NAMES[code] ?? 'UNKNOWN',
  ) {
    super(message);
    this.name = 'RpcError';
  }

  /** Normalises anything thrown into an RpcError; unknown errors become INTERNAL. */
  static from(error: unknown): RpcError {
    if (error instanceof RpcError) return error;
    if (isServiceError(error)) return new RpcError(error.code, error.details || error.message);
    return new RpcError(status.INTERNAL, 'internal error', error instanceof Error ? error.name : 'Error');
  }

  toServiceError(): Partial<ServiceError> {
    // Details travel in a header: a reason quoting a huge input must not outgrow the header limit.
    const details =
      this.message.length > MAX_DETAILS_LENGTH
        ? `${this.message.slice(0, MAX_DETAILS_LENGTH)}…`
        : this.message;
    return { code: this.code, details, message: details, metadata: new Metadata() };
  }
}

export function isServiceError(error: unknown): error is ServiceError {
  return (
    error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'details' in error
  );
}

export const invalidArgument = (reason: string): RpcError => new RpcError(status.INVALID_ARGUMENT, reason);
export const notFound = (what: string): RpcError => new RpcError(status.NOT_FOUND, what);
export const failedPrecondition = (reason: string): RpcError =>
  new RpcError(status.FAILED_PRECONDITION, reason);
export const unavailable = (reason: string): RpcError => new RpcError(status.UNAVAILABLE, reason);
