import { css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { createApiClient, type Account } from '../api/api-client.ts';
import { apiContext } from '../context/api-context.ts';
import { errorCode, errorHelp } from '../api/error-reference.ts';
import { AccountList } from '../controllers/account-list.ts';
import { hostUrl } from '../api/safe-url.ts';
import { CpAccountsChangedEvent } from '../events.ts';
import { currentLocale, direction, formatNumber, msg, plural, str } from '../i18n/i18n.ts';
import { describeError, healthWords } from '../i18n/messages.ts';
import { healthStyles } from '../styles/health.styles.ts';
import { buttonStyles } from '../styles/button.styles.ts';
import { platformIcon, platformLabel } from '../styles/platforms.ts';
import type { ConnectionsSummary } from './connections-summary.ts';

/** How <connections-summary> looks: loaded on demand by the element. */
export const styles = [
  buttonStyles,
  healthStyles,
  css`
    :host {
      display: block;
      font-family: var(--cp-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif);
      color: var(--cp-text-color, #1f2328);
      background: var(--cp-background, #fff);
    }
    h2 {
      margin: 0 0 0.5rem;
      font-size: 1rem;
    }
    .counts {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      margin: 0 0 0.5rem;
      font-size: 0.875rem;
    }
    .counts span {
      display: inline-flex;
      align-items: center;
      gap: 0.375rem;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.25rem;
    }
    h2 a {
      color: inherit;
    }
    li a {
      display: grid;
      grid-template-columns: auto auto minmax(0, 1fr);
      align-items: center;
      column-gap: 0.5rem;
      padding: 0.25rem 0;
      color: inherit;
      text-decoration: none;
    }
    li a .health {
      grid-column: 3;
    }
    a:hover .name {
      text-decoration: underline;
    }
    a:focus-visible {
      outline: 2px solid var(--cp-accent-color, #0969da);
      outline-offset: 2px;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .muted,
    .health {
      color: var(--cp-muted-color, #57606a);
      font-size: 0.8125rem;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        color: var(--cp-text-color, #e6edf3);
        background: var(--cp-background, #161b22);
      }
      .muted,
      .health {
        color: var(--cp-muted-color, #8b949e);
      }
    }
  `,
];

/** Sets the element going once it is on a page: its accounts, the client from context, and what keeps it current. */
export function connect(el: ConnectionsSummary): void {
  if (!el.list) {
    (el.renderRoot as ShadowRoot).adoptedStyleSheets = styles.map((s) => s.styleSheet!);
    el.list = new AccountList(el, () => el.client, () => undefined);
    // The client of a provider above it (a panel, or a host's own).
    new ContextConsumer(el, {
      context: apiContext,
      subscribe: true,
      callback: (client) => {
        el.contextClient = client ?? null;
        el.requestUpdate();
      },
    });
  }
  sync(el);
  // It follows a panel on the same page (its list may be only a page), the page coming back into view, and the clock.
  const onPanelRead = () => el.refresh();
  const onVisible = () => {
    if (document.visibilityState === 'visible') el.refresh();
  };
  window.addEventListener(CpAccountsChangedEvent.type, onPanelRead);
  document.addEventListener('visibilitychange', onVisible);
  const timer = setInterval(() => el.refresh(), el.refreshIntervalMs);
  el.stop = () => {
    window.removeEventListener(CpAccountsChangedEvent.type, onPanelRead);
    document.removeEventListener('visibilitychange', onVisible);
    clearInterval(timer);
  };
}

/** Its client: its `api`, else one built from `bff-url` and `session`, else the one in context. */
export function sync(el: ConnectionsSummary): void {
  if (!el.list) return;
  const next = el.api ?? (el.bffUrl && el.session ? build(el) : null) ?? el.contextClient;
  if (next === el.client) return;
  el.client = next;
  el.list.reset();
  if (next) void el.list.reload();
}

/** One client per bff-url and session (the element syncs on every update). */
const built = new WeakMap<ConnectionsSummary, { bffUrl: string; session: unknown; client: ReturnType<typeof createApiClient> }>();
function build(el: ConnectionsSummary) {
  const last = built.get(el);
  if (last && last.bffUrl === el.bffUrl && last.session === el.session) return last.client;
  const client = createApiClient({ baseUrl: el.bffUrl, session: el.session! });
  built.set(el, { bffUrl: el.bffUrl, session: el.session, client });
  return client;
}

/** The panel's page, opening one account's panel when given. */
function link(el: ConnectionsSummary, accountId: string | null): string {
  const url = new URL(hostUrl(el.panelUrl)?.href ?? window.location.href);
  url.searchParams.delete('account');
  if (accountId) url.searchParams.set('account', accountId);
  return url.href;
}

export function render(el: ConnectionsSummary) {
  const list = el.list;
  return html`<section part="summary" aria-labelledby="title" aria-busy=${list.loading ? 'true' : 'false'} dir=${direction()} lang=${currentLocale()}>
    <h2 id="title"><a href=${link(el, null)}>${msg('Connected accounts')}</a></h2>
    ${list.error
      ? html`<div role="alert"><p class="muted">${describeError(list.error)}${errorHelp(el.client?.baseUrl ?? (el.bffUrl || null), errorCode(list.error))}</p><button @click=${() => el.refresh()}>${msg('Try again')}</button></div>`
      : nothing}
    ${list.loaded ? renderList(el, list.accounts) : list.error ? nothing : html`<p class="muted">${msg('Loading…')}</p>`}
  </section>`;
}

function renderList(el: ConnectionsSummary, accounts: readonly Account[]) {
    if (accounts.length === 0) return html`<p class="muted">${msg('No accounts connected yet.')} <a href=${link(el, null)}>${msg('Connect one')}</a></p>`;
    const { total, needsReconnect: amber, paused } = el.list.counts;
    const healthy = total - amber - paused;
    const more = total - accounts.length;
    return html`<p class="counts">
        <span class="healthy-count"><span class="dot" aria-hidden="true"></span>${plural(healthy, 'summary-healthy', { one: str`${formatNumber(healthy)} healthy`, other: str`${formatNumber(healthy)} healthy` })}</span>
        <span class="amber-count"><span class="dot amber" aria-hidden="true"></span>${plural(amber, 'summary-amber', { one: str`${formatNumber(amber)} needs reconnect`, other: str`${formatNumber(amber)} need reconnect` })}</span>
        ${paused ? html`<span class="paused-count"><span class="dot paused" aria-hidden="true"></span>${plural(paused, 'summary-paused', { one: str`${formatNumber(paused)} paused`, other: str`${formatNumber(paused)} paused` })}</span>` : nothing}
      </p>
      <ul>
        ${accounts.map(
          (a) => html`<li>
            <a href=${link(el, a.id)}>
              <span class="dot ${a.status === 'paused' ? 'paused' : a.health === 'needs_reconnect' ? 'amber' : ''}" aria-hidden="true"></span>
              ${platformIcon(a.platform)}
              <span class="name">${a.displayName}</span>
              <span class="health">${platformLabel(a.platform)} · ${healthWords(a)}</span>
            </a>
          </li>`,
        )}
      </ul>
      ${more > 0 ? html`<p class="muted"><a href=${link(el, null)}>${plural(more, 'summary-more', { one: str`and ${formatNumber(more)} more`, other: str`and ${formatNumber(more)} more` })}</a></p>` : nothing}`;
  }

