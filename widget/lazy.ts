import { define } from './define.ts';

/**
 * The dialogs that only a click opens (details, the confirmation, the choice after OAuth,
 * "Reconnect all")
 * load on demand, each its own small module beside the script-tag bundle, and register
 * themselves here when they arrive. The panel fetches the details in the background once it
 * has shown its cards.
 */

/** Where "Reconnect all" keeps its queue while the redirect flow is away at the platform. */
export const RECONNECT_ALL_QUEUE = 'cp-reconnect-all';

const once = <T>(load: () => Promise<T>) => {
  let loading: Promise<T> | null = null;
  return () => (loading ??= load().catch((err) => ((loading = null), Promise.reject(err))));
};

export const loadAccountDetail = once(async () => {
  const { AccountDetailPanel } = await import('./account-detail/account-detail.ts');
  define('cp-account-detail', AccountDetailPanel);
});

export const loadChoiceDialog = once(async () => {
  const { ChoiceDialog } = await import('./choice-dialog/choice-dialog.ts');
  define('cp-choice-dialog', ChoiceDialog);
});

export const loadReconnectAll = once(async () => {
  const { ReconnectAllDialog } = await import('./reconnect-all/reconnect-all.ts');
  define('cp-reconnect-all', ReconnectAllDialog);
});

export const loadConfirmDialog = once(async () => {
  const { ConfirmDialog } = await import('./confirm-dialog/confirm-dialog.ts');
  define('cp-confirm-dialog', ConfirmDialog);
});

/** The panel's filter bar: only lists long enough to need it load it. */
export const loadFilters = once(() => import('./connections-panel/filters.ts'));

/** Pull down to refresh, for touch screens. */
export const loadPullToRefresh = once(() => import('./controllers/pull-to-refresh.ts'));

/** A card's "More actions" menu: placing it and its keys. */
export const loadCardMenu = once(() => import('./account-card/card-menu.ts'));
