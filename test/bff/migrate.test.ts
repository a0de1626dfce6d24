import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { connectPostgres } from '../../bff/db/connect.ts';
import { migrateToLatest } from '../../bff/db/migrate.ts';

const url = process.env.DATABASE_URL;

describe('migrations on a shared database', { skip: url ? false : 'needs PostgreSQL (DATABASE_URL): PGlite has no other users' }, () => {
  it('finish while another user of the database drops its schemas', async () => {
    const admin = connectPostgres({ connectionString: url!, max: 2 });
    const prefix = `gone_${randomBytes(3).toString('hex')}`;
    const others = Array.from({ length: 80 }, (_, i) => `${prefix}_${i}`);
    const migrated: string[] = [];
    try {
      for (const name of others) {
        await sql`create schema ${sql.id(name)}`.execute(admin.db);
        await sql`create table ${sql.id(name)}.items (id bigserial primary key)`.execute(admin.db);
      }
      let dropping = true;
      const dropper = (async () => {
        for (const name of others) {
          await sql`drop schema ${sql.id(name)} cascade`.execute(admin.db);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        dropping = false;
      })();
      // Without retrying, Kysely's read of every schema's catalog failed on a dropped one
      // (`schema "gone_..." does not exist`) in nearly every migration here.
      do {
        const schema = `${prefix}_ours_${migrated.length}`;
        migrated.push(schema);
        const handle = connectPostgres({ connectionString: url!, schema, max: 2 });
        try {
          const ran = await migrateToLatest(handle.db, schema);
          assert.ok(ran.length > 0, 'every migration ran');
          const tables = await sql<{ n: string }>`select count(*) as n from pg_tables where schemaname = ${schema} and tablename = 'social_accounts'`.execute(handle.db);
          assert.equal(tables.rows[0]!.n, '1');
        } finally {
          await handle.close();
        }
      } while (dropping);
      await dropper;
    } finally {
      for (const name of [...others, ...migrated]) await sql`drop schema if exists ${sql.id(name)} cascade`.execute(admin.db).catch(() => {});
      await admin.close();
    }
  });
});
