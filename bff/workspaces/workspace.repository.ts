import type { Kysely, Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;
import type { Database, WorkspaceRow } from '../db/database.ts';

export interface WorkspaceWrite {
  id: string;
  name: string | null;
  plan: string;
  accountLimit: number | null;
}

export class WorkspaceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  find(id: string): Promise<WorkspaceRow | undefined> {
    return this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Creates the workspace, or replaces its settings; says which it did. */
  async upsert(input: WorkspaceWrite, now: Date, db: Db = this.db): Promise<{ workspace: WorkspaceRow; created: boolean }> {
    const inserted = await db
      .insertInto('workspaces')
      .values({ id: input.id, name: input.name, plan: input.plan, account_limit: input.accountLimit, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { workspace: inserted, created: true };
    // Takes the row's lock first: plan changes and connections queue on it.
    await db.selectFrom('workspaces').select('id').where('id', '=', input.id).forUpdate().executeTakeFirst();
    const updated = await db
      .updateTable('workspaces')
      .set({ name: input.name, plan: input.plan, account_limit: input.accountLimit, updated_at: now })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { workspace: updated, created: false };
  }

  /** Locks the workspace row for the transaction: connections that land at once queue here, so none can pass the limit. */
  lockForUpdate(id: string, trx: Transaction<Database>): Promise<WorkspaceRow | undefined> {
    return trx.selectFrom('workspaces').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }
}
