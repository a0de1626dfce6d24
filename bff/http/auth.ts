import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { Failure } from '../errors.ts';
import type { Session, SessionSigner } from '../sessions/sessions.ts';

function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  if (!match) throw new Failure('invalid_authorization', 'The Authorization header must be "Bearer <token>".');
  return match[1]!;
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares a presented secret with one whose digest was taken once (at startup), in constant time. */
function isSecret(token: string, secretDigest: Buffer): boolean {
  return timingSafeEqual(digest(token), secretDigest);
}

/** The host API (server to server) takes the host API key, and nothing else. */
export function requireHostKey(hostApiKey: string): RequestHandler {
  const hostKeyDigest = digest(hostApiKey);
  return (req, _res, next) => {
    const token = bearer(req);
    if (!token) throw new Failure('missing_credentials', 'The host API needs "Authorization: Bearer <host API key>".');
    if (isSecret(token, hostKeyDigest)) return next();
    if (looksLikeJwt(token)) {
      throw new Failure('wrong_credentials', 'Session tokens are for the widget API (/api). The host API needs the host API key.');
    }
    throw new Failure('invalid_api_key', 'The host API key is not valid.');
  };
}

/** The widget API takes a session token minted by POST /v1/sessions, and nothing else. */
export function requireSession(signer: SessionSigner, hostApiKey: string): RequestHandler {
  const hostKeyDigest = digest(hostApiKey);
  return async (req, res, next) => {
    const token = bearer(req);
    if (!token) throw new Failure('missing_session', 'The widget API needs "Authorization: Bearer <session token>".');
    try {
      res.locals.session = await signer.verify(token);
    } catch (err) {
      // Only a token that is not a session is compared with the host key, for a clearer error.
      if (isSecret(token, hostKeyDigest)) {
        throw new Failure('wrong_credentials', 'The host API key is not accepted on the widget API. Mint a session token with POST /v1/sessions.');
      }
      throw err;
    }
    next();
  };
}

export function sessionOf(res: Response): Session {
  const session = res.locals.session as Session | undefined;
  if (!session) throw new Error('requireSession must run before this handler');
  return session;
}
