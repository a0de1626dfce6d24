import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { encryptCredentials } from '../bff/accounts/credentials.ts';
import type { TokenCipher } from '../bff/crypto/token-cipher.ts';
import type { Database, NewSocialAccount } from '../bff/db/database.ts';
import { requiredScopesFor } from '../bff/platforms/catalog.ts';
import { LIVE_PLATFORMS, type AccountKind, type LivePlatform } from '../contract/platforms.ts';

const DAY_MS = 86_400_000;
const PLATFORMS = LIVE_PLATFORMS;
const SHAPES: Record<LivePlatform, { kind: AccountKind; connectMethod: string }> = {
  facebook: { kind: 'page', connectMethod: 'facebook_login' },
  instagram: { kind: 'professional', connectMethod: 'instagram_login' },
  tiktok: { kind: 'profile', connectMethod: 'oauth2' },
  x: { kind: 'profile', connectMethod: 'oauth2' },
  linkedin: { kind: 'organization', connectMethod: 'oauth2' },
};

/**
 * An account row as a completed grant stores it, tokens encrypted with the app's cipher (bound
 * to the row's id, as the insertAccount test helper does). The i-th of a workspace gets a
 * platform in turn; one in ten carries a refresh error. Not due for a check for an hour.
 */
export function accountRow(cipher: TokenCipher, workspaceId: string, i: number, now: Date, overrides: Partial<NewSocialAccount> = {}): NewSocialAccount {
  const platform = PLATFORMS[i % PLATFORMS.length]!;
  const id = overrides.id ?? randomUUID();
  const failing = i % 10 === 3;
  return {
    id,
    workspace_id: workspaceId,
    platform,
    platform_account_id: `bench-${i}`,
    kind: SHAPES[platform].kind,
    display_name: `Client ${i} ${['Bakery', 'Running Club', 'Studio', 'Dental', 'Books'][i % 5]}`,
    username: `client${i}`,
    avatar_url: `https://cdn.example/avatars/${i}.png`,
    granted_scopes: [...requiredScopesFor(platform, SHAPES[platform].kind, SHAPES[platform].connectMethod)],
    can_publish: true,
    connect_method: SHAPES[platform].connectMethod,
    connected_at: new Date(now.getTime() - 30 * DAY_MS),
    token_expires_at: new Date(now.getTime() + 50 * DAY_MS),
    last_refreshed_at: new Date(now.getTime() - DAY_MS),
    consecutive_refresh_failures: failing ? 3 : 0,
    last_error_code: failing ? 'server_error' : null,
    last_error_message: failing ? 'The platform answered HTTP 500.' : null,
    next_check_at: new Date(now.getTime() + 60 * 60_000),
    updated_at: now,
    ...overrides,
    ...encryptCredentials(cipher, id, { accessToken: `tok-${randomBytes(16).toString('hex')}`, refreshToken: `ref-${randomBytes(16).toString('hex')}` }),
  };
}

/** Inserts rows in multi-row statements of `batch` rows each. */
export async function insertAccounts(db: Kysely<Database>, rows: NewSocialAccount[], batch = 1_000): Promise<void> {
  for (let start = 0; start < rows.length; start += batch) {
    await db.insertInto('social_accounts').values(rows.slice(start, start + batch)).execute();
  }
}

export async function insertWorkspaces(db: Kysely<Database>, ids: string[], plan = 'enterprise', now = new Date()): Promise<void> {
  for (let start = 0; start < ids.length; start += 5_000) {
    await db
      .insertInto('workspaces')
      .values(ids.slice(start, start + 5_000).map((id) => ({ id, plan, created_at: now, updated_at: now })))
      .execute();
  }
}
