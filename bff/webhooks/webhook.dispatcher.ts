import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { toPublicEvent } from '../events/events.ts';
import { inParallel, PeriodicJob } from '../jobs/periodic-job.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.ts';
import type { WebhookRepository } from './webhook.repository.ts';

import { WEBHOOK_BATCH, WEBHOOK_LEASE_MS, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_TIMEOUT_MS, webhookRetryDelayMs } from './policy.ts';

/**
 * Sends events to the host's WEBHOOK_URL, signed with HMAC-SHA256. Deliveries live in
 * PostgreSQL: a restart loses none, and a lease keeps two instances from sending one at once.
 * A delivery counts as done on any 2xx; anything else is retried with exponential backoff.
 */
export class WebhookDispatcher {
  readonly #owner = `webhooks-${randomUUID()}`;
  readonly #job: PeriodicJob;

  constructor(
    private readonly deps: { deliveries: WebhookRepository; webhook: { url: string; secret: string }; wallClock: Clock; logger: Logger },
    private readonly intervalMs = 5_000,
  ) {
    this.#job = new PeriodicJob('webhook pass', () => this.pass(), deps.logger);
  }

  start(): void {
    this.#job.start(this.intervalMs, false);
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** Asks a pass in progress to finish what it holds and claim no more (shutdown). */
  drain(): void {
    this.#job.drain();
  }

  /** Sends everything due now; returns how many deliveries succeeded. */
  runOnce(): Promise<number> {
    return this.#job.runOnce();
  }

  private async pass(): Promise<number> {
    let delivered = 0;
    // Batch after batch until nothing is due; a delivery that fails is due again only after its backoff.
    while (!this.#job.draining) {
      const now = this.deps.wallClock.now();
      const due = await this.deps.deliveries.claimDue(this.#owner, now, new Date(now.getTime() + WEBHOOK_LEASE_MS), WEBHOOK_BATCH);
      delivered += await this.send(due);
      if (due.length < WEBHOOK_BATCH) break;
    }
    return delivered;
  }

  private async send(due: Awaited<ReturnType<WebhookRepository['claimDue']>>): Promise<number> {
    let delivered = 0;
    await inParallel(due, 4, async (delivery) => {
      const body = JSON.stringify({ ...toPublicEvent(delivery.event), workspaceId: delivery.event.workspace_id });
      const attempts = delivery.attempts + 1;
      let error: string | null = null;
      try {
        const res = await fetch(this.deps.webhook.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            [EVENT_ID_HEADER]: String(delivery.event.id),
            [SIGNATURE_HEADER]: signWebhook(this.deps.webhook.secret, body, Math.floor(this.deps.wallClock.now().getTime() / 1000)),
          },
          body,
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
          redirect: 'error',
        });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        error = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
      }
      const at = this.deps.wallClock.now();
      if (error === null) delivered++;
      else this.deps.logger.warn({ eventId: String(delivery.event.id), attempts, error }, 'webhook delivery failed');
      await this.deps.deliveries.complete(delivery.id, this.#owner, {
        status: error === null ? 'delivered' : attempts >= WEBHOOK_MAX_ATTEMPTS ? 'failed' : 'pending',
        attempts,
        nextAttemptAt: error === null ? at : new Date(at.getTime() + webhookRetryDelayMs(attempts)),
        lastError: error,
        deliveredAt: error === null ? at : null,
      });
    });
    return delivered;
  }
}
