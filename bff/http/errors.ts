import type { ErrorRequestHandler, RequestHandler } from 'express';

/** The one error type of the BFF: every error response is `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}.`));
};

/** Errors body-parser raises, mapped to what a person can act on. */
function fromBodyParser(err: { type?: string; status?: number; limit?: number }): HttpError | null {
  switch (err.type) {
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', `The request body is larger than ${Math.round((err.limit ?? 0) / 1024)} kB.`);
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', 'The request body uses an unsupported encoding or charset.');
    case 'request.aborted':
      return new HttpError(400, 'request_aborted', 'The request was aborted by the client.');
    default:
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        return new HttpError(err.status, 'bad_request', 'The request could not be read.');
      }
      return null;
  }
}

/** Errors that mean the database cannot be reached right now: the request may be retried. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message);
}

/** The last middleware: known errors keep their status, anything else is a logged 500. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = err instanceof HttpError ? err : fromBodyParser(err ?? {});
  if (res.headersSent) {
    req.log?.error({ err }, 'error after the response started');
    res.end();
    return;
  }
  if (known) {
    for (const [name, value] of Object.entries(known.headers)) res.setHeader(name, value);
    res.status(known.status).json({ error: { code: known.code, message: known.message } });
    return;
  }
  if (isDatabaseUnavailable(err)) {
    req.log?.warn({ err: (err as Error).message }, 'database unavailable');
    res.setHeader('Retry-After', '5');
    res.status(503).json({ error: { code: 'database_unavailable', message: 'The database is not reachable right now. Please try again in a few seconds.' } });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } });
};
