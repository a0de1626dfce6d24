import { AccountCard } from './account-card/account-card.ts';
import { ConnectionsPanel } from './connections-panel/connections-panel.ts';
import { ConnectionsSummary } from './connections-summary/connections-summary.ts';
import { define } from './define.ts';

/**
 * Every element is registered here, once: what the first screen shows, in the script-tag
 * bundle; the dialogs that only a click opens load on demand (widget/lazy.ts).
 */
export function defineElements(): void {
  define('cp-account-card', AccountCard);
  define('connections-panel', ConnectionsPanel);
  define('connections-summary', ConnectionsSummary);
}
