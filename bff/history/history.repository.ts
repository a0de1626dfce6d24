import type { Kysely, Transaction } from 'kysely';
import type { AccountHistoryRow, Database } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewHistoryEntry {
  workspaceId: string;
  accountId: string;
  at: Date;
  kind: string;
  message: string;
  actor: { type: string; id: string | null; name: string | null } | null;
  params: Record<string, unknown>;
}

/** The only place that reads and writes accounts' history. */
export class HistoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(entry: NewHistoryEntry, db: Db = this.db): Promise<void> {
    await db
      .insertInto('account_history')
      .values({
        workspace_id: entry.workspaceId,
        account_id: entry.accountId,
        at: entry.at,
        kind: entry.kind,
        message: entry.message,
        actor: entry.actor ? JSON.stringify(entry.actor) : null,
        params: JSON.stringify(entry.params),
      })
      .execute();
  }

  /** An account's entries, newest first, before the given id (index account_history_account_idx). */
  forAccount(accountId: string, beforeId: string | null, limit: number, workspaceId?: string): Promise<AccountHistoryRow[]> {
    let query = this.db.selectFrom('account_history').selectAll().where('account_id', '=', accountId);
    if (workspaceId !== undefined) query = query.where('workspace_id', '=', workspaceId);
    if (beforeId !== null) query = query.where('id', '<', beforeId);
    return query.orderBy('id', 'desc').limit(limit).execute();
  }

  /** A workspace's entries, oldest first, after the given id (index account_history_workspace_idx). */
  forWorkspace(workspaceId: string, afterId: string | null, limit: number): Promise<AccountHistoryRow[]> {
    let query = this.db.selectFrom('account_history').selectAll().where('workspace_id', '=', workspaceId);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return query.orderBy('id', 'asc').limit(limit).execute();
  }
}
