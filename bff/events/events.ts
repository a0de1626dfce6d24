import type { Transaction } from 'kysely';
import { EVENT_TEXTS, type EventParams, type EventType } from '../../contract/events.ts';
import type { PublicEvent } from '../../contract/types.ts';
import type { Clock } from '../clock.ts';
import type { Database, EventRow } from '../db/database.ts';
import { Failure } from '../errors.ts';
import { decodeCursor as decode, encodeCursor as encode } from '../paging.ts';
import type { WebhookRepository } from '../webhooks/webhook.repository.ts';
import type { EventRepository, NewEvent } from './event.repository.ts';

export type { EventType } from '../../contract/events.ts';

export function toPublicEvent(row: EventRow): PublicEvent {
  const params = (row.params ?? {}) as Record<string, unknown>;
  return {
    id: String(row.id),
    type: row.type,
    accountId: row.account_id,
    message: row.message,
    params: { name: typeof params['name'] === 'string' ? params['name'] : '', ...(typeof params['days'] === 'number' ? { days: params['days'] } : {}) },
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const CURSOR_KIND = 'ev1';
const encodeCursor = (eventId: string) => encode(CURSOR_KIND, eventId);
const decodeCursor = (cursor: string) => {
  const id = decode(CURSOR_KIND, cursor);
  if (!/^\d+$/.test(id)) throw new Failure('invalid_cursor', 'The "after" cursor is not one this API gave out.');
  return id;
};

export const EVENT_PAGE_SIZE = 100;

export class EventService {
  constructor(
    private readonly events: EventRepository,
    /** When the host has a webhook: every event written is queued for it in the same transaction. */
    private readonly webhooks: { deliveries: WebhookRepository; wallClock: Clock } | null = null,
  ) {}

  /** Records a state change once: the dedupe key names the change, so a repeat writes nothing. */
  async record(
    input: { workspaceId: string; accountId: string | null; type: EventType; accountName: string; days?: number; dedupeKey: string; at: Date },
    trx?: Transaction<Database>,
  ): Promise<EventRow | undefined> {
    const params: EventParams = { name: input.accountName, ...(input.days !== undefined ? { days: input.days } : {}) };
    const event: NewEvent = {
      workspaceId: input.workspaceId,
      accountId: input.accountId,
      type: input.type,
      message: EVENT_TEXTS[input.type](params),
      params: { ...params },
      dedupeKey: input.dedupeKey,
      createdAt: input.at,
    };
    const written = await this.events.insert(event, trx);
    if (written && this.webhooks) await this.webhooks.deliveries.enqueue(String(written.id), this.webhooks.wallClock.now(), trx);
    return written;
  }

  /** After a cursor: what came since. Without one: the latest page, and a cursor to go on from. */
  async list(workspaceId: string, after: string | undefined): Promise<{ events: PublicEvent[]; cursor: string }> {
    if (after !== undefined) {
      const afterId = decodeCursor(after);
      const rows = await this.events.listAfter(workspaceId, afterId, EVENT_PAGE_SIZE);
      const last = rows.at(-1);
      return { events: rows.map(toPublicEvent), cursor: last ? encodeCursor(String(last.id)) : after };
    }
    const rows = await this.events.listLatest(workspaceId, EVENT_PAGE_SIZE);
    const last = rows.at(-1);
    return { events: rows.map(toPublicEvent), cursor: encodeCursor(last ? String(last.id) : '0') };
  }
}
