import { isMetaPlatform } from '../platforms/catalog.ts';
import { backoffMs } from '../jobs/backoff.ts';
import { LOST_RENEWAL_CODE } from '../platforms/adapter.ts';

/**
 * When the BFF refreshes tokens and checks health: the one place for these numbers.
 * Meta tokens are refreshed in the background once they expire within REFRESH_WINDOW;
 * every account is verified with its platform in the background every HEALTH_CHECK_INTERVAL
 * (under a day, so "at least daily" holds with a poll's delay), and hourly through
 * POST /api/health-check while a panel is open.
 */
export const REFRESH_WINDOW_MS = 7 * 86_400_000;
export const HEALTH_CHECK_INTERVAL_MS = 23 * 60 * 60_000;
/** POST /api/health-check leaves alone an account verified this recently (a repeat costs no call). */
export const RECENT_CHECK_MS = 5 * 60_000;
/** An expired short-lived access token counts as renewable only while its grant was verified this recently. */
export const VERIFIED_WITHIN_MS = 24 * 60 * 60_000;
/** Platforms verified by renewing (TikTok, X): renew once the access token expires within this. */
export const RENEWAL_VERIFY_MARGIN_MS = 60 * 60_000;
/** A LinkedIn token with a (partner) refresh token is renewed this long before it ends: more than a daily check apart. */
export const LINKEDIN_RENEW_AHEAD_MS = 2 * 86_400_000;
/** Platforms whose verification is a refresh (never a billed read). */
export const VERIFIED_BY_REFRESH: ReadonlySet<string> = new Set(['tiktok', 'x']);
/** An Instagram Login token can be refreshed only once it is at least this old. */
export const INSTAGRAM_MIN_TOKEN_AGE_MS = 24 * 3_600_000;
/** Consecutive transient refresh failures after which an account needs reconnecting (the seed's "after 3 attempts"). */
export const MAX_REFRESH_FAILURES = 3;
/** Transient failures wait longer each time, never more than this. */
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
export const BASE_RETRY_DELAY_MS = 5 * 60_000;
/** How long a refresh lease holds an account before another instance may take it over. */
export const LEASE_MS = 2 * 60_000;
/** The credentials endpoint renews a token that expires within this. */
export const ON_DEMAND_MARGIN_MS = 5 * 60_000;

/**
 * When the scheduler should next look at an account: its next health check, or sooner when a
 * Meta token enters the refresh window (an Instagram Login token: not before it is a day old).
 */
export function nextCheckAt(input: { platform: string; tokenExpiresAt: Date | null; now: Date; tokenIssuedAt?: Date }): Date {
  const healthCheck = input.now.getTime() + HEALTH_CHECK_INTERVAL_MS;
  if (isMetaPlatform(input.platform) && input.tokenExpiresAt) {
    const windowOpens = input.tokenExpiresAt.getTime() - REFRESH_WINDOW_MS;
    const oldEnough = (input.tokenIssuedAt ?? input.now).getTime() + INSTAGRAM_MIN_TOKEN_AGE_MS;
    const refreshAt = input.platform === 'instagram' ? Math.max(windowOpens, oldEnough) : windowOpens;
    return new Date(Math.max(input.now.getTime(), Math.min(refreshAt, healthCheck)));
  }
  // TikTok and X are looked at daily too: by then the access token has lapsed (X: 2 h) or is
  // about to (TikTok: 24 h), so the renewal that verifies them is one call a day.
  return new Date(healthCheck);
}

/** Whether a TikTok or X account's verification (a renewal) is due: its access token expired or expires within the margin. */
export function isRenewalVerificationDue(input: { tokenExpiresAt: Date | null; now: Date }): boolean {
  return input.tokenExpiresAt === null || input.tokenExpiresAt.getTime() - RENEWAL_VERIFY_MARGIN_MS <= input.now.getTime();
}

/**
 * Whether a renewal must wait because the last one's answer was lost (X, TikTok: the platform
 * may have rotated the refresh token, and X revokes the whole grant when an old one is
 * replayed). While the stored access token lives it is the account's working token, and a
 * replay could only end it early: nothing renews it, in the background or on demand. Once it
 * has expired there is nothing left to lose, and the stored refresh token is tried once more:
 * if the platform had not rotated it, that renewal works; if it had, the new one was lost
 * with the answer and only a reconnect helps, whatever is tried.
 */
export function isRenewalOnHold(input: { lastErrorCode: string | null; tokenExpiresAt: Date | null; now: Date }): boolean {
  return input.lastErrorCode === LOST_RENEWAL_CODE && input.tokenExpiresAt !== null && input.tokenExpiresAt.getTime() > input.now.getTime();
}

/** The wait before retrying after the n-th consecutive transient failure: doubling, capped, with jitter. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  return backoffMs(failures, { baseMs: BASE_RETRY_DELAY_MS, maxMs: MAX_RETRY_DELAY_MS }, random);
}

/**
 * Whether the background refresh should renew this token now: Meta accounts only (TikTok, X
 * and LinkedIn are renewed on demand), once the token expires within REFRESH_WINDOW, and for
 * Instagram Login only once the token is at least a day old (the platform refuses younger).
 */
export function isRefreshDue(input: {
  platform: string;
  connectMethod: string;
  tokenExpiresAt: Date | null;
  tokenIssuedAt: Date;
  now: Date;
}): boolean {
  if (!isMetaPlatform(input.platform) || input.tokenExpiresAt === null) return false;
  if (input.connectMethod === 'instagram_basic_display') return false;
  if (input.tokenExpiresAt.getTime() - input.now.getTime() > REFRESH_WINDOW_MS) return false;
  if (input.connectMethod === 'instagram_login' && input.now.getTime() - input.tokenIssuedAt.getTime() < INSTAGRAM_MIN_TOKEN_AGE_MS) return false;
  return true;
}
