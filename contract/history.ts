/** What an account's history records: every change, as it happens (SPEC "Agencies"). */
export const HISTORY_KINDS = [
  'connected',
  'reconnected',
  'refreshed',
  'refresh_uncertain',
  'verification_failed',
  'revoked',
  'scopes_changed',
  'expiring',
  'paused',
  'resumed',
  'disconnected',
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** Who made a change: a person in the panel, the owner through a link, the platform, or the BFF itself. */
export const ACTOR_TYPES = ['user', 'link', 'platform', 'system', 'host'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Links a host sends to the people who own accounts. */
export const LINK_KINDS = ['reconnect', 'connect'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
export const LINK_STATUSES = ['open', 'used', 'expired'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** What an entry was built from: plain values only, never a token. */
export type HistoryParams = Record<string, string | number | boolean | null | string[]>;

const list = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.join(', ') : 'none');
const by = (p: HistoryParams) => (typeof p['by'] === 'string' && p['by'] ? ` by ${p['by']}` : '');
const via = (p: HistoryParams) => (p['via'] === 'link' ? ' through a reconnect link' : p['via'] === 'panel' ? ' from the connections page' : '');

/** The English text of each kind of entry; the widget says the same in other languages from `kind` + `params`. */
export const HISTORY_TEXTS: Readonly<Record<HistoryKind, (p: HistoryParams) => string>> = {
  connected: (p) => `Connected${by(p)}${via(p)}`,
  reconnected: (p) => `Reconnected${by(p)}${typeof p['as'] === 'string' ? ` as ${p['as']}` : ''}${via(p)}`,
  refreshed: () => 'Access token refreshed',
  refresh_uncertain: () => 'A token refresh got no answer; the platform may have renewed the token. It will be checked before it is used',
  verification_failed: (p) =>
    `${p['permanent'] ? 'The platform rejected the account' : 'The platform could not be checked (it will be tried again)'}${typeof p['code'] === 'string' ? ` (${p['code']})` : ''}`,
  revoked: (p) => `Access was revoked at the platform${p['signal'] === 'push' ? ' (the platform told us)' : p['signal'] === 'verification' ? ' (found when checking)' : ''}`,
  scopes_changed: (p) => `Permissions changed: granted ${list(p['added'])}; removed ${list(p['removed'])}`,
  expiring: (p) => `Needs reconnecting within ${p['days'] ?? '?'} day${p['days'] === 1 ? '' : 's'}`,
  paused: (p) => `Paused: ${p['reason'] === 'plan_platform' ? 'the plan does not include this platform' : 'it is over the plan\'s account limit'}`,
  resumed: () => 'Active again: the plan allows it',
  disconnected: (p) => `Disconnected${by(p)}`,
};
