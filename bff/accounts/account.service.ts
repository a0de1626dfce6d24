import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Account, AccountList, HistoryPage } from '../../contract/types.ts';
import { isMetaPlatform } from '../platforms/catalog.ts';
import type { LivePlatform } from '../../contract/platforms.ts';
import type { Role } from '../../contract/health.ts';
import type { Clock } from '../clock.ts';
import type { Database, SocialAccountRow } from '../db/database.ts';
import type { InTransaction } from '../db/transaction.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import { Failure } from '../errors.ts';
import { decodeCursor, encodeCursor, firstInOrder } from '../paging.ts';
import type { EventService } from '../events/events.ts';
import { scopeChange, type Actor, type HistoryService } from '../history/history.service.ts';
import type { Logger } from '../logger.ts';
import type { GrantedAccount } from '../platforms/adapter.ts';
import { nextCheckAt } from '../refresh/policy.ts';
import type { AccountRepository } from './account.repository.ts';
import { accountHealth, compareAccounts, toAccount, toAccountDetail, type AccountDetail } from './account.view.ts';
import { decryptCredentials, encryptCredentials } from './credentials.ts';
import type { HealthEvents } from './health-events.ts';
import type { PlanEnforcer } from '../plans/pausing.ts';
import type { WorkspaceRepository } from '../workspaces/workspace.repository.ts';

export const RECENT_POSTS_SHOWN = 10;
const ACCOUNT_CURSOR = 'acct';

/** Revokes an account's grant at its platform; best effort, called before credentials are deleted. */
export type RevokeAtPlatform = (row: SocialAccountRow) => Promise<void>;

export interface AccountServiceDeps {
  accounts: AccountRepository;
  events: EventService;
  history: HistoryService;
  healthEvents: HealthEvents;
  inTransaction: InTransaction;
  clock: Clock;
  logger: Logger;
  cipher: TokenCipher;
  revokeAtPlatform: RevokeAtPlatform;
  /** Resumes paused accounts when a disconnect makes room (under the workspace's lock). */
  plan: { enforcer: PlanEnforcer; workspaces: WorkspaceRepository };
}

export class AccountService {
  private readonly accounts: AccountRepository;
  private readonly events: EventService;
  private readonly inTransaction: InTransaction;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly cipher: TokenCipher;

  constructor(private readonly deps: AccountServiceDeps) {
    this.accounts = deps.accounts;
    this.events = deps.events;
    this.inTransaction = deps.inTransaction;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.cipher = deps.cipher;
  }

  /**
   * Stores an account a grant covers: a new row, the same row restored after a disconnect
   * (with its posts), or the same row reconnected. Tokens, scopes and capability are
   * replaced and errors cleared; a stored refresh token is never replaced by an empty one.
   * Writes account_connected, or account_reconnected for an account that was connected.
   */
  async saveGranted(workspaceId: string, platform: LivePlatform, granted: GrantedAccount, trx: Transaction<Database>, actor: Actor | null = null, via: 'panel' | 'link' | null = null): Promise<SocialAccountRow> {
    const now = this.clock.now();
    const existing = await this.accounts.findByPlatformAccount(workspaceId, platform, granted.platformAccountId, trx);
    const id = existing?.id ?? randomUUID();
    const wasActive = existing !== undefined && existing.disconnected_at === null;
    const stored = existing && wasActive ? decryptCredentials(this.cipher, existing) : { accessToken: null, refreshToken: null };
    const keepRefresh = granted.tokens.refreshToken === null && stored.refreshToken !== null;
    const columns = {
      kind: granted.kind,
      display_name: granted.displayName,
      username: granted.username,
      avatar_url: granted.avatarUrl,
      ...encryptCredentials(this.cipher, id, {
        accessToken: granted.tokens.accessToken,
        refreshToken: keepRefresh ? stored.refreshToken : granted.tokens.refreshToken,
      }),
      token_expires_at: granted.tokens.expiresAt,
      refresh_token_expires_at: keepRefresh ? (existing?.refresh_token_expires_at ?? null) : granted.tokens.refreshTokenExpiresAt,
      data_access_expires_at: granted.dataAccessExpiresAt,
      granted_scopes: granted.grantedScopes,
      can_publish: granted.canPublish,
      connect_method: granted.connectMethod,
      consecutive_refresh_failures: 0,
      last_error_code: null,
      last_error_message: null,
      last_error_at: null,
      next_check_at: nextCheckAt({ platform: platform, tokenExpiresAt: granted.tokens.expiresAt, now }),
      // The platform just confirmed every fact of this account.
      checked_at: now,
      platform_user_id: granted.grantUserId ?? existing?.platform_user_id ?? null,
      expiry_warned_at: null,
      disconnected_at: null,
      updated_at: now,
    };
    const row = existing
      ? await this.accounts.update(id, { ...columns, ...(wasActive ? {} : { connected_at: now, status: 'active', paused_reason: null, paused_at: null }) }, trx)
      : await this.accounts.insert({ id, workspace_id: workspaceId, platform, platform_account_id: granted.platformAccountId, connected_at: now, ...columns }, trx);
    const type = wasActive ? 'account_reconnected' : 'account_connected';
    await this.events.record({ workspaceId, accountId: id, type, accountName: row.display_name, dedupeKey: `${type}:${id}:${now.toISOString()}`, at: now }, trx);
    await this.deps.history.record(
      {
        workspaceId,
        accountId: id,
        kind: wasActive ? 'reconnected' : 'connected',
        at: now,
        actor,
        params: { as: granted.username ? `@${granted.username}` : granted.displayName, by: actor?.name ?? actor?.id ?? null, ...(via ? { via } : {}), ...(existing && wasActive ? scopeChange(existing.granted_scopes, granted.grantedScopes) : {}) },
      },
      trx,
    );
    // Connected amber (declined scopes, no publish capability): say so. Green again after a
    // reconnect: the reconnect event already says it.
    await this.deps.healthEvents.record(row, trx, { announceRecovery: false });
    return (await this.accounts.findById(id, trx)) ?? row;
  }

