import type { Kysely, Transaction } from 'kysely';
import type { Database, EventRow } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewEvent {
  workspaceId: string;
  accountId: string | null;
  type: string;
  message: string;
  params: Record<string, string | number>;
  dedupeKey: string;
  createdAt: Date;
}

export class EventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Writes the event unless one with the same dedupe key exists; returns it only if written. */
  async insert(event: NewEvent, db: Db = this.db): Promise<EventRow | undefined> {
    return db
      .insertInto('events')
      .values({
        workspace_id: event.workspaceId,
        account_id: event.accountId,
        type: event.type,
        message: event.message,
        params: JSON.stringify(event.params),
        dedupe_key: event.dedupeKey,
        created_at: event.createdAt,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  listAfter(workspaceId: string, afterId: string, limit: number): Promise<EventRow[]> {
    return this.db
      .selectFrom('events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '>', afterId)
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
  }

  /** The newest events, oldest first. */
  async listLatest(workspaceId: string, limit: number): Promise<EventRow[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse();
  }
}
