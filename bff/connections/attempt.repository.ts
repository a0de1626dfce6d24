import type { Kysely, Transaction } from 'kysely';
import type { Database, OAuthAttemptRow, OAuthAttemptTable } from '../db/database.ts';
import type { Insertable, Updateable } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

/** The only place that reads and writes OAuth attempts. */
export class AttemptRepository {
  constructor(private readonly db: Kysely<Database>) {}

  insert(row: Insertable<OAuthAttemptTable>, db: Db = this.db): Promise<OAuthAttemptRow> {
    return db.insertInto('oauth_attempts').values(row).returningAll().executeTakeFirstOrThrow();
  }

  findById(id: string, db: Db = this.db): Promise<OAuthAttemptRow | undefined> {
    return db.selectFrom('oauth_attempts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByStateHash(stateHash: string): Promise<OAuthAttemptRow | undefined> {
    return this.db.selectFrom('oauth_attempts').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
  }

  /** The newest started, unanswered attempts among these ids (for redirects that carry no state). */
  findLatestStarted(ids: string[], platform: string): Promise<OAuthAttemptRow | undefined> {
    if (ids.length === 0) return Promise.resolve(undefined);
    return this.db
      .selectFrom('oauth_attempts')
      .selectAll()
      .where('id', 'in', ids)
      .where('platform', '=', platform)
      .where('started_at', 'is not', null)
      .where('state_used_at', 'is', null)
      .orderBy('started_at', 'desc')
      .executeTakeFirst();
  }

  /** Marks the one-time start link used; only the first browser to open it gets the attempt. */
  markStarted(id: string, changes: Updateable<OAuthAttemptTable>, db: Db = this.db): Promise<OAuthAttemptRow | undefined> {
    return db
      .updateTable('oauth_attempts')
      .set(changes)
      .where('id', '=', id)
      .where('started_at', 'is', null)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
  }

  /** Consumes the state: single use, so a replayed callback finds nothing. */
  consumeState(id: string, at: Date, db: Db = this.db): Promise<OAuthAttemptRow | undefined> {
    return db
      .updateTable('oauth_attempts')
      .set({ state_used_at: at, updated_at: at })
      .where('id', '=', id)
      .where('state_used_at', 'is', null)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Settles an attempt that is still in `from`: the conditional update is the one place an
   * attempt ends, so of concurrent callers (two choices posted at once) exactly one gets the
   * row back and the others nothing.
   */
  settle(id: string, from: 'pending' | 'choose', changes: Updateable<OAuthAttemptTable>, db: Db = this.db): Promise<OAuthAttemptRow | undefined> {
    return db.updateTable('oauth_attempts').set(changes).where('id', '=', id).where('status', '=', from).returningAll().executeTakeFirst();
  }

  update(id: string, changes: Updateable<OAuthAttemptTable>, db: Db = this.db): Promise<OAuthAttemptRow> {
    return db.updateTable('oauth_attempts').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }
}
