/**
 * The one backoff every retried job uses (refreshes, webhook deliveries): the wait doubles
 * with each consecutive failure from `baseMs`, never exceeds `maxMs`, and drops by up to 20%
 * at random, so instances that failed together do not retry together.
 */
export function backoffMs(failures: number, rule: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const exponential = rule.baseMs * 2 ** Math.max(0, failures - 1);
  return Math.round(Math.min(rule.maxMs, exponential) * (1 - 0.2 * random()));
}
