import type { Logger } from '../logger.ts';

/** Runs `work` over `items` with at most `limit` running at once. */
export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * A pass of background work run on a timer: never two passes of one job at once in a process
 * (a call during a pass joins it), and stop() waits for the pass in progress.
 */
export class PeriodicJob {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;
  #draining = false;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<number>,
    private readonly logger: Logger,
  ) {}

  /** Starts the timer; `immediately` also runs a pass now. */
  start(intervalMs: number, immediately: boolean): void {
    if (this.#timer) return;
    const tick = () => {
      this.runOnce().catch((err) => this.logger.error({ err }, `${this.name} failed`));
    };
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref();
    if (immediately) tick();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.drain();
    await this.#running?.catch(() => 0);
  }

  runOnce(): Promise<number> {
    this.#running ??= this.pass().finally(() => {
      this.#running = null;
      this.#draining = false;
    });
    return this.#running;
  }

  /** Asks the pass in progress to claim nothing more; a pass checks `draining` between batches. */
  drain(): void {
    if (this.#running) this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }
}
