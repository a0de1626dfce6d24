import type { OffsetClock } from '../clock.ts';
import type { Logger } from '../logger.ts';

/** How often a BFF reads the clock of a sandbox running in another process. */
export const FOLLOW_INTERVAL_MS = 1_000;

/**
 * Keeps this BFF's clock on the time of a sandbox running as its own process (SANDBOX_URL),
 * so every instance sharing that sandbox shares its clock. Returns a function that stops.
 */
export async function followSandboxClock(sandboxUrl: string, clock: OffsetClock, logger: Logger): Promise<() => void> {
  const read = async () => {
    try {
      const res = await fetch(`${sandboxUrl}/control/clock`, { signal: AbortSignal.timeout(2_000) });
      const body = (await res.json()) as { offsetMs?: unknown };
      if (typeof body.offsetMs === 'number') clock.setOffset(body.offsetMs);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'could not read the sandbox clock');
    }
  };
  await read();
  const timer = setInterval(read, FOLLOW_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
