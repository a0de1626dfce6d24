import type { Kysely } from 'kysely';

// Frozen in time: this file must not import application code.

/** The connect flow an attempt runs (LinkedIn: `member` or `organization`); null: the platform's default. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oauth_attempts').addColumn('kind', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oauth_attempts').dropColumn('kind').execute();
}
