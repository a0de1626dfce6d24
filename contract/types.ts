/**
 * The static types of every wire shape, inferred from the schemas. Type-only: importing this
 * file costs a bundle nothing (`import type { Account } from '.../contract/types.ts'`).
 */
import type { z } from 'zod';
import type * as accounts from './schemas/accounts.ts';
import type * as workspaces from './schemas/workspaces.ts';
import type * as connections from './schemas/connections.ts';
import type * as events from './schemas/events.ts';
import type * as links from './schemas/links.ts';
import type * as operations from './schemas/operations.ts';
import type * as common from './schemas/common.ts';

export type ErrorBody = z.infer<typeof common.ErrorBody>;

export type Account = z.infer<typeof accounts.Account>;
export type AccountCounts = z.infer<typeof accounts.AccountCounts>;
export type AccountList = z.infer<typeof accounts.AccountList>;
export type AccountDetail = z.infer<typeof accounts.AccountDetail>;
export type RecentPost = z.infer<typeof accounts.RecentPost>;
export type TokenDebug = z.infer<typeof accounts.TokenDebug>;
export type Credentials = z.infer<typeof accounts.Credentials>;
export type Actor = z.infer<typeof accounts.Actor>;
export type HistoryEntry = z.infer<typeof accounts.HistoryEntry>;
export type HistoryPage = z.infer<typeof accounts.HistoryPage>;

export type Workspace = z.infer<typeof workspaces.Workspace>;
export type PutWorkspaceBody = z.infer<typeof workspaces.PutWorkspaceBody>;
export type CreateSessionBody = z.infer<typeof workspaces.CreateSessionBody>;
export type SessionCreated = z.infer<typeof workspaces.SessionCreated>;
export type ConnectKind = z.infer<typeof workspaces.ConnectKind>;
export type PlatformAvailability = z.infer<typeof workspaces.PlatformAvailability>;
export type PlatformsResponse = z.infer<typeof workspaces.PlatformsResponse>;

export type StartConnectionBody = z.infer<typeof connections.StartConnectionBody>;
export type StartReconnectionBody = z.infer<typeof connections.StartReconnectionBody>;
export type AttemptStarted = z.infer<typeof connections.AttemptStarted>;
export type Choice = z.infer<typeof connections.Choice>;
export type AttemptError = z.infer<typeof connections.AttemptError>;
export type AttemptStatusBody = z.infer<typeof connections.AttemptStatus>;
export type SelectAccountsBody = z.infer<typeof connections.SelectAccountsBody>;
export type OAuthMessage = z.infer<typeof connections.OAuthMessage>;

export type PublicEvent = z.infer<typeof events.Event>;
export type EventList = z.infer<typeof events.EventList>;
export type HealthCheckResult = z.infer<typeof events.HealthCheckResult>;
export type WebhookDelivery = z.infer<typeof events.WebhookDelivery>;

export type ReconnectLinkBody = z.infer<typeof links.ReconnectLinkBody>;
export type ConnectLinkBody = z.infer<typeof links.ConnectLinkBody>;
export type LinkCreated = z.infer<typeof links.LinkCreated>;
export type Link = z.infer<typeof links.Link>;
export type LinkList = z.infer<typeof links.LinkList>;

export type Readiness = z.infer<typeof operations.Readiness>;
export type Problem = z.infer<typeof operations.Problem>;

export type { EventType, EventParams } from './events.ts';
export type { ErrorCode, ErrorEntry } from './errors.ts';
export type { Platform, LivePlatform, AccountKind } from './platforms.ts';
export type { Plan, PlatformStatus } from './plans.ts';
export type { Health, Reason, AccountStatus, PausedReason, Role } from './health.ts';
export type { ConnectMode, AttemptStatus } from './oauth.ts';
export type { HistoryKind, ActorType, LinkKind, LinkStatus } from './history.ts';
