import type { Kysely, Transaction } from 'kysely';
import type { Database, SocialAccountRow } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Push signals received (so a replayed one is refused) and the accounts a signal is about. */
export class PushRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Remembers a signal; false when it was received before (a replay). */
  async recordReceipt(id: string, platform: string, at: Date, db: Db = this.db): Promise<boolean> {
    const row = await db.insertInto('push_receipts').values({ id, platform, received_at: at }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    return row !== undefined;
  }

  /** Connected accounts on these platforms whose grant is this person's (locked for the change). */
  accountsOfUser(platforms: readonly string[], userId: string, db: Db = this.db): Promise<SocialAccountRow[]> {
    return db
      .selectFrom('social_accounts')
      .selectAll()
      .where('platform', 'in', [...platforms])
      .where('disconnected_at', 'is', null)
      .where((eb) => eb.or([eb('platform_user_id', '=', userId), eb.and([eb('platform', '=', 'tiktok'), eb('platform_account_id', '=', userId)])]))
      .forUpdate()
      .execute();
  }
}
