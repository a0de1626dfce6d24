import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.

/**
 * Reconnect and connect links a host sends to the people who own accounts (an agency's
 * clients): single-use, expiring, never stored with their secret (the URL is signed).
 * An OAuth attempt started from a link names it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('links')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'uuid', (c) => c.references('social_accounts.id').onDelete('cascade'))
    .addColumn('platform', 'text')
    .addColumn('return_to', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('account_ids', sql`uuid[]`)
    .addCheckConstraint('links_kind_check', sql`kind in ('reconnect', 'connect') and ((kind = 'reconnect') = (account_id is not null))`)
    .execute();
  await db.schema.createIndex('links_workspace_idx').on('links').columns(['workspace_id', 'created_at']).execute();
  await db.schema.alterTable('oauth_attempts').addColumn('link_id', 'uuid', (c) => c.references('links.id').onDelete('cascade')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oauth_attempts').dropColumn('link_id').execute();
  await db.schema.dropTable('links').ifExists().execute();
}
