/**
 * The widget's entry: the npm import and the script-tag bundle (dist/connections-panel.js).
 * Every element is registered here, once.
 */
import { AccountCard } from './account-card/account-card.ts';
import { ConnectionsPanel } from './connections-panel/connections-panel.ts';
import { ConfirmDialog } from './confirm-dialog/confirm-dialog.ts';
import { AccountDetailPanel } from './account-detail/account-detail.ts';
import { ChoiceDialog } from './choice-dialog/choice-dialog.ts';
import { ConnectionsSummary } from './connections-summary/connections-summary.ts';
import { define } from './define.ts';

define('cp-account-card', AccountCard);
define('cp-confirm-dialog', ConfirmDialog);
define('cp-account-detail', AccountDetailPanel);
define('cp-choice-dialog', ChoiceDialog);
define('connections-panel', ConnectionsPanel);
define('connections-summary', ConnectionsSummary);

export { AccountCard, AccountDetailPanel, ChoiceDialog, ConfirmDialog, ConnectionsPanel, ConnectionsSummary };
export { ApiError, createApiClient } from './api/api-client.ts';
export type { Account, AccountDetail, AttemptResult, PublicEvent, ApiClient, ApiClientOptions, SessionSource, ConnectMode, PlatformsResponse, StartConnectionRequest, AttemptStatus } from './api/api-client.ts';
export { CpAccountActionEvent, CpAccountsChangedEvent, CpCreatePostEvent } from './events.ts';
