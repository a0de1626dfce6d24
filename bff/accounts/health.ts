/**
 * Account health, derived from stored facts and the current time. This is the one place
 * the rules of SPEC section 1 "Health" live; nothing stores health as a bare flag.
 */

import { REASONS, type Health, type Reason } from '../../contract/health.ts';
import { MAX_REFRESH_FAILURES, VERIFIED_WITHIN_MS } from '../refresh/policy.ts';

export { REASONS, type Health, type Reason };

/** Stored error codes that mean the platform rejected the grant for good. */
export const PERMANENT_ERROR_CODES: ReadonlySet<string> = new Set(['token_revoked', 'invalid_grant']);

export interface HealthFacts {
  platform: string;
  connectMethod: string;
  /** When the access token stops working; null when it does not expire. */
  tokenExpiresAt: Date | null;
  /** Whether a refresh token is stored that can renew the access token. */
  hasRefreshToken: boolean;
  /** When the stored refresh token stops working; null when it does not expire (or none is stored). */
  refreshTokenExpiresAt: Date | null;
  /** Meta's data-access expiry; null on other platforms. */
  dataAccessExpiresAt: Date | null;
  grantedScopes: readonly string[];
  requiredScopes: readonly string[];
  consecutiveRefreshFailures: number;
  /** The last error a platform gave for this account, in our vocabulary (see PERMANENT_ERROR_CODES). */
  lastErrorCode: string | null;
  canPublish: boolean;
  /** When the platform last confirmed these facts. */
  checkedAt: Date | null;
}

export interface HealthResult {
  health: Health;
  reason: Reason | null;
  missingScopes: string[];
}

function isPast(at: Date | null, now: Date): boolean {
  return at !== null && at.getTime() <= now.getTime();
}

/**
 * A short-lived access token that can still be renewed is not expired: the refresh token's
 * validity counts, but only while the grant was verified within the last 24 hours (a revoked
 * grant's refresh token looks as valid as a live one until the platform is asked). Meta's
 * data-access expiry counts as expiry.
 */
export function isTokenExpired(facts: HealthFacts, now: Date): boolean {
  if (isPast(facts.dataAccessExpiresAt, now)) return true;
  if (!isPast(facts.tokenExpiresAt, now)) return false;
  const verifiedRecently = facts.checkedAt !== null && now.getTime() - facts.checkedAt.getTime() < VERIFIED_WITHIN_MS;
  const renewable = facts.hasRefreshToken && !isPast(facts.refreshTokenExpiresAt, now) && verifiedRecently;
  return !renewable;
}

export function missingScopes(facts: Pick<HealthFacts, 'grantedScopes' | 'requiredScopes'>): string[] {
  // A handful of scopes each: a scan costs less than a Set per account (5,000 on a big list).
  const granted = facts.grantedScopes;
  return facts.requiredScopes.filter((scope) => !granted.includes(scope));
}

export function deriveHealth(facts: HealthFacts, now: Date): HealthResult {
  const missing = missingScopes(facts);
  const applies: Record<Reason, boolean> = {
    token_expired: isTokenExpired(facts, now),
    token_revoked: facts.lastErrorCode !== null && PERMANENT_ERROR_CODES.has(facts.lastErrorCode),
    missing_permissions: missing.length > 0,
    refresh_failed: facts.consecutiveRefreshFailures >= MAX_REFRESH_FAILURES,
    publish_unavailable: !facts.canPublish,
  };
  const reason = REASONS.find((r) => applies[r]) ?? null;
  return { health: reason ? 'needs_reconnect' : 'healthy', reason, missingScopes: missing };
}

/**
 * When a person will have to reconnect the account if nothing changes: the end of Meta's data
 * access, a refresh token's fixed end (LinkedIn partners), or the access token's end where
 * nothing can renew it (LinkedIn without a refresh token, a retired Instagram method). Null
 * while the BFF can keep it alive by itself (Meta long-lived tokens, rotating refresh tokens).
 */
export function actionNeededBy(facts: HealthFacts, _now: Date): Date | null {
  const candidates: Date[] = [];
  if (facts.dataAccessExpiresAt) candidates.push(facts.dataAccessExpiresAt);
  const renewsInBackground = facts.platform === 'facebook' || (facts.platform === 'instagram' && facts.connectMethod !== 'instagram_basic_display');
  if (facts.hasRefreshToken) {
    // LinkedIn's partner refresh tokens count down to a fixed end; TikTok's and X's rotate on each renewal.
    if (facts.platform === 'linkedin' && facts.refreshTokenExpiresAt) candidates.push(facts.refreshTokenExpiresAt);
  } else if (!renewsInBackground && facts.tokenExpiresAt) {
    candidates.push(facts.tokenExpiresAt);
  }
  if (candidates.length === 0) return null;
  return new Date(Math.min(...candidates.map((d) => d.getTime())));
}

/** What a person reads beside an amber account. */
export function reasonMessage(reason: Reason | null, missing: readonly string[]): string | null {
  switch (reason) {
    case null:
      return null;
    case 'token_expired':
      return 'The access token has expired. Reconnect the account to keep publishing.';
    case 'token_revoked':
      return 'The platform revoked access for this account. Reconnect it to restore access.';
    case 'missing_permissions':
      return `Some permissions were not granted: ${missing.join(', ')}. Reconnect and approve every requested permission.`;
    case 'refresh_failed':
      return 'The access token could not be refreshed after several attempts. Reconnect the account.';
    case 'publish_unavailable':
      return 'This account was connected with an older method that cannot publish. Reconnect it with the current flow.';
  }
}
