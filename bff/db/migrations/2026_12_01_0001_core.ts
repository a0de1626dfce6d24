import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.

/**
 * What every account now records: when its platform last confirmed its facts, whether it is
 * paused by the plan, and its history (every change, in the transaction of the change).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('social_accounts')
    .addColumn('checked_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('paused_reason', 'text')
    .addColumn('paused_at', 'timestamptz')
    .execute();
  await sql`alter table social_accounts add constraint social_accounts_status_check check (status in ('active', 'paused'))`.execute(db);
  await sql`alter table social_accounts add constraint social_accounts_paused_check check ((status = 'paused') = (paused_reason is not null) and (paused_reason is null or paused_reason in ('plan_platform', 'plan_limit')))`.execute(db);

  // What an event's message is built from, so the widget can say it in any language.
  await db.schema.alterTable('events').addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)).execute();

  await db.schema
    .createTable('account_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('social_accounts.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('actor', 'jsonb')
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  // The account's timeline, newest first; the workspace's audit export, oldest first.
  await db.schema.createIndex('account_history_account_idx').on('account_history').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('account_history_workspace_idx').on('account_history').columns(['workspace_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account_history').ifExists().execute();
  await db.schema.alterTable('events').dropColumn('params').execute();
  await sql`alter table social_accounts drop constraint if exists social_accounts_paused_check, drop constraint if exists social_accounts_status_check`.execute(db);
  await db.schema.alterTable('social_accounts').dropColumn('paused_at').dropColumn('paused_reason').dropColumn('status').dropColumn('checked_at').execute();
}
