import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { createApiClient, type ApiClient, type SessionSource } from '../api/api-client.ts';
import { describeError } from '../api/describe-error.ts';
import { healthStyles } from '../styles/health.styles.ts';
import { buttonStyles } from '../styles/button.styles.ts';
import { platformIcon, platformLabel } from '../styles/platforms.ts';

/**
 * @tagname connections-summary
 *
 * The "connected accounts" section of a host's overview page: the healthy and amber counts
 * and each account with its dot, every one linking to the connections page
 * (`panel-url?account=<id>`), amber first.
 *
 * @attr bff-url - the BFF's base URL
 * @attr panel-url - the host page that shows <connections-panel> (default: this page)
 * @csspart summary - the section
 * @cssprop --cp-font-family - the font
 * @cssprop --cp-text-color - text
 * @cssprop --cp-background - the element's background (white; dark in the dark scheme)
 * @cssprop --cp-muted-color - secondary text
 * @cssprop --cp-healthy-color - the healthy dot
 * @cssprop --cp-amber-color - the needs-reconnect dot
 */
export class ConnectionsSummary extends LitElement {
  static override styles = [
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

  @property({ attribute: 'bff-url' }) bffUrl = '';
  @property({ attribute: 'panel-url' }) panelUrl = '';
  /** A session token, or a function returning a fresh one (called again after a 401). */
  @property({ attribute: false }) session: SessionSource | null = null;
  /** Replaces the API client built from bff-url and session. */
  @property({ attribute: false }) api: ApiClient | null = null;

  private client: ApiClient | null = null;

  private accounts = new Task(this, {
    task: async ([client], { signal }) => (client ? client.listAccounts(signal) : null),
    args: () => [this.client] as const,
  });

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('api') || changed.has('bffUrl') || changed.has('session')) {
      this.client = this.api ?? (this.bffUrl && this.session ? createApiClient({ baseUrl: this.bffUrl, session: this.session }) : null);
    }
  }

  /** Reads the accounts again. */
  refresh(): void {
    void this.accounts.run();
  }

  override render() {
    return html`<section part="summary" aria-labelledby="title" aria-busy=${this.accounts.status === 1 ? 'true' : 'false'}>
      <h2 id="title"><a href=${this.link(null)}>Connected accounts</a></h2>
      ${this.accounts.render({
        initial: () => html`<p class="muted">Loading…</p>`,
        pending: () => html`<p class="muted">Loading…</p>`,
        error: (err) => html`<div role="alert"><p class="muted">${describeError(err)}</p><button @click=${() => this.refresh()}>Try again</button></div>`,
        complete: (accounts) => {
          if (!accounts) return html`<p class="muted">Loading…</p>`;
          if (accounts.length === 0) return html`<p class="muted">No accounts connected yet. <a href=${this.link(null)}>Connect one</a></p>`;
          const amber = accounts.filter((a) => a.health === 'needs_reconnect').length;
          return html`<p class="counts">
              <span class="healthy-count"><span class="dot" aria-hidden="true"></span>${accounts.length - amber} healthy</span>
              <span class="amber-count"><span class="dot amber" aria-hidden="true"></span>${amber} need${amber === 1 ? 's' : ''} reconnect</span>
            </p>
            <ul>
              ${accounts.map(
                (a) => html`<li>
                  <a href=${this.link(a.id)}>
                    <span class="dot ${a.health === 'needs_reconnect' ? 'amber' : ''}" aria-hidden="true"></span>
                    ${platformIcon(a.platform)}
                    <span class="name">${a.displayName}</span>
                    <span class="health">${platformLabel(a.platform)} · ${a.health === 'needs_reconnect' ? 'Needs reconnect' : 'Healthy'}</span>
                  </a>
                </li>`,
              )}
            </ul>`;
        },
      })}
    </section>`;
  }

  /** The panel's page, opening one account's panel when given. */
  private link(accountId: string | null): string {
    const url = new URL(this.panelUrl || window.location.href, document.baseURI);
    url.searchParams.delete('account');
    if (accountId) url.searchParams.set('account', accountId);
    return url.href;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'connections-summary': ConnectionsSummary;
  }
}
