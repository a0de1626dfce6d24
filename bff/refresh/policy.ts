import { isMetaPlatform } from '../platforms/catalog.ts';

/**
 * When the BFF refreshes tokens and checks health: the one place for these numbers.
 * Meta tokens are refreshed in the background once they expire within REFRESH_WINDOW;
 * every account gets a platform health check every HEALTH_CHECK_INTERVAL.
 */
export const REFRESH_WINDOW_MS = 7 * 86_400_000;
export const HEALTH_CHECK_INTERVAL_MS = 60 * 60_000;
/** An Instagram Login token can be refreshed only once it is at least this old. */
export const INSTAGRAM_MIN_TOKEN_AGE_MS = 24 * 3_600_000;
/** Transient failures wait longer each time, never more than this. */
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
export const BASE_RETRY_DELAY_MS = 5 * 60_000;
/** How long a refresh lease holds an account before another instance may take it over. */
export const LEASE_MS = 2 * 60_000;
/** The credentials endpoint renews a token that expires within this. */
export const ON_DEMAND_MARGIN_MS = 5 * 60_000;

/** When the scheduler should next look at an account with these facts. */
export function nextCheckAt(input: { platform: string; tokenExpiresAt: Date | null; now: Date }): Date {
  const healthCheck = input.now.getTime() + HEALTH_CHECK_INTERVAL_MS;
  if (isMetaPlatform(input.platform) && input.tokenExpiresAt) {
    const refreshDue = input.tokenExpiresAt.getTime() - REFRESH_WINDOW_MS;
    return new Date(Math.max(input.now.getTime(), Math.min(refreshDue, healthCheck)));
  }
  return new Date(healthCheck);
}

/** The wait before retrying after the n-th consecutive transient failure: doubling, capped, with jitter. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const exponential = BASE_RETRY_DELAY_MS * 2 ** Math.max(0, failures - 1);
  const capped = Math.min(MAX_RETRY_DELAY_MS, exponential);
  // Up to 20% jitter downwards, so instances that failed together do not retry together.
  return Math.round(capped * (1 - 0.2 * random()));
}
