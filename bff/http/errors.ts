import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ERRORS, RETRY_AFTER_STATUSES } from '../../contract/errors.ts';
import { Failure } from '../errors.ts';

/**
 * The one place failures become HTTP answers: `{ error: { code, message, params? } }` with
 * the status the catalog (contract/errors.ts) gives the code, and Retry-After on 429 and 503.
 */

export const notFound: RequestHandler = (req, _res, next) => {
  next(new Failure('not_found', `No route for ${req.method} ${req.path}.`));
};

/** Errors body-parser raises, read as what a person can act on. */
function fromBodyParser(err: { type?: string; status?: number; limit?: number }): Failure | null {
  switch (err.type) {
    case 'entity.too.large':
      return new Failure('payload_too_large', `The request body is larger than ${Math.round((err.limit ?? 0) / 1024)} kB.`);
    case 'entity.parse.failed':
      return new Failure('invalid_json');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new Failure('unsupported_encoding');
    case 'request.aborted':
      return new Failure('request_aborted', 'The request was aborted by the client.');
    default:
      return typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? new Failure('bad_request') : null;
  }
}

/** Errors that mean the database cannot be reached right now: the request may be retried. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message);
}

/** Reads any error as the failure to answer with; null for a bug (a logged 500). */
export function asFailure(err: unknown): Failure | null {
  if (err instanceof Failure) return err;
  if (isDatabaseUnavailable(err)) return new Failure('database_unavailable', 'The database is not reachable right now. Please try again in a few seconds.', { retryAfterSeconds: 5 });
  return fromBodyParser((err ?? {}) as { type?: string; status?: number; limit?: number });
}

/** Writes a failure as the JSON error answer. */
export function sendFailure(res: Response, failure: Failure): void {
  const { status } = ERRORS[failure.code];
  if (RETRY_AFTER_STATUSES.has(status)) res.setHeader('Retry-After', String(failure.retryAfterSeconds ?? (status === 429 ? 60 : 5)));
  const params = Object.keys(failure.params).length > 0 ? { params: failure.params } : {};
  res.status(status).json({ error: { code: failure.code, message: failure.message, ...params } });
}

/** The last middleware: known failures keep their catalog status, anything else is a logged 500. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) {
    req.log?.error({ err }, 'error after the response started');
    res.end();
    return;
  }
  const failure = asFailure(err);
  if (failure) {
    if (failure.code === 'database_unavailable') req.log?.warn({ err: (err as Error).message }, 'database unavailable');
    sendFailure(res, failure);
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  sendFailure(res, new Failure('internal_error', 'Something went wrong on our side. Please try again.'));
};
