/**
 * OAuth mechanics every platform shares: reading parameters, client credentials, PKCE and
 * redeeming an authorization code. Each platform file decides what to do with the outcome.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ControlState } from './control.ts';
import type { SandboxClient } from './seed.ts';
import type { CodeRecord, FlowId, GrantRecord, SandboxStore } from './state.ts';

/** What every platform router is built with. */
export interface PlatformContext {
  store: SandboxStore;
  control: ControlState;
  /** Whether a redirect_uri is registered with the sandbox's apps (no open redirect). */
  redirects: RedirectPolicy;
}

/** Decides whether the authorize endpoint may send a browser to `redirectUri`. */
export type RedirectPolicy = (redirectUri: string, sandboxBase: string) => boolean;

export type Params = Record<string, unknown>;

/** A parameter given exactly once as a non-empty string; a repeated parameter counts as absent. */
export function param(source: Params | undefined, name: string): string | undefined {
  const value = source?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The request's form body; empty unless it was sent as application/x-www-form-urlencoded. */
export function formBody(req: Request): Params {
  return req.is('application/x-www-form-urlencoded') && isParams(req.body) ? req.body : {};
}

export function queryParams(req: Request): Params {
  return isParams(req.query) ? req.query : {};
}

function isParams(value: unknown): value is Params {
  return typeof value === 'object' && value !== null;
}

export function splitScopes(value: string | undefined, separator: string): string[] {
  if (!value) return [];
  return [...new Set(value.split(separator).filter((scope) => scope !== ''))];
}

/** Constant-time comparison, so the sandbox does not teach a timing side channel. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function clientMatches(client: SandboxClient, id: string | undefined, secret: string | undefined): boolean {
  return id === client.clientId && sameSecret(secret, client.clientSecret);
}

/** HTTP Basic credentials, form-urldecoded as RFC 6749 section 2.3.1 requires. */
export function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function pkceMatches(method: 'S256' | 'plain', challenge: string, verifier: string | undefined): boolean {
  if (verifier === undefined || !VERIFIER.test(verifier)) return false;
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return sameSecret(derived, challenge);
}

export type RedeemFailure = 'unknown' | 'used' | 'expired' | 'client_mismatch' | 'redirect_uri_mismatch' | 'pkce_failed';

export type RedeemResult = { ok: true; code: CodeRecord; grant: GrantRecord } | { ok: false; reason: RedeemFailure };

/**
 * Redeems a code once: it must belong to this flow and client, be unused and unexpired,
 * come with the same redirect_uri, and (when a challenge was sent) the matching verifier.
 * A failed attempt leaves the code untouched.
 */
export function redeemCode(
  store: SandboxStore,
  flow: FlowId,
  input: { code: string | undefined; clientId: string; redirectUri: string | undefined; codeVerifier: string | undefined },
): RedeemResult {
  const code = input.code === undefined ? undefined : store.findCode(input.code, flow);
  if (!code) return { ok: false, reason: 'unknown' };
  if (code.usedAt !== null) return { ok: false, reason: 'used' };
  if (store.nowMs() >= code.expiresAt) return { ok: false, reason: 'expired' };
  if (code.clientId !== input.clientId) return { ok: false, reason: 'client_mismatch' };
  if (code.redirectUri !== input.redirectUri) return { ok: false, reason: 'redirect_uri_mismatch' };
  if (code.codeChallenge !== null && code.codeChallengeMethod !== null) {
    if (!pkceMatches(code.codeChallengeMethod, code.codeChallenge, input.codeVerifier)) return { ok: false, reason: 'pkce_failed' };
  }
  return { ok: true, code, grant: store.consumeCode(code) };
}

/** Absolute URL of the sandbox root (e.g. http://127.0.0.1:3000/sandbox), for links it hands out. */
export function sandboxBase(res: Response): string {
  const base: unknown = res.locals['sandboxBase'];
  return typeof base === 'string' ? base : '';
}

export function avatarUrl(res: Response, id: string): string {
  return `${sandboxBase(res)}/avatars/${encodeURIComponent(id)}.svg`;
}

export function mediaUrl(res: Response, id: string): string {
  return `${sandboxBase(res)}/media/${encodeURIComponent(id)}.svg`;
}

export function permalinkUrl(res: Response, id: string): string {
  return `${sandboxBase(res)}/posts/${encodeURIComponent(id)}`;
}

export function profileUrl(res: Response, id: string): string {
  return `${sandboxBase(res)}/profiles/${encodeURIComponent(id)}`;
}
