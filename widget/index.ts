/**
 * The widget's entry: the npm import and the script-tag bundle (dist/connections-panel.js).
 * Elements are registered in one place, widget/elements.ts.
 */
import { defineElements } from './elements.ts';

defineElements();

export { AccountCard } from './account-card/account-card.ts';
export { ConnectionsPanel } from './connections-panel/connections-panel.ts';
export { ConnectionsSummary } from './connections-summary/connections-summary.ts';
// Loaded on demand (their own modules): types only here, so they stay out of the bundle.
export type { AccountDetailPanel } from './account-detail/account-detail.ts';
export type { ChoiceDialog } from './choice-dialog/choice-dialog.ts';
export type { ConfirmDialog } from './confirm-dialog/confirm-dialog.ts';
export type { ReconnectAllDialog } from './reconnect-all/reconnect-all.ts';
export { ApiError, createApiClient } from './api/api-client.ts';
export { apiContext } from './context/api-context.ts';
export { LOCALES, type Locale } from './i18n/i18n.ts';
export type {
  Account,
  AccountCounts,
  AccountDetail,
  AccountPage,
  AttemptResult,
  HistoryEntry,
  HistoryPage,
  PublicEvent,
  ApiClient,
  ApiClientOptions,
  SessionSource,
  ConnectMode,
  PlatformsResponse,
  ReconnectLink,
  StartConnectionRequest,
  AttemptStatus,
} from './api/api-client.ts';
export { CpAccountActionEvent, CpAccountsChangedEvent, CpCreatePostEvent } from './events.ts';
