import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { Task } from '@lit/task';
import { createApiClient, type ApiClient, type SessionSource } from '../api/api-client.ts';
import { apiContext } from '../context/api-context.ts';
import { CpAccountActionEvent, CpCreatePostEvent } from '../events.ts';
import type { AttemptResult, PlatformsResponse } from '../api/api-client.ts';
import { OAuthResultController } from '../controllers/oauth-result-controller.ts';
import type { ConfirmDialog } from '../confirm-dialog/confirm-dialog.ts';
import type { AccountDetailPanel } from '../account-detail/account-detail.ts';
import type { PublicEvent } from '../api/api-client.ts';

type Started = { authorizeUrl: string };
type Starter = (mode: 'popup' | 'redirect', returnTo?: string) => Promise<Started>;
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

  private platforms = new Task(this, {
    task: async ([client], { signal }): Promise<PlatformsResponse | null> => (client ? client.listPlatforms(signal) : null),
    args: () => [this.client] as const,
  });

  /** What the panel last has to say (a result, an error), read out politely. */
  @state() private notice = '';
  @query('cp-confirm-dialog') private confirm!: ConfirmDialog;
  @query('cp-account-detail') private detail!: AccountDetailPanel;
  /** Toasts: the events of state changes, newest last. */
  @state() private toasts: PublicEvent[] = [];
  /** How often the open panel asks the BFF for a health check (SPEC: hourly). */
  @property({ attribute: false }) healthCheckIntervalMs = 60 * 60_000;
  #healthTimer: ReturnType<typeof setInterval> | null = null;
  #deepLinkDone = false;

  /** Opens windows: replaceable in tests; null means the browser blocked the pop-up. */
  @property({ attribute: false }) openWindow: (url: string) => Window | null = (url) => window.open(url, 'cp-oauth', 'popup,width=600,height=740');

  private oauthResults = new OAuthResultController(
    this,
    () => (this.bffUrl ? new URL(this.bffUrl, document.baseURI).origin : null),
    (result) => this.onOAuthResult(result),
  );

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('api') || changed.has('bffUrl') || changed.has('session')) {
      this.client = this.api ?? (this.bffUrl && this.session ? createApiClient({ baseUrl: this.bffUrl, session: this.session }) : null);
    }
  }

  constructor() {
    super();
    this.addEventListener(CpCreatePostEvent.type, (e) => this.onCreatePost(e as CpCreatePostEvent));
    this.addEventListener(CpAccountActionEvent.type, (e) => void this.onAccountAction(e as CpAccountActionEvent));
  }

  /** Re-reads the accounts and the platforms (the count against the limit changes with them). */
  refresh(): void {
    void this.accounts.run();
    void this.platforms.run();
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
      ${this.renderAddAccount()}
      <p class="notice" role="status" aria-live="polite">${this.notice}</p>
      ${this.blocked ? html`<button class="fallback" @click=${() => this.continueInThisTab()}>Continue in this tab instead</button>` : nothing}
      <cp-confirm-dialog></cp-confirm-dialog>
      <cp-account-detail></cp-account-detail>
      <ol class="toasts" aria-label="Notifications" aria-live="polite">
        ${this.toasts.map(
          (t) => html`<li class="toast" part="toast">
            <span>${t.message}</span>
            ${(t.type === 'reconnect_required' || t.type === 'token_expired') && t.accountId
              ? html`<button @click=${() => this.startReconnect(t.accountId!)}>Reconnect</button>
                  <a href=${this.accountLink(t.accountId)}>View account</a>`
              : nothing}
            <button aria-label="Dismiss" @click=${() => (this.toasts = this.toasts.filter((x) => x !== t))}>×</button>
          </li>`,
        )}
      </ol>
    </section>`;
  }

  private renderAddAccount() {
    const data = this.platforms.value;
    if (!data) return nothing;
    const full = data.accountLimit !== null && data.accountCount >= data.accountLimit;
    return html`<section class="add" aria-labelledby="cp-add-title">
      <h3 id="cp-add-title">Add an account</h3>
      <p class="count">${data.accountCount} of ${data.accountLimit ?? 'unlimited'} accounts used${full ? html` · <a href=${this.upgradeUrl || '#'}>Upgrade to add more</a>` : nothing}</p>
      <ul class="platforms">
        ${data.platforms.map(
          (p) => html`<li>
            ${p.status === 'available'
              ? html`<button ?disabled=${full} @click=${() => this.connect(p.platform, p.label)}>Connect ${p.label}</button>`
              : p.status === 'upgrade_required'
                ? html`<a class="upgrade" href=${this.upgradeUrl || '#'}>${p.label}: upgrade to ${p.requiredPlan}</a>`
                : html`<span class="soon">${p.label}: coming soon</span>`}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  /**
   * Starts a connection or a reconnection. The pop-up opens in the click itself (so blockers
   * allow it) and follows the BFF's authorize URL once it is known; a blocked pop-up offers
   * the redirect flow in one click.
   */
  private async runOAuth(label: string, start: Starter, advice: string) {
    const popup = this.openWindow('about:blank');
    if (!popup) {
      this.notice = `Pop-ups are blocked, so ${label} cannot open in a new window.`;
      this.blocked = start;
      return;
    }
    this.blocked = null;
    try {
      const { authorizeUrl } = await start('popup');
      popup.location.href = authorizeUrl;
      this.notice = advice;
    } catch (err) {
      popup.close();
      this.notice = (err as Error).message;
    }
  }

  private connect(platform: string, label: string) {
    if (!this.client) return;
    const client = this.client;
    void this.runOAuth(label, (mode, returnTo) => client.startConnection({ platform, mode, ...(returnTo ? { returnTo } : {}) }), `Finish signing in to ${label} in the new window.`);
  }

  /** Re-authorizes an account; the person is told first to approve every permission. */
  private startReconnect(accountId: string) {
    if (!this.client) return;
    const client = this.client;
    const account = this.accounts.value?.find((a) => a.id === accountId);
    const name = account?.displayName ?? 'the account';
    void this.runOAuth(
      name,
      (mode, returnTo) => client.reconnect(accountId, { mode, ...(returnTo ? { returnTo } : {}) }),
      `Reconnecting ${name}: approve every requested permission so publishing, analytics and comments keep working.`,
    );
  }

  @state() private blocked: Starter | null = null;

  /** The one-click fallback for a blocked pop-up: OAuth as a full redirect that returns here. */
  private async continueInThisTab() {
    if (!this.blocked) return;
    try {
      const { authorizeUrl } = await this.blocked('redirect', window.location.href);
      this.navigate(authorizeUrl);
    } catch (err) {
      this.notice = (err as Error).message;
    }
  }

  private accountLink(accountId: string): string {
    const url = new URL(window.location.href);
    url.searchParams.set('account', accountId);
    return url.href;
  }

  /** Opens an account's detail panel (from a card, or from ?account=<id>). */
  private async openDetails(accountId: string, opener: HTMLElement | null) {
    if (!this.client) return;
    try {
      await this.detail.show(await this.client.getAccount(accountId), opener);
    } catch (err) {
      this.notice = (err as Error).message;
    }
  }

  override updated() {
    // ?account=<id> opens that account's panel once the accounts are there.
    if (this.#deepLinkDone || !this.accounts.value) return;
    this.#deepLinkDone = true;
    const id = new URL(window.location.href).searchParams.get('account');
    if (id) void this.openDetails(id, null);
  }

  override connectedCallback() {
    super.connectedCallback();
    this.#healthTimer = setInterval(() => void this.healthCheck(), this.healthCheckIntervalMs);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    this.#healthTimer = null;
  }

  /** Asks the BFF to check every account now; shows what changed as toasts. */
  async healthCheck(): Promise<void> {
    if (!this.client) return;
    try {
      const { events } = await this.client.healthCheck();
      if (events.length > 0) this.toasts = [...this.toasts, ...events];
      this.refresh();
    } catch (err) {
      this.notice = (err as Error).message;
    }
  }

  private onOAuthResult(result: AttemptResult) {
    if (result.status === 'connected') this.notice = `Connected ${result.accountIds?.length ?? 1} account${result.accountIds?.length === 1 ? '' : 's'}.`;
    else if (result.status === 'failed') this.notice = result.error?.message ?? 'The connection did not go through.';
    else if (result.status === 'choose') this.notice = 'Choose which accounts to add.';
    this.refresh();
  }

  private onAccountAction = async (event: CpAccountActionEvent) => {
    if (!this.client) return;
    if (event.action === 'details') return this.openDetails(event.accountId, event.composedPath()[0] as HTMLElement);
    if (event.action === 'reconnect') return this.startReconnect(event.accountId);
    const account = this.accounts.value?.find((a) => a.id === event.accountId);
    if (!account) return;
    const opener = event.composedPath()[0] as HTMLElement;
    const confirmed = await this.confirm.ask({
      heading: `Disconnect ${account.displayName}?`,
      message: 'You can no longer publish to it or manage it here. Its published posts and analytics stay in your workspace, and reconnecting it later restores access.',
      confirmLabel: 'Disconnect',
      returnFocus: opener,
    });
    if (!confirmed) return;
    try {
      await this.client.disconnect(account.id);
      this.notice = `${account.displayName} disconnected.`;
      this.refresh();
    } catch (err) {
      this.notice = (err as Error).message;
    }
  };

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
