import type { Kysely, Transaction } from 'kysely';
import type { AccountHistoryRow, Database } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';

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

const entries = (db: Kysely<Database>) => db.selectFrom('account_history').selectAll();
const accountPage = prepared((db, workspaceId: string, accountId: string, limit: number) => entries(db).where('account_id', '=', accountId).where('workspace_id', '=', workspaceId).orderBy('id', 'desc').limit(limit));
const accountPageBefore = prepared(
  (db, workspaceId: string, accountId: string, beforeId: string, limit: number) => entries(db).where('account_id', '=', accountId).where('workspace_id', '=', workspaceId).where('id', '<', beforeId).orderBy('id', 'desc').limit(limit),
);
const workspacePage = prepared((db, workspaceId: string, limit: number) => entries(db).where('workspace_id', '=', workspaceId).orderBy('id', 'asc').limit(limit));
const workspacePageAfter = prepared((db, workspaceId: string, afterId: string, limit: number) => entries(db).where('workspace_id', '=', workspaceId).where('id', '>', afterId).orderBy('id', 'asc').limit(limit));

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
  forAccount(workspaceId: string, accountId: string, beforeId: string | null, limit: number): Promise<AccountHistoryRow[]> {
    return beforeId === null ? accountPage(this.db, workspaceId, accountId, limit) : accountPageBefore(this.db, workspaceId, accountId, beforeId, limit);
  }

  /** A workspace's entries, oldest first, after the given id (index account_history_workspace_idx). */
  forWorkspace(workspaceId: string, afterId: string | null, limit: number): Promise<AccountHistoryRow[]> {
    return afterId === null ? workspacePage(this.db, workspaceId, limit) : workspacePageAfter(this.db, workspaceId, afterId, limit);
  }
}
