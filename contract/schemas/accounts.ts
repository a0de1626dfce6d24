import { z } from 'zod';
import { ACCOUNT_KINDS, LIVE_PLATFORMS } from '../platforms.ts';
import { ACCOUNT_STATUSES, HEALTHS, PAUSED_REASONS, REASONS } from '../health.ts';
import { ACTOR_TYPES, HISTORY_KINDS } from '../history.ts';
import { Cursor, DateTime, Uuid } from './common.ts';

export const Platform = z.enum(LIVE_PLATFORMS);
export const AccountKind = z.enum(ACCOUNT_KINDS);

export const Account = z
  .strictObject({
    id: Uuid,
    platform: Platform,
    kind: AccountKind,
    displayName: z.string(),
    username: z.string().nullable(),
    avatarUrl: z.string().nullable().describe('An https: picture URL (anything else is dropped).'),
    health: z.enum(HEALTHS),
    reason: z.enum(REASONS).nullable().describe('The first that applies, in this order; null when healthy.'),
    reasonMessage: z.string().nullable().describe('The reason in words for people (names missing scopes).'),
    reasonParams: z
      .strictObject({ scopes: z.array(z.string()).optional().describe('missing_permissions: the required scopes the grant lacks.') })
      .describe('What the reason message is built from, to say it in another language.'),
    canPublish: z.boolean().describe('Whether a post can be published to it now: false whenever it is amber or paused.'),
    connectedAt: DateTime,
    lastRefreshedAt: DateTime.nullable(),
    tokenExpiresAt: DateTime.nullable(),
    checkedAt: DateTime.nullable().describe('When the platform last confirmed these facts.'),
    actionNeededBy: DateTime.nullable().describe('When a person must reconnect it if nothing renews it; null while the BFF can renew it by itself.'),
    status: z.enum(ACCOUNT_STATUSES),
    pausedReason: z.enum(PAUSED_REASONS).nullable(),
    lastError: z
      .strictObject({ code: z.string(), message: z.string() })
      .nullable()
      .describe('The last connection error the platform gave, for "Fix with AI Support".'),
  })
  .meta({ id: 'Account', description: 'An account as the widget and the host see it in a list.' });

export const AccountCounts = z
  .strictObject({
    total: z.int().min(0),
    needsReconnect: z.int().min(0),
    paused: z.int().min(0),
  })
  .meta({ id: 'AccountCounts', description: 'Counts over the whole workspace, whatever page was asked for.' });

export const AccountList = z
  .strictObject({
    accounts: z.array(Account).describe('Amber first, then by platform, then by name.'),
    cursor: Cursor.nullable().describe('Pass as `after` for the next page; null when there is none.'),
    counts: AccountCounts,
  })
  .meta({ id: 'AccountList' });

export const AccountListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).optional().describe('A page of at most this many; without it, every account.'),
  after: Cursor.optional(),
});

export const RecentPost = z
  .strictObject({
    id: z.string(),
    message: z.string().nullable(),
    permalinkUrl: z.string().nullable(),
    mediaUrl: z.string().nullable(),
    publishedAt: DateTime.nullable(),
    metrics: z.record(z.string(), z.number()),
  })
  .meta({ id: 'RecentPost' });

export const TokenDebug = z
  .strictObject({
    grantedScopes: z.array(z.string()),
    missingScopes: z.array(z.string()),
    requiredScopes: z.array(z.string()),
    tokenExpiresAt: DateTime.nullable(),
    refreshTokenExpiresAt: DateTime.nullable(),
    dataAccessExpiresAt: DateTime.nullable(),
    connectMethod: z.string(),
    consecutiveRefreshFailures: z.int().min(0),
  })
  .meta({ id: 'TokenDebug', description: 'The token debug panel: admin sessions only.' });

export const AccountDetail = Account.extend({
  platformAccountId: z.string().describe("The account's id at its platform (the Page id, the user id, the organization URN's number)."),
  recentPosts: z.array(RecentPost).nullable().describe('Facebook and Instagram; null elsewhere.'),
  debug: TokenDebug.optional(),
}).meta({ id: 'AccountDetail', description: 'An account with its details; `debug` only for admin sessions.' });

export const AccountDetailResponse = z.strictObject({ account: AccountDetail }).meta({ id: 'AccountDetailResponse' });

export const Credentials = z
  .strictObject({
    accessToken: z.string(),
    expiresAt: DateTime.nullable(),
    platform: Platform,
    platformAccountId: z.string(),
  })
  .meta({ id: 'Credentials', description: 'Sent with Cache-Control: no-store.' });

export const Actor = z
  .strictObject({
    type: z.enum(ACTOR_TYPES),
    id: z.string().nullable(),
    name: z.string().nullable(),
  })
  .meta({ id: 'Actor', description: 'Who made a change: a person in the panel (user), the owner through a link, the platform, the BFF itself (system) or the host.' });

export const HistoryEntry = z
  .strictObject({
    id: z.string().regex(/^[0-9]+$/),
    accountId: Uuid,
    at: DateTime,
    kind: z.enum(HISTORY_KINDS),
    message: z.string(),
    actor: Actor.nullable(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
  })
  .meta({ id: 'HistoryEntry', description: 'One change to an account. Nothing secret is ever in an entry.' });

export const HistoryPage = z
  .strictObject({
    entries: z.array(HistoryEntry),
    cursor: Cursor.nullable().describe('Pass as `after` for the next page; null when there is none.'),
  })
  .meta({ id: 'HistoryPage' });

export const PageQuery = z.strictObject({ after: Cursor.optional() });
