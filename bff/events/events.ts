import type { EventRow } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import type { EventRepository, NewEvent } from './event.repository.ts';
import type { Transaction } from 'kysely';
import type { Clock } from '../clock.ts';
import type { WebhookRepository } from '../webhooks/webhook.repository.ts';
import type { Database } from '../db/database.ts';

/** The events a state change can write, with the toast texts of SPEC section 1. */
export const EVENT_MESSAGES = {
  token_refreshed: (name: string) => `Access token refreshed for ${name}`,
  reconnect_required: (name: string) => `Please reconnect ${name}`,
  token_expired: (name: string) => `${name} expired. Please reconnect.`,
  account_connected: (name: string) => `${name} connected`,
  account_reconnected: (name: string) => `${name} reconnected`,
  account_recovered: (name: string) => `${name} is healthy again`,
  account_disconnected: (name: string) => `${name} disconnected`,
} as const;

export type EventType = keyof typeof EVENT_MESSAGES;

export interface PublicEvent {
  id: string;
  type: string;
  accountId: string | null;
  message: string;
  createdAt: string;
}

export function toPublicEvent(row: EventRow): PublicEvent {
  return { id: String(row.id), type: row.type, accountId: row.account_id, message: row.message, createdAt: new Date(row.created_at).toISOString() };
}

const CURSOR_PREFIX = 'ev1:';

export function encodeCursor(eventId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${eventId}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d{1,18}$/.test(id)) throw new HttpError(400, 'invalid_cursor', 'The "after" cursor is not one this API gave out.');
  return id;
}

export const EVENT_PAGE_SIZE = 100;

export class EventService {
  constructor(
    private readonly events: EventRepository,
    /** When the host has a webhook: every event written is queued for it in the same transaction. */
    private readonly webhooks: { deliveries: WebhookRepository; wallClock: Clock } | null = null,
  ) {}

  /** Records a state change once: the dedupe key names the change, so a repeat writes nothing. */
  async record(
    input: { workspaceId: string; accountId: string | null; type: EventType; accountName: string; dedupeKey: string; at: Date },
    trx?: Transaction<Database>,
  ): Promise<EventRow | undefined> {
    const event: NewEvent = {
      workspaceId: input.workspaceId,
      accountId: input.accountId,
      type: input.type,
      message: EVENT_MESSAGES[input.type](input.accountName),
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
