import type { Logger } from '../logger.ts';

/** One kind of due work: claims what is due in the database, works on it, says how much it did. */
export interface DueWork {
  name: string;
  /** One pass over what is due now; resolves when every claimed item is finished. */
  run(): Promise<number>;
  /** Asks a pass in progress to stop claiming more (what it holds is still finished). */
  drain?(): void;
}

/**
 * The background loop (SPEC "Background work"): every poll it runs each kind of due work once
 * (refreshes and verifications, webhook deliveries), then waits `pollMs` before the next poll,
 * so passes never overlap and a slow one never piles up. What is due is claimed from the
 * database with leases (`FOR UPDATE SKIP LOCKED`), so any number of processes share it.
 * stop() waits for the poll in progress: a shutdown mid-pass loses nothing.
 */
export class BackgroundWork {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<Record<string, number>> | null = null;
  #started = false;
  #draining = false;

  constructor(
    private readonly work: DueWork[],
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  get running(): boolean {
    return this.#started;
  }

  /** Polls now, then every pollMs after the previous poll ended. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#draining = false;
    const tick = () => {
      this.#timer = null;
      this.runOnce()
        .catch((err) => this.logger.error({ err }, 'background work failed'))
        .finally(() => {
          if (!this.#started) return;
          this.#timer = setTimeout(tick, this.pollMs);
          this.#timer.unref();
        });
    };
    tick();
  }

  /** One poll: every kind of due work once. A poll already running is joined. */
  runOnce(): Promise<Record<string, number>> {
    this.#running ??= (async () => {
      const done: Record<string, number> = {};
      for (const work of this.work) {
        if (this.#draining) break;
        try {
          done[work.name] = await work.run();
        } catch (err) {
          this.logger.error({ err }, `${work.name} failed`);
          done[work.name] = 0;
        }
      }
      return done;
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Stops polling and waits for the poll in progress, which claims nothing more. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#draining = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const work of this.work) work.drain?.();
    await this.#running?.catch(() => undefined);
  }
}
