/**
 * An account as people see it: its stored row turned into the contract's Account (with the
 * health derived from its facts), and the order lists show accounts in.
 */
import type { Account, AccountDetail, RecentPost } from '../../contract/types.ts';
import { isLivePlatform, type AccountKind } from '../../contract/platforms.ts';
import type { AccountStatus, PausedReason } from '../../contract/health.ts';
import type { PostRow, SocialAccountRow } from '../db/database.ts';
import { isoString } from '../iso.ts';
import { requiredScopesFor } from '../platforms/catalog.ts';
import type { ListedAccountRow } from './account.repository.ts';
import { actionNeededBy, deriveHealth, reasonMessage, type HealthFacts, type HealthResult } from './health.ts';

const iso = (d: Date | string | null): string | null => (d === null ? null : isoString(d instanceof Date ? d : new Date(d)));
/** The row's date as a Date (pg already gives one; nothing here changes it, so it is not copied: 5,000 rows a list). */
const date = (d: Date | string | null): Date | null => (d === null ? null : d instanceof Date ? d : new Date(d));

export function healthFacts(row: ListedAccountRow): HealthFacts {
  const platform = row.platform;
  return {
    platform,
    connectMethod: row.connect_method,
    tokenExpiresAt: date(row.token_expires_at),
    hasRefreshToken: row.refresh_token_enc !== null,
    refreshTokenExpiresAt: date(row.refresh_token_expires_at),
    dataAccessExpiresAt: date(row.data_access_expires_at),
    grantedScopes: row.granted_scopes,
    requiredScopes: isLivePlatform(platform) ? requiredScopesFor(platform, row.kind as AccountKind, row.connect_method) : [],
    consecutiveRefreshFailures: row.consecutive_refresh_failures,
    lastErrorCode: row.last_error_code,
    canPublish: row.can_publish,
    checkedAt: date(row.checked_at),
  };
}

export function accountHealth(row: ListedAccountRow, now: Date): HealthResult {
  return deriveHealth(healthFacts(row), now);
}

export function toAccount(row: ListedAccountRow, now: Date): Account {
  const facts = healthFacts(row);
  const { health, reason, missingScopes } = deriveHealth(facts, now);
  const status = row.status as AccountStatus;
  return {
    id: row.id,
    platform: row.platform as Account['platform'],
    kind: row.kind as AccountKind,
    displayName: row.display_name,
    username: row.username,
    avatarUrl: row.avatar_url,
    health,
    reason,
    reasonMessage: reasonMessage(reason, missingScopes),
    reasonParams: reason === 'missing_permissions' ? { scopes: missingScopes } : {},
    // An amber or paused account can never receive a post, whatever its platform says.
    canPublish: row.can_publish && health === 'healthy' && status === 'active',
    connectedAt: iso(row.connected_at)!,
    lastRefreshedAt: iso(row.last_refreshed_at),
    tokenExpiresAt: iso(row.token_expires_at),
    checkedAt: iso(row.checked_at),
    actionNeededBy: iso(actionNeededBy(facts, now)),
    status,
    pausedReason: (row.paused_reason as PausedReason | null) ?? null,
    lastError: row.last_error_code ? { code: row.last_error_code, message: row.last_error_message ?? row.last_error_code } : null,
  };
}

// One collator for every comparison: localeCompare with options builds a new one per call,
// which made sorting a 200-account list the costliest part of GET /api/accounts (npm run bench).
const byName = new Intl.Collator('en', { sensitivity: 'base' });

/** Amber first (they need attention before scheduled posts fail), then platform, then name. */
export function compareAccounts(a: Pick<Account, 'health' | 'platform' | 'displayName' | 'id'>, b: Pick<Account, 'health' | 'platform' | 'displayName' | 'id'>): number {
  if (a.health !== b.health) return a.health === 'needs_reconnect' ? -1 : 1;
  if (a.platform !== b.platform) return a.platform < b.platform ? -1 : 1;
  return byName.compare(a.displayName, b.displayName) || a.id.localeCompare(b.id);
}

export function toRecentPost(row: PostRow): RecentPost {
  return {
    id: row.platform_post_id,
    message: row.message,
    permalinkUrl: row.permalink_url,
    mediaUrl: row.media_url,
    publishedAt: iso(row.published_at),
    metrics: row.metrics ?? {},
  };
}

/** An account with its details; the token debug panel only for admins. */
export function toAccountDetail(row: SocialAccountRow, now: Date, posts: PostRow[] | null, withDebug: boolean): AccountDetail {
  const detail: AccountDetail = { ...toAccount(row, now), platformAccountId: row.platform_account_id, recentPosts: posts ? posts.map(toRecentPost) : null };
  if (withDebug) {
    const facts = healthFacts(row);
    detail.debug = {
      grantedScopes: [...row.granted_scopes],
      missingScopes: deriveHealth(facts, now).missingScopes,
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

export type { Account, AccountDetail };
