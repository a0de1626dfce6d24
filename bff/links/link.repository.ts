import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, LinkRow, LinkTable } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The only place that reads and writes reconnect and connect links. */
export class LinkRepository {
  constructor(private readonly db: Kysely<Database>) {}

  insert(row: Insertable<LinkTable>, db: Db = this.db): Promise<LinkRow> {
    return db.insertInto('links').values(row).returningAll().executeTakeFirstOrThrow();
  }

  findById(id: string, db: Db = this.db): Promise<LinkRow | undefined> {
    return db.selectFrom('links').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Marks the link used, only if nobody used it first: of two uses at once, exactly one wins. */
  markUsed(id: string, now: Date, accountIds: string[], db: Db = this.db): Promise<LinkRow | undefined> {
    return db.updateTable('links').set({ used_at: now, account_ids: accountIds }).where('id', '=', id).where('used_at', 'is', null).returningAll().executeTakeFirst();
  }

  /** A workspace's links, newest first (index links_workspace_idx). */
  forWorkspace(workspaceId: string, limit: number): Promise<LinkRow[]> {
    return this.db.selectFrom('links').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }
}
