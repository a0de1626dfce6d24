import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps: written as Date, read back as Date from both pg and PGlite. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface WorkspaceTable {
  id: string;
  name: string | null;
  plan: string;
  /** Overrides the plan's account limit; null keeps the plan's. */
  account_limit: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SocialAccountTable {
  id: string;
  workspace_id: string;
  platform: string;
  platform_account_id: string;
  kind: string;
  display_name: string;
  username: string | null;
  avatar_url: string | null;
  /** AES-256-GCM ciphertexts; both written with the key named by token_key_id. */
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  token_key_id: string | null;
  token_expires_at: Timestamp | null;
  refresh_token_expires_at: Timestamp | null;
  data_access_expires_at: Timestamp | null;
  granted_scopes: ColumnType<string[], string[], string[]>;
  can_publish: boolean;
  connect_method: string;
  connected_at: Timestamp;
  last_refreshed_at: Timestamp | null;
  consecutive_refresh_failures: ColumnType<number, number | undefined, number>;
  last_error_code: string | null;
  last_error_message: string | null;
  last_error_at: Timestamp | null;
  /** When the scheduler should next look at this account (refresh or health check). */
  next_check_at: Timestamp | null;
  /** A refresh lease: only its owner may refresh until it runs out. */
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  /** The health an event was last written for, so each change writes exactly one. */
  notified_health: string | null;
  notified_reason: string | null;
  disconnected_at: Timestamp | null;
  /** When the platform last confirmed the account's facts (a verification or a refresh). */
  checked_at: Timestamp | null;
  /** The platform's id of the person whose grant this account rides on (one Meta grant covers several Pages). */
  platform_user_id: string | null;
  /** When token_expiring was written for the current credentials (once per lapse). */
  expiry_warned_at: Timestamp | null;
  status: ColumnType<string, string | undefined, string>;
  /** Why it is paused (plan_platform, plan_limit); null while active. */
  paused_reason: string | null;
  paused_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AccountHistoryTable {
  id: Generated<string>;
  workspace_id: string;
  account_id: string;
  at: Timestamp;
  kind: string;
  message: string;
  actor: ColumnType<{ type: string; id: string | null; name: string | null } | null, string | null, string | null>;
  params: ColumnType<Record<string, unknown>, string, string>;
}

export interface PushReceiptTable {
  id: string;
  platform: string;
  received_at: Timestamp;
}

export interface PostTable {
  id: string;
  account_id: string;
  platform_post_id: string;
  message: string | null;
  permalink_url: string | null;
  media_url: string | null;
  published_at: Timestamp | null;
  metrics: ColumnType<Record<string, number>, string, string>;
  fetched_at: Timestamp;
}

export interface OAuthAttemptTable {
  id: string;
  workspace_id: string;
  user_id: string;
  /** The session (jti) that started it. */
  session_id: string;
  platform: string;
  /** Set when the attempt reconnects an existing account. */
  account_id: string | null;
  /** The connect flow (LinkedIn `member` / `organization`); null: the platform's default. */
  kind: ColumnType<string | null, string | null | undefined, string | null>;
  mode: string;
  return_to: string | null;
  /** The host page's origin, the only one the callback page posts its result to. */
  opener_origin: string | null;
  /** Hash of the one-time token in the authorize URL the widget gets. */
  start_token_hash: string;
  /** When a browser opened the authorize URL (and was bound to the attempt). */
  started_at: Timestamp | null;
  /** Hashes only: the state and the browser-binding cookie are never stored in the clear. */
  state_hash: string | null;
  browser_binding_hash: string | null;
  code_verifier_enc: string | null;
  /** The grant held between the callback and the choice of Pages / accounts, encrypted. */
  grant_enc: string | null;
  key_id: string | null;
  status: string;
  choices: ColumnType<unknown[] | null, string | null, string | null>;
  account_ids: ColumnType<string[] | null, string[] | null, string[] | null>;
  /** Set when the attempt was started from a reconnect or connect link. */
  link_id: ColumnType<string | null, string | null | undefined, string | null>;
  error_code: string | null;
  error_message: string | null;
  expires_at: Timestamp;
  state_used_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EventTable {
  id: Generated<string>;
  workspace_id: string;
  account_id: string | null;
  type: string;
  message: string;
  /** What the message is built from ({ name, days? }). */
  params: ColumnType<Record<string, string | number>, string | undefined, string>;
  /** Makes a second write of the same state change a no-op. */
  dedupe_key: string;
  created_at: Timestamp;
}

export interface WebhookDeliveryTable {
  id: string;
  event_id: string;
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  delivered_at: Timestamp | null;
  created_at: CreatedAt;
}

/** A reconnect or connect link (SPEC "Agencies"); its secret is a signature, never stored. */
export interface LinkTable {
  id: string;
  workspace_id: string;
  kind: string;
  /** The account a reconnect link is for; null for a connect link. */
  account_id: string | null;
  /** The platform a connect link is for; null lets the person choose (a reconnect link: its account's). */
  platform: string | null;
  return_to: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  /** The accounts its use connected or reconnected. */
  account_ids: ColumnType<string[] | null, string[] | null, string[] | null>;
}

export interface Database {
  links: LinkTable;
  workspaces: WorkspaceTable;
  social_accounts: SocialAccountTable;
  posts: PostTable;
  oauth_attempts: OAuthAttemptTable;
  events: EventTable;
  webhook_deliveries: WebhookDeliveryTable;
  account_history: AccountHistoryTable;
  push_receipts: PushReceiptTable;
}

export type WorkspaceRow = Selectable<WorkspaceTable>;
export type SocialAccountRow = Selectable<SocialAccountTable>;
export type NewSocialAccount = Insertable<SocialAccountTable>;
export type SocialAccountUpdate = Updateable<SocialAccountTable>;
export type PostRow = Selectable<PostTable>;
export type OAuthAttemptRow = Selectable<OAuthAttemptTable>;
export type EventRow = Selectable<EventTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type AccountHistoryRow = Selectable<AccountHistoryTable>;
export type LinkRow = Selectable<LinkTable>;
