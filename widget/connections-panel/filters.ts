import { html } from 'lit';
import type { Account, PlatformsResponse } from '../api/api-client.ts';
import { msg } from '../i18n/i18n.ts';
import { platformLabel } from '../styles/platforms.ts';
import type { ConnectionsPanel, HealthFilter } from './connections-panel.ts';

/** The platforms a list has accounts on (once per list read, not per render: lists run to thousands). */
const seen = new WeakMap<readonly Account[], string[]>();
function platformsOf(accounts: readonly Account[]): string[] {
  let found = seen.get(accounts);
  if (!found) seen.set(accounts, (found = [...new Set(accounts.map((a) => a.platform))]));
  return found;
}

/** The panel's filter bar (health, platform, name), loaded on demand for lists long enough to need it. */
export function renderFilters(panel: ConnectionsPanel, accounts: readonly Account[], platformsData: PlatformsResponse | null) {
  const f = panel.filters;
  const platforms = [...new Set([...platformsOf(accounts), ...(platformsData?.platforms.filter((p) => p.status === 'available').map((p) => p.platform) ?? [])])];
  return html`<div class="filter" role="search">
    <label>
      <span>${msg('Find an account')}</span>
      <input id="cp-filter" type="search" autocomplete="off" placeholder=${msg('Name, @username or platform')} .value=${f.text} @input=${(e: Event) => panel.setFilter((e.target as HTMLInputElement).value)} />
    </label>
    <label>
      <span>${msg('Health')}</span>
      <select id="cp-health" .value=${f.health} @change=${(e: Event) => panel.setHealthFilter((e.target as HTMLSelectElement).value as HealthFilter)}>
        <option value="all" ?selected=${f.health === 'all'}>${msg('All')}</option>
        <option value="attention" ?selected=${f.health === 'attention'}>${msg('Needs reconnect')}</option>
        <option value="healthy" ?selected=${f.health === 'healthy'}>${msg('Healthy')}</option>
        <option value="paused" ?selected=${f.health === 'paused'}>${msg('Paused')}</option>
      </select>
    </label>
    <label>
      <span>${msg('Platform')}</span>
      <select id="cp-platform" .value=${f.platform} @change=${(e: Event) => panel.setPlatformFilter((e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${f.platform === ''}>${msg('All')}</option>
        ${platforms.map((p) => html`<option value=${p} ?selected=${f.platform === p}>${platformLabel(p)}</option>`)}
      </select>
    </label>
  </div>`;
}

