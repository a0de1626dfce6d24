import { ERRORS, type ErrorCode } from '../contract/errors.ts';

/**
 * A domain failure: what went wrong, by its catalog code (contract/errors.ts), with a message
 * for people. Rules and services throw these; bff/http/ alone turns them into HTTP answers
 * (the status comes from the catalog), so nothing below the routes knows about HTTP.
 */
export class Failure extends Error {
  readonly params: Record<string, string | number>;
  readonly retryAfterSeconds: number | null;

  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    options: { params?: Record<string, string | number>; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'Failure';
    this.params = options.params ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}

export function isFailure(err: unknown): err is Failure {
  return err instanceof Failure;
}
