import { sql, type Kysely, type Transaction } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { Database, NewSocialAccount, PostRow, SocialAccountRow, SocialAccountUpdate } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The columns an account in the widget's list is made of (its fields and its health): the list reads no others. */
export const LISTED_COLUMNS = [
  'id',
  'platform',
  'kind',
  'display_name',
  'username',
  'avatar_url',
  'refresh_token_enc',
  'token_expires_at',
  'refresh_token_expires_at',
  'data_access_expires_at',
  'granted_scopes',
  'can_publish',
  'connect_method',
  'connected_at',
  'last_refreshed_at',
  'consecutive_refresh_failures',
  'last_error_code',
  'last_error_message',
  'checked_at',
  'status',
  'paused_reason',
] as const;

export type ListedAccountRow = Pick<SocialAccountRow, (typeof LISTED_COLUMNS)[number]>;

/** What the plan's pausing and resuming reads of an account. */
export type PlanAccountRow = Pick<SocialAccountRow, 'id' | 'platform' | 'connected_at' | 'status' | 'paused_reason' | 'display_name'>;

const listed = prepared((db, workspaceId: string) => db.selectFrom('social_accounts').select(LISTED_COLUMNS).where('workspace_id', '=', workspaceId).where('disconnected_at', 'is', null));

/** The only place that reads and writes social accounts and their posts. */
export class AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  listActive(workspaceId: string, db: Db = this.db): Promise<SocialAccountRow[]> {
    return db.selectFrom('social_accounts').selectAll().where('workspace_id', '=', workspaceId).where('disconnected_at', 'is', null).execute();
  }

  /** The workspace's accounts for a list: only the columns it shows (no ciphertexts of access tokens, leases or bookkeeping). */
  listForDisplay(workspaceId: string, db: Db = this.db): Promise<ListedAccountRow[]> {
    return listed(db, workspaceId);
  }

  findActive(workspaceId: string, id: string, db: Db = this.db): Promise<SocialAccountRow | undefined> {
    return db
      .selectFrom('social_accounts')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .where('disconnected_at', 'is', null)
      .executeTakeFirst();
  }

  findById(id: string, db: Db = this.db): Promise<SocialAccountRow | undefined> {
    return db.selectFrom('social_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Any row for this platform account in the workspace, disconnected ones included. */
  findByPlatformAccount(workspaceId: string, platform: string, platformAccountId: string, db: Db = this.db): Promise<SocialAccountRow | undefined> {
    return db
      .selectFrom('social_accounts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('platform', '=', platform)
      .where('platform_account_id', '=', platformAccountId)
      .executeTakeFirst();
  }

  /** Connected accounts that count against the plan: active ones (paused ones are over it already). */
  async countActive(workspaceId: string, db: Db = this.db): Promise<number> {
    return this.#count(workspaceId, 'active', db);
  }

  async countPaused(workspaceId: string, db: Db = this.db): Promise<number> {
    return this.#count(workspaceId, 'paused', db);
  }

  async #count(workspaceId: string, status: 'active' | 'paused', db: Db): Promise<number> {
    const row = await db
      .selectFrom('social_accounts')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('workspace_id', '=', workspaceId)
      .where('disconnected_at', 'is', null)
      .where('status', '=', status)
      .executeTakeFirstOrThrow();
    // pg answers bigint as text, PGlite as a number.
    return Number(row.count);
  }

  /** The workspace's connected accounts, active and paused, for fitting them to the plan. */
  listForPlan(workspaceId: string, db: Db = this.db): Promise<PlanAccountRow[]> {
    return db
      .selectFrom('social_accounts')
      .select(['id', 'platform', 'connected_at', 'status', 'paused_reason', 'display_name'])
      .where('workspace_id', '=', workspaceId)
      .where('disconnected_at', 'is', null)
      .orderBy('connected_at')
      .orderBy('id')
      .execute();
  }

  /** Pauses an account for the plan (with why), or makes it active again. */
  async setPlanStatus(id: string, status: 'active' | 'paused', reason: string | null, now: Date, db: Db = this.db): Promise<void> {
    await db
      .updateTable('social_accounts')
      .set({ status, paused_reason: reason, paused_at: status === 'paused' ? now : null, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  insert(row: NewSocialAccount, db: Db = this.db): Promise<SocialAccountRow> {
    return db.insertInto('social_accounts').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: SocialAccountUpdate, db: Db = this.db): Promise<SocialAccountRow> {
    return db.updateTable('social_accounts').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * Hides the account and forgets its credentials; the row stays (with its posts) so a later
   * connect of the same platform account restores its history. Returns null if it was
   * already gone.
   */
  disconnect(workspaceId: string, id: string, now: Date, db: Db = this.db): Promise<SocialAccountRow | undefined> {
    return db
      .updateTable('social_accounts')
      .set({
        disconnected_at: now,
        access_token_enc: null,
        refresh_token_enc: null,
        token_key_id: null,
        lease_owner: null,
        lease_expires_at: null,
        next_check_at: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .where('disconnected_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  recentPosts(accountId: string, limit: number, db: Db = this.db): Promise<PostRow[]> {
    return db
      .selectFrom('posts')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy(sql`published_at desc nulls last`)
      .orderBy('platform_post_id', 'desc')
      .limit(limit)
      .execute();
  }

  countPosts(accountId: string, db: Db = this.db): Promise<number> {
    return db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.count));
  }

  /** Keeps what the platform says about recent posts; a post seen again gets fresh metrics. */
  async upsertPosts(
    accountId: string,
    posts: { id: string; platformPostId: string; message: string | null; permalinkUrl: string | null; mediaUrl: string | null; publishedAt: Date | null; metrics: Record<string, number> }[],
    now: Date,
    db: Db = this.db,
  ): Promise<void> {
    if (posts.length === 0) return;
    await db
      .insertInto('posts')
      .values(
        posts.map((p) => ({
          id: p.id,
          account_id: accountId,
          platform_post_id: p.platformPostId,
          message: p.message,
          permalink_url: p.permalinkUrl,
          media_url: p.mediaUrl,
          published_at: p.publishedAt,
          metrics: JSON.stringify(p.metrics),
          fetched_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['account_id', 'platform_post_id']).doUpdateSet((eb) => ({
          message: eb.ref('excluded.message'),
          permalink_url: eb.ref('excluded.permalink_url'),
          media_url: eb.ref('excluded.media_url'),
          published_at: eb.ref('excluded.published_at'),
          metrics: eb.ref('excluded.metrics'),
          fetched_at: eb.ref('excluded.fetched_at'),
        })),
      )
      .execute();
  }

  /** Accounts whose tokens are encrypted with a key other than the given one. */
  listEncryptedWithOtherKey(keyId: string, limit: number, db: Db = this.db): Promise<Pick<SocialAccountRow, 'id' | 'token_key_id' | 'access_token_enc' | 'refresh_token_enc'>[]> {
    return db
      .selectFrom('social_accounts')
      .select(['id', 'token_key_id', 'access_token_enc', 'refresh_token_enc'])
      .where('token_key_id', 'is not', null)
      .where('token_key_id', '!=', keyId)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /**
   * Takes the account's refresh lease if nobody holds it (or the holder's ran out): the lock
   * that keeps two refreshes of one account from ever running at once, across instances.
   * Returns the row as it is now, or undefined when someone else holds the lease.
   */
  claimLease(id: string, owner: string, now: Date, until: Date, db: Db = this.db): Promise<SocialAccountRow | undefined> {
    return db
      .updateTable('social_accounts')
      .set({ lease_owner: owner, lease_expires_at: until })
      .where('id', '=', id)
      .where('disconnected_at', 'is', null)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
      .returningAll()
      .executeTakeFirst();
  }

  /** Writes a refresh's result only while the lease is still ours, and lets go of it. */
  completeLease(id: string, owner: string, changes: SocialAccountUpdate, db: Db = this.db): Promise<SocialAccountRow | undefined> {
    return db
      .updateTable('social_accounts')
      .set({ ...changes, lease_owner: null, lease_expires_at: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .returningAll()
      .executeTakeFirst();
  }

  findActiveById(id: string, db: Db = this.db): Promise<SocialAccountRow | undefined> {
    return db.selectFrom('social_accounts').selectAll().where('id', '=', id).where('disconnected_at', 'is', null).executeTakeFirst();
  }

  /**
   * Claims up to `limit` accounts whose check is due, with a lease each, skipping rows another
   * instance has locked or leased: concurrent schedulers get disjoint accounts.
   */
  claimDue(owner: string, dueBy: Date, leaseNow: Date, leaseUntil: Date, limit: number): Promise<SocialAccountRow[]> {
    return this.db
      .updateTable('social_accounts')
      .set({ lease_owner: owner, lease_expires_at: leaseUntil })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('social_accounts')
          .select('id')
          .where('disconnected_at', 'is', null)
          .where('next_check_at', '<=', dueBy)
          .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', leaseNow)]))
          .orderBy('next_check_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  /** Accounts whose credentials lapse before `before` and that were not warned about it yet. */
  listExpiryCandidates(before: Date, limit: number, db: Db = this.db): Promise<SocialAccountRow[]> {
    return db
      .selectFrom('social_accounts')
      .selectAll()
      .where('disconnected_at', 'is', null)
      .where('expiry_warned_at', 'is', null)
      .where('access_token_enc', 'is not', null)
      .where((eb) => eb.or([eb('data_access_expires_at', '<=', before), eb('refresh_token_expires_at', '<=', before), eb('token_expires_at', '<=', before)]))
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Marks the account warned, once: false when another instance did it first. */
  async markExpiryWarned(id: string, at: Date, db: Db = this.db): Promise<boolean> {
    const row = await db.updateTable('social_accounts').set({ expiry_warned_at: at }).where('id', '=', id).where('expiry_warned_at', 'is', null).returning('id').executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Records the health an event was written for, only if nobody recorded a change since
   * `from`: of several instances noticing one change, exactly one wins and writes the event.
   */
  markNotified(id: string, from: { health: string | null; reason: string | null }, to: { health: string; reason: string | null }, db: Db = this.db): Promise<SocialAccountRow | undefined> {
    return db
      .updateTable('social_accounts')
      .set({ notified_health: to.health, notified_reason: to.reason })
      .where('id', '=', id)
      .where('notified_health', 'is not distinct from', from.health)
      .where('notified_reason', 'is not distinct from', from.reason)
      .returningAll()
      .executeTakeFirst();
  }
}
