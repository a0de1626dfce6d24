import { type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.

/**
 * Truthful health for few platform calls (issue 16): each account remembers the platform's id
 * of the person whose grant it rides on (so one check covers every Page of one Meta grant, and a
 * platform's push signal finds its accounts), and every push signal received is remembered so a
 * replayed one is refused.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('social_accounts').addColumn('platform_user_id', 'text').addColumn('expiry_warned_at', 'timestamptz').execute();
  await db.schema.createIndex('social_accounts_platform_user_idx').on('social_accounts').columns(['platform', 'platform_user_id']).execute();
  await db.schema
    .createTable('push_receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('push_receipts').ifExists().execute();
  await db.schema.dropIndex('social_accounts_platform_user_idx').ifExists().execute();
  await db.schema.alterTable('social_accounts').dropColumn('expiry_warned_at').dropColumn('platform_user_id').execute();
}
