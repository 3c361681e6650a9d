import { status } from '@grpc/grpc-js';
import { isServiceError } from '@glasshouse/kit';

/** A page that answers with a status on purpose: 400 bad input, 404 unknown, 503 dependency down. */
export class PageError extends Error {
  constructor(
    readonly statusCode: number,
    readonly title: string,
    message: string,
    readonly errorType: string = String(statusCode),
  ) {
    super(message);
    this.name = 'PageError';
  }
}

export const badRequest = (message: string): PageError => new PageError(400, 'That did not work', message);
export const notFoundPage = (message: string): PageError => new PageError(404, 'Not found', message);

/** A status and page title per gRPC refusal whose reason the caller may read as it is. */
export type Refusals = Partial<Record<status, readonly [statusCode: number, title: string]>>;

/** The refusals every page shows alike: a bad field is the caller's 400, an unknown thing a 404. */
const COMMON_REFUSALS: Refusals = {
  [status.INVALID_ARGUMENT]: [400, 'That did not work'],
  [status.NOT_FOUND]: [404, 'Not found'],
};

/**
 * A service's refusal as a page with its reason, when COMMON_REFUSALS or a route's own `also`
 * names its status; otherwise undefined, for the route to say what a failure means there.
 */
export function refusalPage(error: unknown, also: Refusals = {}): PageError | undefined {
  if (!isServiceError(error)) return undefined;
  const known = also[error.code] ?? COMMON_REFUSALS[error.code];
  return known && new PageError(known[0], known[1], error.details, status[error.code]);
}

/** Turns a failed call to a required service into the page the shopper sees. */
export function fromServiceFailure(error: unknown, what: string): PageError {
  if (error instanceof PageError) return error;
  const refused = refusalPage(error);
  if (refused) return refused;
  if (
    isServiceError(error) &&
    (error.code === status.UNAVAILABLE || error.code === status.DEADLINE_EXCEEDED)
  ) {
    return new PageError(
      503,
      'Temporarily unavailable',
      `The ${what} is unavailable right now. Please try again in a moment.`,
      status[error.code],
    );
  }
  return new PageError(
    502,
    'Something went wrong',
    `The ${what} could not answer. Please try again.`,
    'upstream_error',
  );
}
