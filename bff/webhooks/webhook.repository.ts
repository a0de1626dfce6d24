import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, EventRow, WebhookDeliveryRow } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The only place that reads and writes webhook deliveries. */
export class WebhookRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** One delivery per event, written with the event so a crash loses neither. */
  async enqueue(eventId: string, now: Date, db: Db = this.db): Promise<void> {
    await db
      .insertInto('webhook_deliveries')
      .values({ id: randomUUID(), event_id: eventId, status: 'pending', next_attempt_at: now })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
  }

  /** Claims due deliveries with a lease each, skipping those another instance holds. */
  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<(WebhookDeliveryRow & { event: EventRow })[]> {
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('webhook_deliveries')
        .set({ lease_owner: owner, lease_expires_at: leaseUntil })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select('id')
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<=', now)
            .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', now)]))
            .orderBy('next_attempt_at')
            .limit(limit)
            .forUpdate()
            .skipLocked(),
        )
        .returningAll()
        .execute();
      if (claimed.length === 0) return [];
      const events = await trx.selectFrom('events').selectAll().where('id', 'in', claimed.map((d) => d.event_id)).execute();
      const byId = new Map(events.map((e) => [String(e.id), e]));
      return claimed.flatMap((d) => {
        const event = byId.get(String(d.event_id));
        return event ? [{ ...d, event }] : [];
      });
    });
  }

  async complete(id: string, owner: string, changes: { status: string; attempts: number; nextAttemptAt: Date; lastError: string | null; deliveredAt: Date | null }): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: changes.status,
        attempts: changes.attempts,
        next_attempt_at: changes.nextAttemptAt,
        last_error: changes.lastError,
        delivered_at: changes.deliveredAt,
        lease_owner: null,
        lease_expires_at: null,
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  list(): Promise<WebhookDeliveryRow[]> {
    return this.db.selectFrom('webhook_deliveries').selectAll().orderBy('created_at').execute();
  }
}
