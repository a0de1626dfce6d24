/**
 * The events a state change writes (shown as toasts, sent as webhooks), with their English
 * texts. Each event also carries its `params`, so the widget can say it in any language; in
 * English these texts are the product's exact words.
 */

export interface EventParams {
  /** The account's display name. */
  name: string;
  /** For token_expiring: whole days left. */
  days?: number;
}

const days = (n: number | undefined) => `${n ?? 0} day${n === 1 ? '' : 's'}`;

export const EVENT_TEXTS = {
  token_refreshed: (p: EventParams) => `Access token refreshed for ${p.name}`,
  reconnect_required: (p: EventParams) => `Please reconnect ${p.name}`,
  token_expired: (p: EventParams) => `${p.name} expired. Please reconnect.`,
  token_expiring: (p: EventParams) => `${p.name} needs reconnecting within ${days(p.days)}`,
  account_connected: (p: EventParams) => `${p.name} connected`,
  account_reconnected: (p: EventParams) => `${p.name} reconnected`,
  account_recovered: (p: EventParams) => `${p.name} is healthy again`,
  account_disconnected: (p: EventParams) => `${p.name} disconnected`,
  account_paused: (p: EventParams) => `${p.name} is paused: it is over your plan`,
  account_resumed: (p: EventParams) => `${p.name} is active again`,
  reconnect_link_used: (p: EventParams) => `${p.name} was reconnected through a link`,
} as const satisfies Record<string, (p: EventParams) => string>;

export type EventType = keyof typeof EVENT_TEXTS;
export const EVENT_TYPES = Object.keys(EVENT_TEXTS) as EventType[];

/** Events about an account that needs a person: their toasts stay until acted on or dismissed. */
export const WARNING_EVENTS: readonly EventType[] = ['reconnect_required', 'token_expired', 'token_expiring'];
