import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery } from 'kysely';
import type { Database } from '../bff/db/database.ts';

/**
 * The SQL a piece of application code sends, without a database: runs `use` against a Kysely
 * whose driver answers nothing and keeps the compiled queries. The benchmarks use it to run
 * exactly the repositories' statements (EXPLAIN, the throughput baseline).
 */
export async function capturedQueries(use: (db: Kysely<Database>) => Promise<unknown>): Promise<CompiledQuery[]> {
  const queries: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (event.level === 'query') queries.push(event.query);
    },
  });
  await use(db);
  await db.destroy();
  return queries;
}
