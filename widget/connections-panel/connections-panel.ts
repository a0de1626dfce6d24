import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { provide } from '@lit/context';
import { Task } from '@lit/task';
import { createApiClient, type Account, type ApiClient, type PlatformsResponse, type PublicEvent, type SessionSource } from '../api/api-client.ts';
import { apiContext } from '../context/api-context.ts';
import { CpAccountActionEvent, CpAccountsChangedEvent, CpCreatePostEvent } from '../events.ts';
import { OAuthFlow, type Choices, type Starter } from '../controllers/oauth-flow.ts';
import { PullToRefresh } from '../controllers/pull-to-refresh.ts';
import type { ConfirmDialog } from '../confirm-dialog/confirm-dialog.ts';
import type { AccountDetailPanel } from '../account-detail/account-detail.ts';
import type { ChoiceDialog } from '../choice-dialog/choice-dialog.ts';
import { describeError } from '../api/describe-error.ts';
import { platformIcon, platformLabel } from '../styles/platforms.ts';
import { connectionsPanelStyles } from './connections-panel.styles.ts';

/** At most this many toasts stay on screen; older ones make way. */
const MAX_TOASTS = 5;

/**
 * @tagname connections-panel
 *
 * The connections page, embeddable: a workspace's social accounts as cards, amber first,
 * with the flows to add, reconnect and disconnect them.
 *
 * @attr bff-url - the BFF's base URL
 * @attr composer-url - the host's composer; Create post opens it with ?social_account_id=<id>
 * @attr support-url - the host's support page, for "Fix with AI Support"
 * @attr upgrade-url - the host's plans page, for upgrade prompts
 * @attr oauth-mode - `auto` (default: a pop-up, or a full redirect on narrow screens), `popup` or `redirect`
 * @fires cp-create-post - cancelable; cancel it to open the composer yourself
 * @fires cp-account-action - a card asked for details, reconnect or disconnect
 * @fires cp-accounts-changed - the accounts were read (first load, or after a change)
 * @csspart card - each account's card
 * @csspart dialog - the confirmation, choice and detail dialogs
 * @csspart platform-icon - the platform icons
 * @csspart toast - each notification
 * @cssprop --cp-font-family - the font
 * @cssprop --cp-text-color - text
 * @cssprop --cp-background - the panel's background (white; dark in the dark scheme)
 * @cssprop --cp-muted-color - secondary text
 * @cssprop --cp-border-color - borders of cards, buttons and dialogs
 * @cssprop --cp-card-background - cards and dialogs
 * @cssprop --cp-button-background - buttons
 * @cssprop --cp-accent-color - focus rings and primary buttons
 * @cssprop --cp-link-color - links in dialogs
 * @cssprop --cp-healthy-color - the healthy dot
 * @cssprop --cp-amber-color - the needs-reconnect dot
 * @cssprop --cp-danger-color - destructive buttons and problems
 * @cssprop --cp-toast-background - notifications
 * @cssprop --cp-toast-color - notification text
 * @cssprop --cp-radius - corner radius of cards and dialogs
 */
export class ConnectionsPanel extends LitElement {
  static override styles = connectionsPanelStyles;

  @property({ attribute: 'bff-url' }) bffUrl = '';
  @property({ attribute: 'composer-url' }) composerUrl = '';
  @property({ attribute: 'support-url' }) supportUrl = '';
  @property({ attribute: 'upgrade-url' }) upgradeUrl = '';
  /** How OAuth runs: a pop-up, a full redirect, or `auto` (a redirect on narrow screens). */
  @property({ attribute: 'oauth-mode' }) oauthMode: 'auto' | 'popup' | 'redirect' = 'auto';
  /** A session token, or a function returning a fresh one (called again after a 401). */
  @property({ attribute: false }) session: SessionSource | null = null;
  /** Replaces the API client built from bff-url and session (tests, hosts with their own transport). */
  @property({ attribute: false }) api: ApiClient | null = null;
  /** How Create post and the redirect flow leave the page; replaceable for hosts that route themselves. */
  @property({ attribute: false }) navigate: (url: string) => void = (url) => window.location.assign(url);
  /** Opens windows: replaceable in tests; null means the browser blocked the pop-up. */
  @property({ attribute: false }) openWindow: (url: string) => Window | null = (url) => window.open(url, 'cp-oauth', 'popup,width=600,height=740');
  /** How often the open panel asks the BFF for a health check (SPEC: hourly). */
  @property({ attribute: false }) healthCheckIntervalMs = 60 * 60_000;
  /**
   * How many cards show at first, and how many more each "Show more" adds. Agencies run
   * thousands of accounts: the amber ones come first, a filter finds the rest, and the page
   * stays light.
   */
  @property({ attribute: false }) pageSize = 48;

  @provide({ context: apiContext }) private client: ApiClient | null = null;

