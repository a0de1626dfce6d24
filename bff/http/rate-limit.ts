/**
 * Rate limits keyed by caller (RATE_LIMIT_PER_MINUTE, SPEC): the host key has one bucket, each
 * session's workspace has one per limited action, and requests that are unauthenticated or
 * fail authentication count in a bucket of their own, by client address. So garbage sent by
 * anyone can never spend the real host's budget, and one workspace cannot block another.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { Failure } from '../errors.ts';
import { sessionOf } from './auth.ts';

const WINDOW_MS = 60_000;

/** One limiter with its own counters; `key` names the caller's bucket. */
export function limiter(perMinute: number, key: (req: Request, res: Response) => string): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req, _res, next) => {
      next(new Failure('rate_limited', 'Too many requests. Please wait a minute and try again.', { retryAfterSeconds: 60 }));
    },
  });
}

/** The client's address (an IPv6 client by its /56), as `trust proxy` reports it. */
export function clientAddress(req: Request): string {
  return `address:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

/** A bucket per client address: unauthenticated endpoints (the demo page's). */
export function perClientAddress(perMinute: number): RequestHandler {
  return limiter(perMinute, (req) => clientAddress(req));
}

/** A bucket per session's workspace (after requireSession): OAuth starts, health checks. */
export function perWorkspace(perMinute: number): RequestHandler {
  return limiter(perMinute, (_req, res) => `workspace:${sessionOf(res).workspaceId}`);
}

/** The single bucket of the caller holding the host key (after requireHostKey). */
export function perHostKey(perMinute: number): RequestHandler {
  return limiter(perMinute, () => 'host-key');
}

/**
 * Runs `authenticate`; when it refuses the request, the refusal is counted in `failures` (a
 * bucket by client address) first, so a flood of bad credentials ends in 429s for the sender
 * only, while a valid caller's requests never touch that bucket.
 */
export function countingFailures(authenticate: RequestHandler, failures: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    let refusal: unknown;
    try {
      await authenticate(req, res, next);
      return;
    } catch (err) {
      refusal = err;
    }
    failures(req, res, (limited?: unknown) => next(limited ?? refusal));
  };
}
