import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import { connectPostgres, takingTurns, type DatabaseHandle } from '../../bff/db/connect.ts';
import { migrateToLatest } from '../../bff/db/migrate.ts';

/**
 * A fresh, migrated database for one test context: a schema of its own on the PostgreSQL of
 * DATABASE_URL when it is set, else an embedded PGlite. Both are real databases.
 */
export interface TestDatabase extends DatabaseHandle {
  /**
   * Another handle on the same data, as a second BFF instance would have: its own pool on
   * PostgreSQL; on PGlite (one connection, one process) the same handle.
   */
  another(): DatabaseHandle;
  /** Where another process can reach the same data: PostgreSQL only (PGlite lives in this process). */
  postgres: { connectionString: string; schema: string } | null;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  return url ? createPostgresSchema(url) : createPglite();
}

async function createPostgresSchema(connectionString: string): Promise<TestDatabase> {
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = connectPostgres({ connectionString, max: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const handle = connectPostgres({ connectionString, schema, max: 10 });
  await migrateToLatest(handle.db, schema);
  const others: DatabaseHandle[] = [];
  return {
    ...handle,
    postgres: { connectionString, schema },
    another: () => {
      const other = connectPostgres({ connectionString, schema, max: 10 });
      others.push(other);
      return other;
    },
    close: async () => {
      await Promise.all(others.map((o) => o.close()));
      await handle.close();
      const cleanup = connectPostgres({ connectionString, max: 1 });
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(cleanup.db).catch(() => {});
      await cleanup.close();
    },
  };
}

/**
 * PGlite's initdb costs seconds; loading a dump of an already migrated database costs less
 * than one. The dump is cached in the temp folder, keyed by the migrations it holds.
 */
async function createPglite(): Promise<TestDatabase> {
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  const folder = new URL('../../bff/db/migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const name of (await readdir(folder)).sort()) hash.update(name).update(await readFile(new URL(name, folder)));
  const key = hash.digest('hex').slice(0, 16);
  const dumpFile = path.join(os.tmpdir(), 'connections-panel-test', `pglite-${key}.tar`);
  let dump: Blob | undefined;
  try {
    dump = new Blob([await readFile(dumpFile)]);
  } catch {
    const fresh = await PGlite.create();
    await migrateToLatest(new Kysely<any>({ dialect: new PGliteDialect(fresh) }));
    dump = await fresh.dumpDataDir('none');
    await fresh.close();
    await mkdir(path.dirname(dumpFile), { recursive: true });
    const tmp = `${dumpFile}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, dumpFile);
  }
  const client = await PGlite.create({ loadDataDir: dump });
  const db = new Kysely<any>({ dialect: new PGliteDialect(takingTurns(client)) });
  // Always migrate: a no-op on a current dump, and a safety net if the cache key missed a change.
  await migrateToLatest(db);
  const handle: TestDatabase = {
    db,
    kind: 'pglite',
    another: () => ({ ...handle, close: async () => {} }),
    postgres: null,
    ping: async () => {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
  return handle;
}
