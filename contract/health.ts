/** An account's health: green or amber. */
export const HEALTHS = ['healthy', 'needs_reconnect'] as const;
export type Health = (typeof HEALTHS)[number];

/** Why an account is amber, in priority order: when several apply, the first one is the reason. */
export const REASONS = ['token_expired', 'token_revoked', 'missing_permissions', 'refresh_failed', 'publish_unavailable'] as const;
export type Reason = (typeof REASONS)[number];

/** Active, or paused because the workspace's plan no longer covers it (SPEC "Plan downgrade"). */
export const ACCOUNT_STATUSES = ['active', 'paused'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const PAUSED_REASONS = ['plan_platform', 'plan_limit'] as const;
export type PausedReason = (typeof PAUSED_REASONS)[number];

/** Session roles: admins also see the token debug panel and can make reconnect links. */
export const ROLES = ['member', 'admin'] as const;
export type Role = (typeof ROLES)[number];
