import path from 'node:path';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { parseTimestamptz } from './timestamps.ts';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const { INT8, TIMESTAMPTZ } = pg.types.builtins;
const asText = (text: string) => text;

/**
 * The type parsers of the BFF's pools (their own: pg's global ones, a host's too, stay as they
 * are): pg's, but bigint (count(*), bigserial) as text, the way PGlite and our repositories
 * expect ids, and timestamptz read by parseTimestamptz.
 */
const types = {
  getTypeParser: (oid: number, format: 'text' | 'binary' = 'text') =>
    format === 'text' && oid === INT8 ? asText : format === 'text' && oid === TIMESTAMPTZ ? parseTimestamptz : pg.types.getTypeParser(oid, format as 'text'),
};

export interface PostgresOptions {
  connectionString: string;
  /** Puts every unqualified name in this schema (tests give each run its own). */
  schema?: string;
  max?: number;
}

export function connectPostgres(options: PostgresOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // A database that goes away must not crash the process: queries fail, /readyz says 503.
  // Idle clients report through the pool; a client in the middle of a query emits 'error'
  // itself (its query fails too), and an unheard 'error' event would end the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withCallbackQueries(pool) }) });
  return { db, kind: 'postgres', ping: () => ping(db), close: () => db.destroy() };
}

/**
 * The pool as Kysely sees it, its clients' queries made through pg's callback API. Kysely calls
 * pg's promise API (client.query(sql, parameters)), whose results stayed reachable after the
 * query had ended, long enough to survive V8's young-generation collections: under load every
 * row read was copied into the old generation (about 2 MB a collection, the callback API
 * about 20 kB), a large part of a small answer's cost (npm run bench -- agencies).
 */
function withCallbackQueries(pool: pg.Pool): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    query: ((sqlOrCursor: string | object, parameters: unknown[] = []) =>
      typeof sqlOrCursor === 'string'
        ? new Promise<pg.QueryResult>((resolve, reject) => client.query(sqlOrCursor, parameters, (err, result) => (err ? reject(err) : resolve(result))))
        : client.query(sqlOrCursor as never)) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  });
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (!wrapped) clients.set(client, (wrapped = wrap(client)));
      return wrapped;
    },
    end: () => pool.end(),
  };
}

export async function connectPglite(dataDir: string | null): Promise<DatabaseHandle> {
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  let client;
  if (dataDir) {
    const folder = path.join(dataDir, 'pglite');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // The database holds encrypted tokens and every workspace's data: only this user may read it.
    await chmod(dataDir, 0o700);
    const umask = process.umask(0o077);
    try {
      client = await PGlite.create(folder);
    } finally {
      process.umask(umask);
    }
    await ownerOnly(folder);
  } else {
    client = await PGlite.create();
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(takingTurns(client)) });
  const close = async () => {
    await db.destroy();
    if (dataDir) await ownerOnly(path.join(dataDir, 'pglite')).catch(() => {});
  };
  return { db, kind: 'pglite', ping: () => ping(db), close };
}

/** Folders 0700 and files 0600 under `folder` (a data folder made before this rule, too). */
async function ownerOnly(folder: string): Promise<void> {
  await chmod(folder, 0o700);
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await ownerOnly(full);
    else if (entry.isFile()) await chmod(full, 0o600);
  }
}

/**
 * PGlite runs SQL inside this thread, and its queued queries follow each other as promise
 * callbacks: under load the queue can drain for seconds without the event loop reading a
 * socket, and a few connections then wait far longer than the rest (200 clients: some over
 * 10 s). Each query first lets the event loop take a turn, so every connection is served.
 */
export function takingTurns<T extends { query: (...args: any[]) => Promise<any>; close: () => Promise<void> }>(client: T): T {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return async (...args: unknown[]) => {
          await turn();
          return target.query(...args);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function ping(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
