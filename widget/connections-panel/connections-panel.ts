import { LitElement, html } from 'lit';
import { property } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { Task } from '@lit/task';
import { createApiClient, type ApiClient, type SessionSource } from '../api/api-client.ts';
import { apiContext } from '../context/api-context.ts';
import { CpCreatePostEvent } from '../events.ts';
import { connectionsPanelStyles } from './connections-panel.styles.ts';

/**
 * The connections page, embeddable: a workspace's social accounts as cards, amber first.
 *
 * @attr bff-url - the BFF's base URL
 * @attr composer-url - the host's composer; Create post opens it with ?social_account_id=<id>
 * @attr support-url - the host's support page, for "Fix with AI Support"
 * @attr upgrade-url - the host's plans page, for upgrade prompts
 * @fires cp-create-post - cancelable; cancel it to open the composer yourself
 * @fires cp-account-action - a card asked for details, reconnect or disconnect
 * @cssprop --cp-font-family
 * @cssprop --cp-text-color
 * @cssprop --cp-border-color
 * @cssprop --cp-radius
 */
export class ConnectionsPanel extends LitElement {
  static override styles = connectionsPanelStyles;

  @property({ attribute: 'bff-url' }) bffUrl = '';
  @property({ attribute: 'composer-url' }) composerUrl = '';
  @property({ attribute: 'support-url' }) supportUrl = '';
  @property({ attribute: 'upgrade-url' }) upgradeUrl = '';
  /** A session token, or a function returning a fresh one (called again after a 401). */
  @property({ attribute: false }) session: SessionSource | null = null;
  /** Replaces the API client built from bff-url and session (tests, hosts with their own transport). */
  @property({ attribute: false }) api: ApiClient | null = null;
  /** How Create post leaves the page; replaceable for hosts that route themselves. */
  @property({ attribute: false }) navigate: (url: string) => void = (url) => window.location.assign(url);

  @provide({ context: apiContext }) private client: ApiClient | null = null;

  private accounts = new Task(this, {
    task: async ([client], { signal }) => (client ? client.listAccounts(signal) : []),
    args: () => [this.client] as const,
  });

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('api') || changed.has('bffUrl') || changed.has('session')) {
      this.client = this.api ?? (this.bffUrl && this.session ? createApiClient({ baseUrl: this.bffUrl, session: this.session }) : null);
    }
  }

  constructor() {
    super();
    this.addEventListener(CpCreatePostEvent.type, this.onCreatePost as EventListener);
  }

  /** Re-reads the accounts. */
  refresh(): void {
    void this.accounts.run();
  }

  override render() {
    return html`<section aria-labelledby="cp-title" aria-busy=${this.accounts.status === 1 ? 'true' : 'false'}>
      <header>
        <h2 id="cp-title">Connected accounts</h2>
        ${this.accounts.value ? html`<span class="count">${this.accounts.value.length} connected</span>` : ''}
      </header>
      ${this.accounts.render({
        initial: () => html`<p class="state">Loading accounts…</p>`,
        pending: () => html`<p class="state">Loading accounts…</p>`,
        error: (err) => html`<div class="state" role="alert">
          <p>${(err as Error).message || 'The accounts could not be loaded.'}</p>
          <button @click=${() => this.refresh()}>Try again</button>
        </div>`,
        complete: (accounts) =>
          accounts.length === 0
            ? html`<p class="state">No accounts connected yet.</p>`
            : html`<ul class="grid">
                ${accounts.map((account) => html`<li><cp-account-card .account=${account} .supportUrl=${this.supportUrl || null}></cp-account-card></li>`)}
              </ul>`,
      })}
    </section>`;
  }

  /**
   * A card asked to create a post. The event has already bubbled out of the panel to the
   * host; if nobody cancelled it, open the composer with the account preselected.
   */
  private onCreatePost = (event: CpCreatePostEvent) => {
    if (event.defaultPrevented || !this.composerUrl) return;
    queueMicrotask(() => {
      if (event.defaultPrevented) return;
      const url = new URL(this.composerUrl, document.baseURI);
      url.searchParams.set('social_account_id', event.accountId);
      this.navigate(url.href);
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'connections-panel': ConnectionsPanel;
  }
}
