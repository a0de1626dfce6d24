import { backoffMs } from '../jobs/backoff.ts';

/**
 * How webhook deliveries are retried: the one place for these numbers. Retries wait 30 s,
 * 1 min, 2 min, ... capped at an hour, up to WEBHOOK_MAX_ATTEMPTS attempts in all.
 */
export const WEBHOOK_MAX_ATTEMPTS = 12;
export const WEBHOOK_BASE_DELAY_MS = 30_000;
export const WEBHOOK_MAX_DELAY_MS = 60 * 60_000;
/** How long the host has to answer one delivery. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How long a claimed delivery is this instance's before another may take it over. */
export const WEBHOOK_LEASE_MS = 60_000;

export function webhookRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  return backoffMs(attempts, { baseMs: WEBHOOK_BASE_DELAY_MS, maxMs: WEBHOOK_MAX_DELAY_MS }, random);
}
/** Deliveries claimed per query; a pass claims batch after batch until nothing is due. */
export const WEBHOOK_BATCH = 100;
