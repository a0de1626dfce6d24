import { css, html } from 'lit';
import type { Account, PlatformsResponse } from '../api/api-client.ts';
import { msg } from '../i18n/i18n.ts';
import { platformLabel } from '../styles/platforms.ts';
import type { ConnectionsPanel, HealthFilter } from './connections-panel.ts';

/** The filter bar's looks: added to the panel's styles when this module arrives. */
export const filterStyles = css`
  .filter {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem 0.75rem;
    margin-block-end: 0.75rem;
    font-size: 0.875rem;
  }
  .filter label {
    display: grid;
    gap: 0.125rem;
  }
  .filter label:first-child {
    flex: 1 1 12rem;
  }
  .filter input,
  .filter select {
    font: inherit;
    padding: 0.375rem 0.5rem;
    border-radius: 0.5rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    background: var(--cp-card-background, #fff);
    color: inherit;
  }
  .filter input:focus-visible,
  .filter select:focus-visible {
    outline: 2px solid var(--cp-accent-color, #0969da);
    outline-offset: 2px;
  }
  @media (prefers-color-scheme: dark) {
    .filter input,
    .filter select {
      background: var(--cp-card-background, #161b22);
      border-color: var(--cp-border-color, #30363d);
    }
  }
`;

/** The panel's filter bar (health, platform, name), loaded on demand for lists long enough to need it. */
export function renderFilters(panel: ConnectionsPanel, accountPlatforms: readonly string[], platformsData: PlatformsResponse | null) {
  const f = panel.filters;
  const platforms = [...new Set([...accountPlatforms, ...(platformsData?.platforms.filter((p) => p.status === 'available').map((p) => p.platform) ?? [])])];
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

/** Whether an account matches the filters (its name, @username or platform; its health; its platform). */
export function matches(a: Account, needle: string, health: HealthFilter, platform: string): boolean {
  if (platform && a.platform !== platform) return false;
  const paused = a.status === 'paused';
  if (health === 'paused' && !paused) return false;
  if (health === 'attention' && (paused || a.health !== 'needs_reconnect')) return false;
  if (health === 'healthy' && (paused || a.health !== 'healthy')) return false;
  if (!needle) return true;
  return (
    a.displayName.toLowerCase().includes(needle) ||
    (a.username ?? '').toLowerCase().includes(needle.replace(/^@/, '')) ||
    platformLabel(a.platform).toLowerCase().includes(needle)
  );
}
