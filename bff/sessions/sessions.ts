import { hkdfSync, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Clock } from '../clock.ts';
import { Failure } from '../errors.ts';

import { ROLES, type Role } from '../../contract/health.ts';

export type { Role };

/** What the widget's bearer token proves: who, in which workspace, with which role, until when. */
export interface Session {
  id: string;
  workspaceId: string;
  userId: string;
  role: Role;
  expiresAt: Date;
}

const ISSUER = 'connections-panel';
const AUDIENCE = 'connections-panel:widget';

/**
 * Signs and verifies session tokens (HS256 JWTs). The signing key is derived from the host
 * API key, so every instance that shares the host key accepts the same sessions, and
 * rotating the host key ends every session. Expiry is judged by real time (the wall
 * clock), never by the sandbox clock.
 */
export class SessionSigner {
  readonly #key: Uint8Array;

  constructor(
    hostApiKey: string,
    private readonly wallClock: Clock,
  ) {
    this.#key = new Uint8Array(hkdfSync('sha256', hostApiKey, 'connections-panel', 'session-signing-key v1', 32));
  }

  async issue(input: { workspaceId: string; userId: string; role: Role; ttlSeconds: number }): Promise<{ token: string; session: Session }> {
    const nowSeconds = Math.floor(this.wallClock.now().getTime() / 1000);
    const exp = nowSeconds + input.ttlSeconds;
    const id = randomUUID();
    const token = await new SignJWT({ wid: input.workspaceId, role: input.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(input.userId)
      .setJti(id)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(exp)
      .sign(this.#key);
    return { token, session: { id, workspaceId: input.workspaceId, userId: input.userId, role: input.role, expiresAt: new Date(exp * 1000) } };
  }

  /**
   * Tokens already verified, by their exact text, until they expire: the widget sends the same
   * token with every request, and checking its signature each time was a large part of a
   * list request's cost. The expiry is still judged on every request; bounded in size.
   */
  readonly #verified = new Map<string, Session>();
  static readonly VERIFIED_KEPT = 10_000;

  /** Throws a Failure (invalid_session, session_expired) saying what is wrong with the token. */
  async verify(token: string): Promise<Session> {
    const known = this.#verified.get(token);
    if (known) {
      if (known.expiresAt.getTime() > this.wallClock.now().getTime()) return known;
      this.#verified.delete(token);
    }
    const session = await this.verifySignature(token);
    if (this.#verified.size >= SessionSigner.VERIFIED_KEPT) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(token, session);
    return session;
  }

  private async verifySignature(token: string): Promise<Session> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: this.wallClock.now(),
        requiredClaims: ['exp', 'sub', 'jti'],
      });
      const { wid, role, sub, jti, exp } = payload;
      if (typeof wid !== 'string' || !(ROLES as readonly string[]).includes(role as string) || typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') {
        throw new Failure('invalid_session', 'The session token is not valid.');
      }
      return { id: jti, workspaceId: wid, userId: sub, role: role as Role, expiresAt: new Date(exp * 1000) };
    } catch (err) {
      if (err instanceof Failure) throw err;
      if (err instanceof joseErrors.JWTExpired) {
        throw new Failure('session_expired', 'The session has expired. Ask the host app for a new session token.');
      }
      throw new Failure('invalid_session', 'The session token is not valid.');
    }
  }
}