  /**
   * The workspace's accounts, amber first, with the counts over all of them; a page of
   * `limit` after the cursor's account when asked (the cursor names the last account of the
   * page before: the next page starts after where it sorts now, so an account that changed
   * meanwhile is neither lost nor, by id, shown twice by the widget).
   */
  async list(workspaceId: string, page: { limit?: number; after?: string } = {}): Promise<AccountList> {
    const now = this.clock.now();
    const rows = await this.accounts.listForDisplay(workspaceId);
    // Every account's health orders the list and counts, but only the page's accounts are
    // turned into the contract's Account (dates, messages), and only the page is put in order:
    // a 5,000-account workspace's first page builds and sorts 50 of them, not 5,000
    // (npm run bench -- agencies).
    const listed = rows.map((row) => ({ id: row.id, platform: row.platform as Account['platform'], displayName: row.display_name, health: accountHealth(row, now).health, row }));
    const counts = { total: listed.length, needsReconnect: 0, paused: 0 };
    for (const a of listed) {
      if (a.row.status === 'paused') counts.paused++;
      else if (a.health === 'needs_reconnect') counts.needsReconnect++;
    }
    let rest = listed;
    if (page.after !== undefined) {
      const anchorId = decodeCursor(ACCOUNT_CURSOR, page.after);
      let anchor: Parameters<typeof compareAccounts>[0] | undefined = listed.find((a) => a.id === anchorId);
      if (!anchor) {
        const gone = await this.accounts.findById(anchorId);
        if (!gone || gone.workspace_id !== workspaceId) throw new Failure('invalid_cursor', 'The "after" cursor is not one this API gave out.');
        anchor = toAccount(gone, now);
      }
      rest = listed.filter((a) => compareAccounts(a, anchor) > 0);
    }
    const slice = firstInOrder(rest, page.limit ?? rest.length, compareAccounts);
    const more = slice.length < rest.length;
    return { accounts: slice.map((a) => toAccount(a.row, now)), cursor: more && slice.length > 0 ? encodeCursor(ACCOUNT_CURSOR, slice.at(-1)!.id) : null, counts };
  }

  /** The account's timeline, newest first (another workspace's account is not found). */
  async history(workspaceId: string, id: string, after: string | undefined): Promise<HistoryPage> {
    // One query in the common case: entries of this workspace prove the account is its own.
    // Only an empty page needs to ask whether the account exists at all.
    const page = await this.deps.history.page(workspaceId, id, after);
    if (page.entries.length === 0) await this.requireActive(workspaceId, id);
    return page;
  }

  /** Another workspace's account is as unknown as one that never existed. */
  async requireActive(workspaceId: string, id: string): Promise<SocialAccountRow> {
    const row = await this.accounts.findActive(workspaceId, id);
    if (!row) throw new Failure('account_not_found');
    return row;
  }

  async detail(workspaceId: string, id: string, role: Role): Promise<AccountDetail> {
    const row = await this.requireActive(workspaceId, id);
    const posts = isMetaPlatform(row.platform) ? await this.accounts.recentPosts(row.id, RECENT_POSTS_SHOWN) : null;
    return toAccountDetail(row, this.clock.now(), posts, role === 'admin');
  }

  /**
   * Pages (and Instagram accounts reached through them) connected from one Facebook sign-in
   * share that person's grant: revoking it for one would cut off the others. True when another
   * connected account in the workspace holds the same user token.
   */
  private async sharesGrant(row: SocialAccountRow): Promise<boolean> {
    if (row.connect_method !== 'facebook_login' || row.refresh_token_enc === null) return false;
    const mine = decryptCredentials(this.cipher, row).refreshToken;
    const others = (await this.accounts.listActive(row.workspace_id)).filter((r) => r.id !== row.id && r.connect_method === 'facebook_login' && r.refresh_token_enc !== null);
    return others.some((other) => decryptCredentials(this.cipher, other).refreshToken === mine);
  }

  /**
   * Revokes at the platform where it can (a failure there does not stop the disconnect),
   * deletes the stored credentials and hides the account. Its posts stay.
   */
  async disconnect(workspaceId: string, id: string, actor: Actor | null = null): Promise<void> {
    const row = await this.requireActive(workspaceId, id);
    if (row.access_token_enc && !(await this.sharesGrant(row))) {
      try {
        await this.deps.revokeAtPlatform(row);
      } catch (err) {
        this.logger.warn({ accountId: row.id, platform: row.platform, err: (err as Error).message }, 'revoking at the platform failed; disconnecting anyway');
      }
    }
    const now = this.clock.now();
    const gone = await this.inTransaction(async (trx) => {
      const workspace = await this.deps.plan.workspaces.lockForUpdate(workspaceId, trx);
      const updated = await this.accounts.disconnect(workspaceId, id, now, trx);
      if (updated) {
        await this.events.record(
          { workspaceId, accountId: id, type: 'account_disconnected', accountName: updated.display_name, dedupeKey: `account_disconnected:${id}:${now.toISOString()}`, at: now },
          trx,
        );
        await this.deps.history.record({ workspaceId, accountId: id, kind: 'disconnected', at: now, actor, params: { by: actor?.name ?? actor?.id ?? null } }, trx);
        // The room it leaves lets a paused account become active again by itself.
        if (workspace && updated.status === 'active') await this.deps.plan.enforcer.reconcile(workspace, trx);
      }
      return updated;
    });
    if (!gone) throw new Failure('account_not_found');
  }
}

