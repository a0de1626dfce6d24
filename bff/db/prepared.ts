import type { Compilable, CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Stands for the i-th argument while a prepared query is built. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query built and compiled by Kysely once, then run with each call's values in its
 * parameters: for the hot reads (a list's or a history's page), where building the query's
 * tree and compiling it again on every request was a measurable part of a small answer's cost
 * (npm run bench -- agencies). `build` receives placeholders for the arguments and must use
 * them only as values (in where, limit...), never to choose the query's shape: one shape per
 * prepared query (a variant, such as "with a cursor", is a query of its own). Its arguments
 * are the ones `build` declares after `db`.
 *
 * The SQL is compiled on the first run, by the Kysely instance that runs it (PostgreSQL and
 * PGlite compile alike, and a transaction compiles as its database does).
 */
export function prepared<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): (db: Db, ...args: A) => Promise<R[]> {
  const arity = build.length - 1;
  let compiled: { query: CompiledQuery<R>; slots: number[] } | undefined;
  return async (db, ...args) => {
    if (!compiled) {
      const query = build(db as Kysely<Database>, ...(Array.from({ length: arity }, (_, i) => new Slot(i)) as A)).compile();
      const slots = query.parameters.map((p) => (p instanceof Slot ? p.index : -1));
      if (new Set(slots.filter((s) => s >= 0)).size !== arity) throw new Error(`a prepared query must use each of its ${arity} arguments as a value: ${query.sql}`);
      compiled = { query, slots };
    }
    const { query, slots } = compiled;
    const parameters = slots.map((slot, i) => (slot < 0 ? query.parameters[i] : args[slot]));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
