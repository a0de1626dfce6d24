/**
 * The widget's entry: the npm import and the script-tag bundle (dist/connections-panel.js).
 * Every element is registered here, once.
 */
import { AccountCard } from './account-card/account-card.ts';
import { ConnectionsPanel } from './connections-panel/connections-panel.ts';
import { ConfirmDialog } from './confirm-dialog/confirm-dialog.ts';
import { AccountDetailPanel } from './account-detail/account-detail.ts';
import { define } from './define.ts';

define('cp-account-card', AccountCard);
define('cp-confirm-dialog', ConfirmDialog);
define('cp-account-detail', AccountDetailPanel);
define('connections-panel', ConnectionsPanel);

export { AccountCard, AccountDetailPanel, ConfirmDialog, ConnectionsPanel };
export { ApiError, createApiClient } from './api/api-client.ts';
export type { ApiClient, ApiClientOptions, SessionSource, ConnectMode, PlatformsResponse, StartConnectionRequest, AttemptStatus } from './api/api-client.ts';
export { CpAccountActionEvent, CpCreatePostEvent } from './events.ts';
