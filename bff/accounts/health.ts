/**
 * Account health, derived from stored facts and the current time. This is the one place
 * the rules of SPEC section 1 "Health" live; nothing stores health as a bare flag.
 */

export type Health = 'healthy' | 'needs_reconnect';

/** In priority order: when several apply, the first one is the reason. */
export const REASONS = ['token_expired', 'token_revoked', 'missing_permissions', 'refresh_failed', 'publish_unavailable'] as const;
export type Reason = (typeof REASONS)[number];

/** Consecutive transient refresh failures after which an account needs reconnecting. */
export const MAX_REFRESH_FAILURES = 3;

/** Stored error codes that mean the platform rejected the grant for good. */
export const PERMANENT_ERROR_CODES: ReadonlySet<string> = new Set(['token_revoked', 'invalid_grant']);

export interface HealthFacts {
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
 * validity counts. Meta's data-access expiry counts as expiry.
 */
export function isTokenExpired(facts: HealthFacts, now: Date): boolean {
  if (isPast(facts.dataAccessExpiresAt, now)) return true;
  if (!isPast(facts.tokenExpiresAt, now)) return false;
  const renewable = facts.hasRefreshToken && !isPast(facts.refreshTokenExpiresAt, now);
  return !renewable;
}

export function missingScopes(facts: Pick<HealthFacts, 'grantedScopes' | 'requiredScopes'>): string[] {
  const granted = new Set(facts.grantedScopes);
  return facts.requiredScopes.filter((scope) => !granted.has(scope));
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
