import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/2026_11_24_0001_initial.ts';
import * as webhookDeliveries from './migrations/2026_11_24_0002_webhook_deliveries.ts';
import * as core from './migrations/2026_12_01_0001_core.ts';
import * as attemptKind from './migrations/2026_12_02_15_attempt_kind.ts';
import * as links from './migrations/2026_12_02_18_links.ts';
import * as verification from './migrations/2026_12_02_16_verification.ts';

/**
 * The migrations, in order. Listed here (not read from a folder) so they work the same from
 * source, from a bundle and from the test runner.
 */
const MIGRATIONS: Record<string, Migration> = {
  '2026_11_24_0001_initial': initial,
  '2026_11_24_0002_webhook_deliveries': webhookDeliveries,
  '2026_12_01_0001_core': core,
  '2026_12_02_15_attempt_kind': attemptKind,
  '2026_12_02_18_links': links,
  '2026_12_02_16_verification': verification,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** How often a migration is tried again when another schema of the database vanished under it. */
const ATTEMPTS = 5;

/**
 * Brings the schema to the latest migration; throws (loudly) if any migration fails.
 *
 * Before it migrates, Kysely's migrator reads the catalog of every schema in the database
 * (pg_get_serial_sequence and has_schema_privilege on each), and PostgreSQL answers
 * `schema "..." does not exist` when another user of the database drops a schema meanwhile:
 * a host's own tests on a shared database, or a second BFF's. Nothing has been migrated then,
 * so it tries again.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<string[]> {
  // With a schema of its own, the migrator must look for its own tables there (not in another schema).
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (!failed && attempt < ATTEMPTS && vanishedSchema(error, schema)) {
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      continue;
    }
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`Database migration "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** PostgreSQL's invalid_schema_name, for a schema other than the one being migrated. */
function vanishedSchema(error: unknown, schema: string | undefined): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '3F000' && typeof message === 'string' && (schema === undefined || !message.includes(`"${schema}"`));
}