  private accounts = new Task(this, {
    // Null until there is a client (the host sets the session after the element upgrades).
    task: async ([client], { signal }) => (client ? client.listAccounts(signal) : null),
    args: () => [this.client] as const,
    onComplete: (accounts) => void (accounts && this.dispatchEvent(new CpAccountsChangedEvent(accounts))),
  });

  private platforms = new Task(this, {
    task: async ([client], { signal }): Promise<PlatformsResponse | null> => (client ? client.listPlatforms(signal) : null),
    args: () => [this.client] as const,
  });

  /** What the panel last has to say (a result, an error), read out politely. */
  @state() private notice = '';
  /** Toasts: the events of state changes, newest last. */
  @state() private toasts: PublicEvent[] = [];
  /** How many cards are shown (grows by pageSize), and the filter's text. */
  @state() private shown = 0;
  @state() private filter = '';
  @query('cp-confirm-dialog') private confirm!: ConfirmDialog;
  @query('cp-account-detail') private detail!: AccountDetailPanel;
  @query('cp-choice-dialog') private choice!: ChoiceDialog;
  #healthTimer: ReturnType<typeof setInterval> | null = null;
  #deepLinkDone = false;
  /** Where the events feed was last read up to; events before the panel opened are not toasted. */
  #eventsCursor: string | undefined;
  #seenEvents = new Set<string>();

  private oauth = new OAuthFlow(this, {
    client: () => this.client,
    bffOrigin: () => (this.bffUrl ? new URL(this.bffUrl, document.baseURI).origin : null),
    openWindow: (url) => this.openWindow(url),
    navigate: (url) => this.navigate(url),
    preferRedirect: () => this.oauthMode === 'redirect' || (this.oauthMode === 'auto' && window.matchMedia('(max-width: 40rem)').matches),
    say: (text) => (this.notice = text),
    choose: (label, choices, problem) => this.chooseAccounts(label, choices, problem),
    settled: () => void this.afterChange(),
  });

