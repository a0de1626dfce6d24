import type { Clock } from '../clock.ts';
import type { PostRow, SocialAccountRow } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import { isLivePlatform, isMetaPlatform, requiredScopesFor, type AccountKind, type LivePlatform } from '../platforms/catalog.ts';
import type { Role } from '../sessions/sessions.ts';
import type { InTransaction } from '../db/transaction.ts';
import type { EventService } from '../events/events.ts';
import type { Logger } from '../logger.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { HealthEvents } from './health-events.ts';
import type { GrantedAccount } from '../platforms/adapter.ts';
import { decryptCredentials, encryptCredentials } from './credentials.ts';
import { nextCheckAt } from '../refresh/policy.ts';
import { randomUUID } from 'node:crypto';
import type { AccountRepository, ListedAccountRow } from './account.repository.ts';
import { deriveHealth, reasonMessage, type Health, type HealthFacts, type HealthResult, type Reason } from './health.ts';

/** An account as the widget and the host see it in a list. */
export interface Account {
  id: string;
  platform: string;
  kind: string;
  displayName: string;
  username: string | null;
  avatarUrl: string | null;
  health: Health;
  reason: Reason | null;
  reasonMessage: string | null;
  canPublish: boolean;
  connectedAt: string;
  lastRefreshedAt: string | null;
  tokenExpiresAt: string | null;
  /** The last connection error the platform gave, for "Fix with AI Support". */
  lastError: { code: string; message: string } | null;
}

export interface RecentPost {
  id: string;
  message: string | null;
  permalinkUrl: string | null;
  mediaUrl: string | null;
  publishedAt: string | null;
  metrics: Record<string, number>;
}

/** Only admin sessions see this: the token debug panel. */
export interface TokenDebug {
  grantedScopes: string[];
  missingScopes: string[];
  requiredScopes: string[];
  tokenExpiresAt: string | null;
  refreshTokenExpiresAt: string | null;
  dataAccessExpiresAt: string | null;
  connectMethod: string;
  consecutiveRefreshFailures: number;
}

