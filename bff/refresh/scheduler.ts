import type { Logger } from '../logger.ts';
import type { VerificationService } from './verification.service.ts';
import { PeriodicJob } from '../jobs/periodic-job.ts';

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
    private readonly deps: { verification: VerificationService; logger: Logger },
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

  /** One run of due work: the verification service decides what is due and how it is verified. */
  private pass(): Promise<number> {
    return this.deps.verification.runDue();
  }
}