  private pull = new PullToRefresh(this, () => this.healthCheck());

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('api') || changed.has('bffUrl') || changed.has('session')) {
      this.client = this.api ?? (this.bffUrl && this.session ? createApiClient({ baseUrl: this.bffUrl, session: this.session }) : null);
      this.#eventsCursor = undefined;
      if (this.client) void this.readEvents(false);
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
    const busy = this.accounts.status === 1 || this.pull.state === 'refreshing';
    return html`<section aria-labelledby="cp-title" aria-busy=${busy ? 'true' : 'false'}>
      <div class="pull" data-state=${this.pull.state} aria-hidden="true">
        ${this.pull.state === 'refreshing' ? 'Checking statuses…' : this.pull.state === 'armed' ? 'Release to refresh' : 'Pull to refresh'}
      </div>
      <header>
        <h2 id="cp-title">Connected accounts</h2>
        ${this.accounts.value ? html`<span class="count">${this.accounts.value.length} connected</span>` : nothing}
      </header>
      ${this.accounts.render({
        initial: () => html`<p class="state">Loading accounts…</p>`,
        pending: () => (this.accounts.value ? this.renderCards(this.accounts.value) : html`<p class="state">Loading accounts…</p>`),
        error: (err) => html`<div class="state" role="alert">
          <p>${describeError(err)}</p>
          <button @click=${() => this.refresh()}>Try again</button>
        </div>`,
        complete: (accounts) => (accounts ? this.renderCards(accounts) : html`<p class="state">Loading accounts…</p>`),
      })}
      ${this.renderAddAccount()}
      <p class="notice" role="status" aria-live="polite">${this.notice}</p>
      ${this.oauth.blocked ? html`<button class="fallback" @click=${() => this.oauth.continueInThisTab()}>Continue in this tab instead</button>` : nothing}
      <cp-confirm-dialog exportparts="dialog"></cp-confirm-dialog>
      <cp-choice-dialog exportparts="dialog"></cp-choice-dialog>
      <cp-account-detail exportparts="dialog, platform-icon"></cp-account-detail>
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

  private renderCards(accounts: readonly Account[]) {
    if (accounts.length === 0) return html`<p class="state">No accounts connected yet. Add one below.</p>`;
    const needle = this.filter.trim().toLowerCase();
    const matching = needle ? accounts.filter((a) => matches(a, needle)) : accounts;
    const visible = matching.slice(0, Math.max(this.shown, this.pageSize));
    const rest = matching.length - visible.length;
    return html`${accounts.length > this.pageSize
        ? html`<div class="filter">
            <label for="cp-filter">Find an account</label>
            <input id="cp-filter" type="search" autocomplete="off" placeholder="Name, @username or platform" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} />
          </div>`
        : nothing}
      ${matching.length === 0
        ? html`<p class="state">No account matches “${this.filter.trim()}”.</p>`
        : html`<ul class="grid">
            ${repeat(
              visible,
              (account) => account.id,
              (account) => html`<li><cp-account-card exportparts="card, platform-icon" .account=${account} .supportUrl=${this.supportUrl || null}></cp-account-card></li>`,
            )}
          </ul>`}
      ${rest > 0
        ? html`<button class="more" @click=${() => (this.shown = visible.length + this.pageSize)}>
            Show ${Math.min(rest, this.pageSize)} more (${visible.length} of ${matching.length} shown)
          </button>`
        : nothing}`;
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
              ? html`<button ?disabled=${full} @click=${() => this.connect(p.platform, p.label)}>${platformIcon(p.platform)} Connect ${p.label}</button>`
              : p.status === 'upgrade_required'
                ? html`<a class="upgrade" href=${this.upgradeUrl || '#'}>${platformIcon(p.platform)} ${p.label}: upgrade to ${p.requiredPlan}</a>`
                : html`<span class="soon">${p.label}: coming soon</span>`}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private connect(platform: string, label: string) {
    const client = this.client;
    if (!client) return;
    void this.oauth.start(label, (mode, returnTo) => client.startConnection({ platform, mode, ...(returnTo ? { returnTo } : {}) }), `Finish signing in to ${label} in the new window.`);
  }

  /** Re-authorizes an account; the person is told first to approve every permission. */
  private startReconnect(accountId: string) {
    const client = this.client;
    if (!client) return;
    const account = this.accounts.value?.find((a) => a.id === accountId);
    const name = account?.displayName ?? 'the account';
    const start: Starter = (mode, returnTo) => client.reconnect(accountId, { mode, ...(returnTo ? { returnTo } : {}) });
    void this.oauth.start(name, start, `Reconnecting ${name}: approve every requested permission so publishing, analytics and comments keep working.`);
  }

  /** The choice step after OAuth, with what the plan still allows. */
  private async chooseAccounts(label: string, choices: Choices, problem?: string): Promise<string[] | null> {
    const data = this.platforms.value;
    const remaining = data && data.accountLimit !== null ? Math.max(0, data.accountLimit - data.accountCount) : null;
    return this.choice.choose({ label, choices, remaining, ...(problem ? { problem } : {}) });
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
      this.notice = describeError(err);
    }
  }

  override updated() {
    // The pull's distance through the CSSOM, never a style attribute (a strict CSP blocks those).
    this.renderRoot.querySelector<HTMLElement>('.pull')?.style.setProperty('--cp-pull', `${this.pull.distance}px`);
    // ?account=<id> opens that account's panel once the accounts are there (from the BFF, not before).
    if (this.#deepLinkDone || !this.accounts.value) return;
    this.#deepLinkDone = true;
    const id = new URL(window.location.href).searchParams.get('account');
    if (id) void this.openDetails(id, null);
  }

  override connectedCallback() {
    super.connectedCallback();
    this.#healthTimer = setInterval(() => void this.healthCheck(), this.healthCheckIntervalMs);
    window.addEventListener('online', this.onOnline);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    this.#healthTimer = null;
    window.removeEventListener('online', this.onOnline);
  }

  /** Back online after an error: try again by itself. */
  private onOnline = () => {
    if (this.accounts.status === 3 || this.platforms.status === 3) this.refresh();
  };

  /** Asks the BFF to check every account now (hourly, and on pull to refresh); shows what changed as toasts. */
  async healthCheck(): Promise<void> {
    if (!this.client) return;
    try {
      const { events } = await this.client.healthCheck();
      this.showToasts(events);
      await this.afterChange();
    } catch (err) {
      this.notice = describeError(err);
    }
  }

  /** After anything that may have changed accounts: re-read them, and toast the new events. */
  private async afterChange() {
    this.refresh();
    await this.readEvents(true);
  }

  /**
   * Reads the workspace's events feed from where it was last read. The first read only finds
   * the starting point: what happened before the panel opened is not news.
   */
  private async readEvents(toast: boolean) {
    const client = this.client;
    if (!client) return;
    try {
      const { events, cursor } = await client.events(this.#eventsCursor);
      if (client !== this.client) return;
      const first = this.#eventsCursor === undefined;
      this.#eventsCursor = cursor;
      if (toast && !first) this.showToasts(events);
      else for (const e of events) this.#seenEvents.add(e.id);
    } catch {
      // The feed is a nicety: the accounts list already shows the state.
    }
  }

  /** Each event is toasted once, however it arrived (health check or feed). */
  private showToasts(events: PublicEvent[]) {
    const fresh = events.filter((e) => !this.#seenEvents.has(e.id));
    for (const e of fresh) this.#seenEvents.add(e.id);
    if (fresh.length > 0) this.toasts = [...this.toasts, ...fresh].slice(-MAX_TOASTS);
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
      await this.afterChange();
    } catch (err) {
      this.notice = describeError(err);
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

/** Whether an account matches the filter (its name, @username or platform). */
function matches(a: Account, needle: string): boolean {
  return (
    a.displayName.toLowerCase().includes(needle) ||
    (a.username ?? '').toLowerCase().includes(needle.replace(/^@/, '')) ||
    platformLabel(a.platform).toLowerCase().includes(needle)
  );
}

declare global {
  interface HTMLElementTagNameMap {
    'connections-panel': ConnectionsPanel;
  }
}
