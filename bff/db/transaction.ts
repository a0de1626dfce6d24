import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';

/** Runs work in one database transaction; services use it without touching Kysely themselves. */
export type InTransaction = <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

export function transactionRunner(db: Kysely<Database>): InTransaction {
  return (work) => db.transaction().execute(work);
}
