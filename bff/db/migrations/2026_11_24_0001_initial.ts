import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('account_limit', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('workspaces_plan_check', sql`plan in ('free', 'starter', 'professional', 'enterprise')`)
    .addCheckConstraint('workspaces_account_limit_check', sql`account_limit is null or account_limit >= 0`)
    .execute();

  await db.schema
    .createTable('social_accounts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('platform_account_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('avatar_url', 'text')
    .addColumn('access_token_enc', 'text')
    .addColumn('refresh_token_enc', 'text')
    .addColumn('token_key_id', 'text')
    .addColumn('token_expires_at', 'timestamptz')
    .addColumn('refresh_token_expires_at', 'timestamptz')
    .addColumn('data_access_expires_at', 'timestamptz')
    .addColumn('granted_scopes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('can_publish', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('connect_method', 'text', (c) => c.notNull())
    .addColumn('connected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_refreshed_at', 'timestamptz')
    .addColumn('consecutive_refresh_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error_code', 'text')
    .addColumn('last_error_message', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addColumn('next_check_at', 'timestamptz')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'timestamptz')
    .addColumn('notified_health', 'text')
    .addColumn('notified_reason', 'text')
    .addColumn('disconnected_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('social_accounts_workspace_platform_account_key', ['workspace_id', 'platform', 'platform_account_id'])
    .addCheckConstraint(
      'social_accounts_token_key_check',
      sql`(access_token_enc is null and refresh_token_enc is null) or token_key_id is not null`,
    )
    .execute();
  await db.schema
    .createIndex('social_accounts_workspace_active_idx')
    .on('social_accounts')
    .columns(['workspace_id'])
    .where(sql.ref('disconnected_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('social_accounts_due_idx')
    .on('social_accounts')
    .columns(['next_check_at'])
    .where(sql.ref('disconnected_at'), 'is', null)
    .execute();
  await db.schema.createIndex('social_accounts_token_key_idx').on('social_accounts').column('token_key_id').execute();

  await db.schema
    .createTable('posts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('social_accounts.id').onDelete('cascade'))
    .addColumn('platform_post_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('permalink_url', 'text')
    .addColumn('media_url', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('metrics', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('posts_account_platform_post_key', ['account_id', 'platform_post_id'])
    .execute();
  await db.schema.createIndex('posts_account_published_idx').on('posts').columns(['account_id', 'published_at']).execute();

  await db.schema
    .createTable('oauth_attempts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('account_id', 'uuid', (c) => c.references('social_accounts.id').onDelete('cascade'))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text')
    .addColumn('opener_origin', 'text')
    .addColumn('start_token_hash', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('state_hash', 'text', (c) => c.unique())
    .addColumn('browser_binding_hash', 'text')
    .addColumn('code_verifier_enc', 'text')
    .addColumn('grant_enc', 'text')
    .addColumn('key_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('choices', 'jsonb')
    .addColumn('account_ids', sql`uuid[]`)
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('state_used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('oauth_attempts_status_check', sql`status in ('pending', 'choose', 'connected', 'failed')`)
    .execute();
  await db.schema.createIndex('oauth_attempts_expires_idx').on('oauth_attempts').column('expires_at').execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('account_id', 'uuid', (c) => c.references('social_accounts.id').onDelete('set null'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_workspace_id_idx').on('events').columns(['workspace_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['events', 'oauth_attempts', 'posts', 'social_accounts', 'workspaces']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
