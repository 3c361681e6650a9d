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

/** Turns a failed call to a required service into the page the shopper sees. */
export function fromServiceFailure(error: unknown, what: string): PageError {
  if (error instanceof PageError) return error;
  if (isServiceError(error)) {
    switch (error.code) {
      case status.NOT_FOUND:
        return new PageError(404, 'Not found', error.details, 'NOT_FOUND');
      case status.INVALID_ARGUMENT:
        return new PageError(400, 'That did not work', error.details, 'INVALID_ARGUMENT');
      case status.UNAVAILABLE:
      case status.DEADLINE_EXCEEDED:
        return new PageError(
          503,
          'Temporarily unavailable',
          `The ${what} is unavailable right now. Please try again in a moment.`,
          status[error.code],
        );
      default:
        break;
    }
  }
  return new PageError(
    502,
    'Something went wrong',
    `The ${what} could not answer. Please try again.`,
    'upstream_error',
  );
}