export interface AccountDetail extends Account {
  /** The account's id at its platform (the Page id, the user id, the organization URN's number). */
  platformAccountId: string;
  /** Recent posts for Facebook and Instagram; null on platforms that have none to show. */
  recentPosts: RecentPost[] | null;
  debug?: TokenDebug;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const date = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

export function healthFacts(row: ListedAccountRow): HealthFacts {
  const platform = row.platform;
  return {
    tokenExpiresAt: date(row.token_expires_at),
    hasRefreshToken: row.refresh_token_enc !== null,
    refreshTokenExpiresAt: date(row.refresh_token_expires_at),
    dataAccessExpiresAt: date(row.data_access_expires_at),
    grantedScopes: row.granted_scopes,
    requiredScopes: isLivePlatform(platform) ? requiredScopesFor(platform, row.kind as AccountKind, row.connect_method) : [],
    consecutiveRefreshFailures: row.consecutive_refresh_failures,
    lastErrorCode: row.last_error_code,
    canPublish: row.can_publish,
  };
}

export function accountHealth(row: ListedAccountRow, now: Date): HealthResult {
  return deriveHealth(healthFacts(row), now);
}

export function toAccount(row: ListedAccountRow, now: Date): Account {
  const { health, reason, missingScopes } = accountHealth(row, now);
  return {
    id: row.id,
    platform: row.platform,
    kind: row.kind,
    displayName: row.display_name,
    username: row.username,
    avatarUrl: row.avatar_url,
    health,
    reason,
    reasonMessage: reasonMessage(reason, missingScopes),
    canPublish: row.can_publish,
    connectedAt: iso(row.connected_at)!,
    lastRefreshedAt: iso(row.last_refreshed_at),
    tokenExpiresAt: iso(row.token_expires_at),
    lastError: row.last_error_code ? { code: row.last_error_code, message: row.last_error_message ?? row.last_error_code } : null,
  };
}

// One collator for every comparison: localeCompare with options builds a new one per call,
// which made sorting a 200-account list the costliest part of GET /api/accounts (npm run bench).
const byName = new Intl.Collator('en', { sensitivity: 'base' });

/** Amber first (they need attention before scheduled posts fail), then platform, then name. */
export function compareAccounts(a: Account, b: Account): number {
  if (a.health !== b.health) return a.health === 'needs_reconnect' ? -1 : 1;
  if (a.platform !== b.platform) return a.platform < b.platform ? -1 : 1;
  return byName.compare(a.displayName, b.displayName) || a.id.localeCompare(b.id);
}

function toRecentPost(row: PostRow): RecentPost {
  return {
    id: row.platform_post_id,
    message: row.message,
    permalinkUrl: row.permalink_url,
    mediaUrl: row.media_url,
    publishedAt: iso(row.published_at),
    metrics: row.metrics ?? {},
  };
}

export const RECENT_POSTS_SHOWN = 10;

/** Revokes an account's grant at its platform; best effort, called before credentials are deleted. */
export type RevokeAtPlatform = (row: SocialAccountRow) => Promise<void>;

export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly events: EventService,
    private readonly inTransaction: InTransaction,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly revokeAtPlatform: RevokeAtPlatform | null = null,
    private readonly cipher: TokenCipher | null = null,
    private readonly healthEvents: HealthEvents | null = null,
  ) {}

  /**
   * Stores an account a grant covers: a new row, the same row restored after a disconnect
   * (with its posts), or the same row reconnected. Tokens, scopes and capability are
   * replaced and errors cleared; a stored refresh token is never replaced by an empty one.
   * Writes account_connected, or account_reconnected for an account that was connected.
   */
  async saveGranted(workspaceId: string, platform: LivePlatform, granted: GrantedAccount, trx: Transaction<Database>): Promise<SocialAccountRow> {
    if (!this.cipher) throw new Error('AccountService needs a cipher to store credentials');
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
      disconnected_at: null,
      updated_at: now,
    };
    const row = existing
      ? await this.accounts.update(id, { ...columns, ...(wasActive ? {} : { connected_at: now }) }, trx)
      : await this.accounts.insert({ id, workspace_id: workspaceId, platform, platform_account_id: granted.platformAccountId, connected_at: now, ...columns }, trx);
    const type = wasActive ? 'account_reconnected' : 'account_connected';
    await this.events.record({ workspaceId, accountId: id, type, accountName: row.display_name, dedupeKey: `${type}:${id}:${now.toISOString()}`, at: now }, trx);
    // Connected amber (declined scopes, no publish capability): say so. Green again after a
    // reconnect: the reconnect event already says it.
    await this.healthEvents?.record(row, trx, { announceRecovery: false });
    return (await this.accounts.findById(id, trx)) ?? row;
  }

  async list(workspaceId: string): Promise<Account[]> {
    const now = this.clock.now();
    const rows = await this.accounts.listForDisplay(workspaceId);
    return rows.map((row) => toAccount(row, now)).sort(compareAccounts);
  }

  /** Another workspace's account is as unknown as one that never existed. */
  async requireActive(workspaceId: string, id: string): Promise<SocialAccountRow> {
    const row = await this.accounts.findActive(workspaceId, id);
    if (!row) throw new HttpError(404, 'account_not_found', 'No connected account with this id in your workspace.');
    return row;
  }

  async detail(workspaceId: string, id: string, role: Role): Promise<AccountDetail> {
    const row = await this.requireActive(workspaceId, id);
    const now = this.clock.now();
    const account = toAccount(row, now);
    const recentPosts = isMetaPlatform(row.platform) ? (await this.accounts.recentPosts(row.id, RECENT_POSTS_SHOWN)).map(toRecentPost) : null;
    const detail: AccountDetail = { ...account, platformAccountId: row.platform_account_id, recentPosts };
    if (role === 'admin') {
      const facts = healthFacts(row);
      detail.debug = {
        grantedScopes: [...row.granted_scopes],
        missingScopes: accountHealth(row, now).missingScopes,
        requiredScopes: [...facts.requiredScopes],
        tokenExpiresAt: iso(row.token_expires_at),
        refreshTokenExpiresAt: iso(row.refresh_token_expires_at),
        dataAccessExpiresAt: iso(row.data_access_expires_at),
        connectMethod: row.connect_method,
        consecutiveRefreshFailures: row.consecutive_refresh_failures,
      };
    }
    return detail;
  }

  /**
   * Pages (and Instagram accounts reached through them) connected from one Facebook sign-in
   * share that person's grant: revoking it for one would cut off the others. True when another
   * connected account in the workspace holds the same user token.
   */
  private async sharesGrant(row: SocialAccountRow): Promise<boolean> {
    if (row.connect_method !== 'facebook_login' || !this.cipher || row.refresh_token_enc === null) return false;
    const mine = decryptCredentials(this.cipher, row).refreshToken;
    const others = (await this.accounts.listActive(row.workspace_id)).filter((r) => r.id !== row.id && r.connect_method === 'facebook_login' && r.refresh_token_enc !== null);
    return others.some((other) => decryptCredentials(this.cipher!, other).refreshToken === mine);
  }

  /**
   * Revokes at the platform where it can (a failure there does not stop the disconnect),
   * deletes the stored credentials and hides the account. Its posts stay.
   */
  async disconnect(workspaceId: string, id: string): Promise<void> {
    const row = await this.requireActive(workspaceId, id);
    if (this.revokeAtPlatform && row.access_token_enc && !(await this.sharesGrant(row))) {
      try {
        await this.revokeAtPlatform(row);
      } catch (err) {
        this.logger.warn({ accountId: row.id, platform: row.platform, err: (err as Error).message }, 'revoking at the platform failed; disconnecting anyway');
      }
    }
    const now = this.clock.now();
    const gone = await this.inTransaction(async (trx) => {
      const updated = await this.accounts.disconnect(workspaceId, id, now, trx);
      if (updated) {
        await this.events.record(
          { workspaceId, accountId: id, type: 'account_disconnected', accountName: updated.display_name, dedupeKey: `account_disconnected:${id}:${now.toISOString()}`, at: now },
          trx,
        );
      }
      return updated;
    });
    if (!gone) throw new HttpError(404, 'account_not_found', 'No connected account with this id in your workspace.');
  }
}
