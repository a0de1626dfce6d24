import type { Clock } from '../clock.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import type { Logger } from '../logger.ts';
import { LEASE_MS } from './policy.ts';
import type { RefreshService } from './refresh.service.ts';
import { inParallel, PeriodicJob } from '../jobs/periodic-job.ts';

export interface SchedulerOptions {
  /** How often start() looks for due accounts on its own (BackgroundWork polls instead: JOBS_POLL_SECONDS). */
  intervalMs: number;
  /** Accounts claimed per query. */
  batchSize: number;
  /** Platform calls in flight at once. */
  concurrency: number;
}

export const DEFAULT_SCHEDULER: SchedulerOptions = { intervalMs: 30_000, batchSize: 100, concurrency: 8 };

/**
 * The background refresh: every interval, claims due accounts from PostgreSQL in batches
 * (FOR UPDATE SKIP LOCKED, each with a lease), refreshes or checks them with bounded
 * concurrency, and releases them. Any number of instances can run it on one database: they
 * claim disjoint accounts, and a killed instance's leases run out for another to take over.
 */
export class RefreshScheduler {
  readonly #job: PeriodicJob;

  constructor(
    private readonly deps: { refresh: RefreshService; accounts: AccountRepository; clock: Clock; wallClock: Clock; logger: Logger },
    private readonly options: SchedulerOptions = DEFAULT_SCHEDULER,
  ) {
    this.#job = new PeriodicJob('refresh pass', () => this.pass(), deps.logger);
  }

  start(): void {
    this.#job.start(this.options.intervalMs, true);
  }

  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** Asks a pass in progress to finish the batch it holds and claim no more (shutdown). */
  drain(): void {
    this.#job.drain();
  }

  /** One full pass: every account due now. Returns how many were processed. A pass already running is joined. */
  runOnce(): Promise<number> {
    return this.#job.runOnce();
  }

  private async pass(): Promise<number> {
    const seen = new Set<string>();
    for (;;) {
      if (this.#job.draining) return seen.size;
      const wallNow = this.deps.wallClock.now();
      const claimed = await this.deps.accounts.claimDue(
        this.deps.refresh.instanceId,
        this.deps.clock.now(),
        wallNow,
        new Date(wallNow.getTime() + LEASE_MS),
        this.options.batchSize,
      );
      // Each account once per pass, whatever its result: anything still due waits for the next pass.
      const again = claimed.filter((row) => seen.has(row.id));
      const fresh = claimed.filter((row) => !seen.has(row.id));
      await Promise.all(again.map((row) => this.deps.refresh.releaseLease(row.id)));
      if (fresh.length === 0) return seen.size;
      for (const row of fresh) seen.add(row.id);
      await inParallel(fresh, this.options.concurrency, async (row) => {
        try {
          await this.deps.refresh.processLeased(row, { healthCheck: false });
        } catch (err) {
          this.deps.logger.error({ err, accountId: row.id }, 'processing an account failed');
        }
      });
    }
  }
}
