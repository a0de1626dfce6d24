import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ContextProvider } from '@lit/context';
import { localized } from '@lit/localize';
import { createApiClient, type Account, type ApiClient, type AttemptStarted, type PlatformsResponse, type PublicEvent, type SessionSource, type StartConnectionRequest } from '../api/api-client.ts';
import { submitStartForm } from '../api/start-form.ts';
import { hostUrl } from '../api/safe-url.ts';
import { errorCode, errorHelp } from '../api/error-reference.ts';
import { apiContext } from '../context/api-context.ts';
import { CpAccountActionEvent, CpAccountsChangedEvent, CpCreatePostEvent } from '../events.ts';
import { OAuthFlow, type Choices, type Starter } from '../controllers/oauth-flow.ts';
import type { PullToRefresh } from '../controllers/pull-to-refresh.ts';
import { AccountList } from '../controllers/account-list.ts';
import { Toasts, toastText, type Tone } from '../controllers/toasts.ts';
import type { ConfirmDialog } from '../confirm-dialog/confirm-dialog.ts';
import type { AccountDetailPanel } from '../account-detail/account-detail.ts';
import type { ChoiceDialog } from '../choice-dialog/choice-dialog.ts';
import type { ReconnectAllDialog } from '../reconnect-all/reconnect-all.ts';
import { WARNING_DAYS } from '../account-card/account-card.ts';
import { loadAccountDetail, loadCardMenu, loadChoiceDialog, loadConfirmDialog, loadFilters, loadPullToRefresh, loadReconnectAll } from '../lazy.ts';
import { direction, currentLocale, formatDateTime, formatNumber, formatRelative, LocaleController, msg, plural, str } from '../i18n/i18n.ts';
import { codeOfText, describeError, eventText, kindLabel, planLabel, PLANS, reasonText, WARNING_EVENTS } from '../i18n/messages.ts';
import { MarksController, platformIcon, platformLabel } from '../styles/platforms.ts';
import { connectionsPanelStyles } from './connections-panel.styles.ts';

/** From this many accounts on, the panel offers its filters (health, platform, name). */
export const FILTERS_FROM = 7;

export type HealthFilter = 'all' | 'attention' | 'healthy' | 'paused';

/** Events that restate what the person's own action already said (one message per outcome). */
const OWN_OUTCOME_EVENTS: ReadonlySet<string> = new Set(['account_connected', 'account_reconnected', 'account_recovered', 'account_disconnected', 'reconnect_required', 'token_expired']);

/**
 * @tagname connections-panel
 *
 * The connections page, embeddable: a workspace's social accounts as cards, amber first,
 * with the flows to add, reconnect and disconnect them, in the page's language.
 *
 * @attr bff-url - the BFF's base URL
 * @attr composer-url - the host's composer; Create post opens it with ?social_account_id=<id>
 * @attr support-url - the host's support page, for "Fix with AI Support"
 * @attr upgrade-url - the host's plans page, for upgrade prompts
 * @attr oauth-mode - `auto` (default: a pop-up, or a full redirect on narrow screens), `popup` or `redirect`
 * @attr locale - the language (BCP 47: en, de, es, fr, ja, ar); default: the nearest `lang`
 * @fires cp-create-post - cancelable; cancel it to open the composer yourself
 * @fires cp-account-action - a card asked for details, reconnect or disconnect
 * @fires cp-accounts-changed - the accounts were read (first load, or after a change)
 * @csspart card - each account's card
 * @csspart menu - each card's "More actions" menu
 * @csspart dialog - the confirmation, choice, reconnect-all and detail dialogs
 * @csspart platform-icon - the platform marks
 * @csspart toast - each notification
 * @csspart toasts - the notification stack (fixed to the viewport)
 * @csspart attention - the "N accounts need attention" banner
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
 * @cssprop --cp-paused-color - the paused dot
 * @cssprop --cp-danger-color - destructive buttons and problems
 * @cssprop --cp-toast-background - notifications
 * @cssprop --cp-toast-color - notification text
 * @cssprop --cp-toast-offset - the notification stack's distance from the viewport's edge (lift it above a host's own bottom bar)
 * @cssprop --cp-toast-z-index - the notification stack's z-index
 * @cssprop --cp-backdrop - the dimmed backdrop behind dialogs
 * @cssprop --cp-radius - corner radius of cards and dialogs
 */
@localized()
export class ConnectionsPanel extends LitElement {
  static override styles = connectionsPanelStyles;

  @property({ attribute: 'bff-url' }) bffUrl = '';
  @property({ attribute: 'composer-url' }) composerUrl = '';
  @property({ attribute: 'support-url' }) supportUrl = '';
  @property({ attribute: 'upgrade-url' }) upgradeUrl = '';
  /** How OAuth runs: a pop-up, a full redirect, or `auto` (a redirect on narrow screens). */
  @property({ attribute: 'oauth-mode' }) oauthMode: 'auto' | 'popup' | 'redirect' = 'auto';
  /** The language (BCP 47); empty: the nearest `lang` attribute, else English. */
  @property({ reflect: false }) locale = '';
  /** A session token, or a function returning a fresh one (called again after a 401). */
  @property({ attribute: false }) session: SessionSource | null = null;
  /** Replaces the API client built from bff-url and session (tests, hosts with their own transport). */
  @property({ attribute: false }) api: ApiClient | null = null;
  /** How Create post leaves the page; replaceable for hosts that route themselves. */
  @property({ attribute: false }) navigate: (url: string) => void = (url) => window.location.assign(url);
  /**
   * Opens windows: replaceable in tests; null means the browser blocked the pop-up. Each sign-in
   * gets a window of its own name: a name used again would hand back the last sign-in's window,
   * which closes itself a moment after it has answered.
   */
  @property({ attribute: false }) openWindow: (url: string) => Window | null = (url) =>
    window.open(url, `cp-oauth-${Math.random().toString(36).slice(2)}`, 'popup,width=600,height=740');
  /**
   * Starts OAuth at the BFF: posts the start answer's form (`authorizeUrl`, `fields`) into the
   * pop-up, or into this window (null) for the redirect flow. Replaceable in tests only: the
   * BFF accepts the start only as a form POST from this page's origin.
   */
  @property({ attribute: false }) submitForm: (started: AttemptStarted, target: Window | null) => void = submitStartForm;
  /** How often the open panel asks the BFF for a health check (SPEC: hourly; also when it opens). */
  @property({ attribute: false }) healthCheckIntervalMs = 60 * 60_000;
  /** How long informational toasts stay (warnings stay until acted on or dismissed). */
  @property({ attribute: false }) toastDurationMs = 6000;
  /** Days ahead that "Needs reconnecting by <date>" shows (the BFF's EXPIRY_WARNING_DAYS). */
  @property({ attribute: false }) warningDays = WARNING_DAYS;
  /**
   * How many cards show at first, and how many more each "Show more" adds. Agencies run
   * thousands of accounts: the amber ones come first, the filters find the rest, and the page
   * stays light.
   */
  @property({ attribute: false }) pageSize = 48;

  /** The API client, provided to the elements inside (details, choice, reconnect-all, a nested summary) through @lit/context. */
  private client: ApiClient | null = null;
  #provider = new ContextProvider(this, { context: apiContext });

  private language = new LocaleController(this);
  private list = new AccountList(
    this,
    () => this.client,
    (list) => this.onAccountsRead(list),
  );
  private toasts = new Toasts(this);

  private marks = new MarksController(this);
  /** The platforms and the plan's allowance (the count against the limit changes with the accounts). */
  @state() private platformsData: PlatformsResponse | null = null;
  #platformsFailed = false;

  /** How many cards are shown (grows by pageSize), and the filters. */
  @state() private shown = 0;
  @state() private filter = '';
  @state() private healthFilter: HealthFilter = 'all';
  @state() private platformFilter = '';
  /** The health check: running, and when it last finished. */
  @state() private checking = false;
  @state() private checkedAt: Date | null = null;
  // The dialogs (plain getters, not @query: the decorator's module stays out of the script-tag bundle).
  private get confirm(): ConfirmDialog {
    return this.renderRoot.querySelector('cp-confirm-dialog')!;
  }
  private get detail(): AccountDetailPanel {
    return this.renderRoot.querySelector('cp-account-detail')!;
  }
  private get choice(): ChoiceDialog {
    return this.renderRoot.querySelector('cp-choice-dialog')!;
  }
  private get reconnectAll(): ReconnectAllDialog {
    return this.renderRoot.querySelector('cp-reconnect-all')!;
  }
  #healthTimer: ReturnType<typeof setInterval> | null = null;
  #clockTimer: ReturnType<typeof setInterval> | null = null;
  #deepLinkDone = false;
  /** Whether the page is the redirect flow's return (a "Reconnect all" queue may wait for it). */
  #backFromRedirect = new URL(window.location.href).searchParams.has('cp_attempt');
  /** Where the events feed was last read up to; events before the panel opened are not news. */
  #eventsCursor: string | undefined;
  #seenEvents = new Set<string>();
  /** The accounts the person's own last action was about, and the toast that said it. */
  #own: { ids: Set<string>; toastId: string } | null = null;
  /** A disconnect's place in the list, so focus can go to the card that takes it. */
  #focusAfterRead: number | null = null;

  private oauth = new OAuthFlow(this, {
    client: () => this.client,
    bffOrigin: () => (this.bffUrl ? new URL(this.bffUrl, document.baseURI).origin : (this.client?.origin ?? null)),
    openWindow: (url) => this.openWindow(url),
    submit: (started, target) => this.submitForm(started, target),
    preferRedirect: () => this.oauthMode === 'redirect' || (this.oauthMode === 'auto' && window.matchMedia('(max-width: 40rem)').matches),
    say: (text, tone, accountIds) => this.sayOutcome(text, tone, accountIds),
    choose: (label, choices, problem) => this.chooseAccounts(label, choices, problem),
    settled: () => void this.afterChange(),
  });

  /**
   * Pull down to refresh (touch screens): its controller loads on demand, fetched in the
   * background once the cards are shown, or by the first touch.
   */
  private pull: Pick<PullToRefresh, 'state' | 'distance'> = { state: 'idle', distance: 0 };
  #pullLoading: Promise<void> | null = null;
  #pullReady = false;
  private loadPull(first?: TouchEvent): Promise<void> {
    return (this.#pullLoading ??= loadPullToRefresh().then((m) => {
      const pull = new m.PullToRefresh(this, () => this.healthCheck());
      const root = this.renderRoot as ShadowRoot;
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, m.pullStyles.styleSheet!];
      this.pull = pull;
      this.#pullReady = true;
      this.requestUpdate();
      this.removeEventListener('touchstart', this.onFirstTouch);
      if (first) pull.begin(first);
    }));
  }
  private onFirstTouch = (e: TouchEvent) => void this.loadPull(e).catch(() => undefined);

  constructor() {
    super();
    this.addEventListener(CpCreatePostEvent.type, (e) => this.onCreatePost(e as CpCreatePostEvent));
    this.addEventListener(CpAccountActionEvent.type, (e) => void this.onAccountAction(e as CpAccountActionEvent));
    this.addEventListener('touchstart', this.onFirstTouch, { passive: true });
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('toastDurationMs')) this.toasts.durationMs = this.toastDurationMs;
    if (changed.has('api') || changed.has('bffUrl') || changed.has('session')) {
      const next = this.api ?? (this.bffUrl && this.session ? createApiClient({ baseUrl: this.bffUrl, session: this.session }) : null);
      if (next !== this.client) {
        this.client = next;
        this.#provider.setValue(next!);
        this.#eventsCursor = undefined;
        this.list.reset();
        this.platformsData = null;
        if (next) void this.opened();
      }
    }
  }

  /** A client at last: the accounts, then a health check (a panel that opens checks at once), with the feed's starting point. */
  private async opened() {
    const client = this.client;
    void this.readPlatforms();
    await this.readEvents(false);
    await this.list.reload();
    if (client === this.client) void this.healthCheck();
  }

  /** Re-reads the accounts and the platforms (the count against the limit changes with them). */
  refresh(): void {
    void this.list.reload();
    void this.readPlatforms();
  }

  private async readPlatforms() {
    const client = this.client;
    if (!client) return;
    try {
      const data = await client.listPlatforms();
      if (client !== this.client) return;
      // The same answer again (the usual case): nothing to render.
      if (JSON.stringify(data) !== JSON.stringify(this.platformsData)) this.platformsData = data;
      this.#platformsFailed = false;
    } catch {
      // The list says what failed; the add-account section waits for the next read.
      this.#platformsFailed = true;
    }
  }

  /** The accounts read so far (amber first). */
  get accounts(): readonly Account[] {
    return this.list.accounts;
  }

  private onAccountsRead(list: AccountList) {
    this.dispatchEvent(new CpAccountsChangedEvent(list.accounts));
    this.reviseOwnOutcome();
    // (a defined element only: it loads on demand)
    this.reconnectAll?.requestUpdate?.();
  }

  override render() {
    const busy = (this.list.loading && !this.list.loaded) || this.pull.state === 'refreshing' || this.checking;
    const counts = this.list.counts;
    return html`<section aria-labelledby="cp-title" aria-busy=${busy ? 'true' : 'false'} dir=${direction()} lang=${currentLocale()}>
      ${this.#pullReady
        ? html`<div class="pull" data-state=${this.pull.state} aria-hidden="true">
            ${this.pull.state === 'refreshing' ? msg('Checking statuses…') : this.pull.state === 'armed' ? msg('Release to refresh') : msg('Pull to refresh')}
          </div>`
        : nothing}
      <header>
        <h2 id="cp-title" tabindex="-1">${msg('Connected accounts')}</h2>
        ${this.list.loaded ? html`<span class="count">${plural(counts.total, 'count-connected', { one: str`${formatNumber(counts.total)} connected`, other: str`${formatNumber(counts.total)} connected` })}</span>` : nothing}
        <span class="check">
          <span class="checked" role="status">${this.renderChecked()}</span>
          ${this.client ? html`<button class="check-button" ?disabled=${this.checking} @click=${() => this.healthCheck()}>${msg('Check statuses')}</button>` : nothing}
        </span>
      </header>
      ${this.renderBody()}
      ${this.renderAddAccount()}
      <cp-confirm-dialog exportparts="dialog"></cp-confirm-dialog>
      <cp-choice-dialog exportparts="dialog"></cp-choice-dialog>
      <cp-reconnect-all exportparts="dialog"></cp-reconnect-all>
      <cp-account-detail
        exportparts="dialog, platform-icon"
        .upgradeUrl=${this.upgradeUrl || null}
        .warningDays=${this.warningDays}
        .sessionRole=${this.platformsData?.role ?? null}
        @cp-detail-closed=${this.onDetailClosed}
      ></cp-account-detail>
      ${this.renderToasts()}
    </section>`;
  }

  private renderChecked() {
    if (this.checking) return msg('Checking…');
    if (!this.checkedAt) return nothing;
    const iso = this.checkedAt.toISOString();
    return html`<time datetime=${iso} title=${formatDateTime(iso)}>${msg(str`Checked ${formatRelative(iso)}`)}</time>`;
  }

  private renderBody() {
    const list = this.list;
    if (!list.loaded) {
      if (list.error)
        return html`<div class="state" role="alert">
          <p>${describeError(list.error)}${errorHelp(this.errorsBase(), errorCode(list.error))}</p>
          <button @click=${() => this.refresh()}>${msg('Try again')}</button>
        </div>`;
      return html`<p class="state">${msg('Loading accounts…')}</p>`;
    }
    return html`${list.error ? this.renderStale() : nothing} ${this.renderAttention()} ${this.renderCards(list.accounts)}`;
  }

  /** The last good list stays on screen when a re-read fails (offline), and says so. */
  private renderStale() {
    const at = this.list.readAt ? formatDateTime(this.list.readAt.toISOString()) : '';
    const offline = navigator.onLine === false;
    return html`<div class="offline" role="alert">
      <span>${offline ? msg(str`You are offline. These are the accounts as they were at ${at}.`) : msg(str`The accounts could not be read again (${describeError(this.list.error)}). These are the accounts as they were at ${at}.`)}${errorHelp(this.errorsBase(), errorCode(this.list.error))}</span>
      <button @click=${() => this.refresh()}>${msg('Try again')}</button>
    </div>`;
  }

  private renderAttention() {
    const { needsReconnect, paused } = this.list.counts;
    if (needsReconnect === 0 && paused === 0) return nothing;
    return html`<div class="attention" part="attention">
      ${needsReconnect > 0
        ? html`<p>
            <span class="dot amber" aria-hidden="true"></span>
            <strong>${plural(needsReconnect, 'attention', { one: str`${formatNumber(needsReconnect)} account needs attention`, other: str`${formatNumber(needsReconnect)} accounts need attention` })}</strong>
            <button class="primary" @click=${() => this.openReconnectAll()}>${needsReconnect === 1 ? msg('Reconnect') : msg('Reconnect all')}</button>
            ${this.healthFilter === 'attention' ? nothing : html`<button @click=${() => this.setHealthFilter('attention')}>${msg('Show them')}</button>`}
          </p>`
        : nothing}
      ${paused > 0
        ? html`<p>
            <span class="dot paused" aria-hidden="true"></span>
            <span>${plural(paused, 'paused-count', { one: str`${formatNumber(paused)} account is paused: it is over your plan.`, other: str`${formatNumber(paused)} accounts are paused: they are over your plan.` })}</span>
            ${this.upgradeUrl ? html`<a href=${this.upgradeHref()}>${this.nextPlan() ? msg(str`Upgrade to ${planLabel(this.nextPlan()!)}`) : msg('Upgrade your plan')}</a>` : nothing}
          </p>`
        : nothing}
    </div>`;
  }

  private filtering(): boolean {
    return this.filter.trim() !== '' || this.healthFilter !== 'all' || this.platformFilter !== '';
  }

  /** The filter bar (agencies' lists only): its own module, loaded when a list is long enough to need it. */
  #filters: typeof import('./filters.ts') | null = null;
  private filterBar() {
    if (this.#filters) return this.#filters.renderFilters(this, this.list.platforms, this.platformsData);
    void loadFilters().then((m) => {
      const root = this.renderRoot as ShadowRoot;
      if (!this.#filters) root.adoptedStyleSheets = [...root.adoptedStyleSheets, m.filterStyles.styleSheet!];
      this.#filters = m;
      this.requestUpdate();
    });
    return nothing;
  }

  /** @internal The filters, for the filter bar. */
  get filters() {
    return { text: this.filter, health: this.healthFilter, platform: this.platformFilter };
  }

  /** @internal */
  setFilter(value: string) {
    this.filter = value;
    this.shown = 0;
    if (this.filtering()) void this.list.all();
  }
  /** @internal */
  setHealthFilter(value: HealthFilter) {
    this.healthFilter = value;
    this.shown = 0;
    if (this.filtering()) void this.list.all();
  }
  /** @internal */
  setPlatformFilter(value: string) {
    this.platformFilter = value;
    this.shown = 0;
    if (this.filtering()) void this.list.all();
  }

  private renderCards(accounts: readonly Account[]) {
    const total = this.list.counts.total;
    if (accounts.length === 0 && total === 0) return html`<p class="state">${msg('No accounts connected yet. Add one below.')}</p>`;
    const filtering = this.filtering();
    const needle = this.filter.trim().toLowerCase();
    // Filtering is the filter module's (it loads with the filter bar; until then the list is searched).
    const matches = this.#filters?.matches;
    const matching = filtering ? (matches ? accounts.filter((a) => matches(a, needle, this.healthFilter, this.platformFilter)) : []) : accounts;
    const visible = matching.slice(0, Math.max(this.shown, this.pageSize));
    const known = filtering ? matching.length : Math.max(total, accounts.length);
    const rest = known - visible.length;
    const searching = filtering && (!this.list.complete || !matches);
    return html`${total >= FILTERS_FROM || filtering ? this.filterBar() : nothing}
      ${searching ? html`<p class="state" role="status">${plural(total, 'searching', { one: str`Searching all ${formatNumber(total)} accounts…`, other: str`Searching all ${formatNumber(total)} accounts…` })}</p>` : nothing}
      ${matching.length === 0 && !searching
        ? html`<p class="state" role="status">
            ${needle ? msg(str`No account matches “${this.filter.trim()}”.`) : msg('No account matches these filters.')}
            <button @click=${() => this.clearFilters()}>${msg('Clear filters')}</button>
          </p>`
        : html`<ul class="grid">
            ${repeat(
              visible,
              (account) => account.id,
              (account) =>
                html`<li>
                  <cp-account-card
                    exportparts="card, menu, platform-icon"
                    .account=${account}
                    .supportUrl=${this.supportUrl || null}
                    .upgradeUrl=${account.status === 'paused' ? this.upgradeHref() : null}
                    .upgradePlan=${account.status === 'paused' ? this.upgradePlanFor(account) : null}
                    .bffOrigin=${this.client?.origin ?? null}
                    .errorReference=${this.errorsBase()}
                    .warningDays=${this.warningDays}
                  ></cp-account-card>
                </li>`,
            )}
          </ul>`}
      ${rest > 0 && !searching
        ? html`<button class="more" @click=${() => this.showMore(visible.length)}>
            ${msg(str`Show ${formatNumber(Math.min(rest, this.pageSize))} more (${formatNumber(visible.length)} of ${formatNumber(known)} shown)`)}
          </button>`
        : nothing}`;
  }

  private async showMore(visible: number) {
    this.shown = visible + this.pageSize;
    if (!this.filtering() && this.list.accounts.length < this.shown) await this.list.more();
  }

  private clearFilters() {
    this.filter = '';
    this.healthFilter = 'all';
    this.platformFilter = '';
    this.shown = 0;
  }

  private renderAddAccount() {
    const data = this.platformsData;
    if (!data) return nothing;
    const full = data.accountLimit !== null && data.accountCount >= data.accountLimit;
    const limit = data.accountLimit === null ? msg('unlimited') : formatNumber(data.accountLimit);
    const why = msg(str`Your plan allows ${limit} accounts, and all are in use. Upgrade to add more.`);
    const next = this.nextPlan();
    return html`<section class="add" aria-labelledby="cp-add-title">
      <h3 id="cp-add-title" tabindex="-1">${msg('Add an account')}</h3>
      <p class="count">
        ${msg(str`${formatNumber(data.accountCount)} of ${limit} accounts used`)}${full
          ? html` · <a href=${this.upgradeHref() ?? '#'}>${next ? msg(str`Upgrade to ${planLabel(next)}`) : msg('Upgrade to add more')}</a>`
          : nothing}
      </p>
      <ul class="platforms">
        ${data.platforms.flatMap((p) => {
          if (p.status === 'upgrade_required')
            return [html`<li><a class="upgrade" href=${this.upgradeHref() ?? '#'}>${platformIcon(p.platform)} ${p.label}: ${msg(str`Upgrade to ${planLabel(p.requiredPlan)}`)}</a></li>`];
          if (p.status !== 'available') return [html`<li><span class="soon">${platformIcon(p.platform)} ${p.label}: ${msg('coming soon')}</span></li>`];
          const kinds = p.kinds && p.kinds.length > 1 ? p.kinds : [null];
          return kinds.map((k) => {
            const label = k ? kindLabel(k.kind, k.label) : p.label;
            const words = msg(str`Connect ${label}`);
            return html`<li class="connect">
              <button aria-disabled=${full ? 'true' : 'false'} aria-describedby=${full ? 'cp-limit-why' : nothing} @click=${() => (full ? this.toastLimit(why) : this.connect(p.platform, label, k?.kind))}>${platformIcon(p.platform)} ${words}</button>
            </li>`;
          });
        })}
      </ul>
      ${full ? html`<p class="tip" id="cp-limit-why" role="tooltip">${why}</p>` : nothing}
    </section>`;
  }

  private toastLimit(why: string) {
    this.toasts.show({ id: 'limit', text: why, tone: 'info' });
  }

  private renderToasts() {
    return html`<ol
      class="toasts"
      part="toasts"
      aria-label=${msg('Notifications')}
      aria-live="polite"
      @mouseenter=${() => this.toasts.hold(true)}
      @mouseleave=${() => this.toasts.hold(false)}
      @focusin=${() => this.toasts.hold(true)}
      @focusout=${() => this.toasts.hold(false)}
    >
      ${repeat(
        this.toasts.items,
        (t) => t.id,
        (t) => html`<li class="toast ${t.tone}" part="toast">
          <span class="text">${toastText(t)}</span>${errorHelp(this.errorsBase(), t.code)}
          ${t.id === 'oauth' && this.oauth.blocked
            ? html`<button class="action" @click=${() => this.oauth.continueInThisTab()}>${msg('Continue in this tab instead')}</button>`
            : nothing}
          ${t.tone === 'warning' && t.accountId && this.isAmber(t.accountId)
            ? html`<button class="action" @click=${() => this.startReconnect(t.accountId!)}>${msg('Reconnect')}</button>
                <a href=${this.accountLink(t.accountId)} @click=${(e: MouseEvent) => this.viewFromToast(e, t.accountId!)}>${msg('View account')}</a>`
            : nothing}
          <button class="dismiss" aria-label=${msg('Dismiss')} title=${msg('Dismiss')} @click=${() => this.toasts.dismiss(t.id)}>×</button>
        </li>`,
      )}
    </ol>`;
  }

  private isAmber(accountId: string): boolean {
    const a = this.list.accounts.find((x) => x.id === accountId);
    return a ? a.health === 'needs_reconnect' || a.status === 'paused' : true;
  }

  private viewFromToast(event: MouseEvent, accountId: string) {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    void this.openDetails(accountId, null);
  }

  /** An outcome of the person's own action: one toast (each replaces the last), about those accounts. */
  private sayOutcome(text: string, tone: Tone, accountIds?: string[]) {
    const t = this.toasts.show({ id: 'oauth', text, tone, code: tone === 'error' ? codeOfText(text) : null });
    this.#own = accountIds?.length ? { ids: new Set(accountIds), toastId: t.id } : null;
  }

  /** A connect that left an account amber (a declined permission) says so in its one message. */
  private reviseOwnOutcome() {
    const own = this.#own;
    if (!own) return;
    const amber = this.list.accounts.filter((a) => own.ids.has(a.id) && a.health === 'needs_reconnect');
    if (amber.length === 0 || !this.toasts.items.some((t) => t.id === own.toastId)) return;
    const first = amber[0]!;
    this.toasts.show({
      id: own.toastId,
      tone: 'warning',
      accountId: first.id,
      text: () => msg(str`${first.displayName} is connected but needs reconnecting: ${reasonText(first) ?? ''}`),
    });
  }

  private nextPlan(): string | null {
    const plan = this.platformsData?.plan;
    if (!plan) return null;
    const i = (PLANS as readonly string[]).indexOf(plan);
    return i >= 0 && i < PLANS.length - 1 ? PLANS[i + 1]! : null;
  }

  private upgradePlanFor(a: Account): string | null {
    if (a.pausedReason === 'plan_platform') {
      const required = this.platformsData?.platforms.find((p) => p.platform === a.platform)?.requiredPlan;
      if (required) return planLabel(required);
    }
    const next = this.nextPlan();
    return next ? planLabel(next) : null;
  }

  /** Where the BFF's error reference is (`<bff>/errors#<code>`). */
  private errorsBase(): string | null {
    return this.client?.baseUrl ?? (this.bffUrl || null);
  }

  private upgradeHref(): string | null {
    return hostUrl(this.upgradeUrl)?.href ?? null;
  }

  private connect(platform: StartConnectionRequest['platform'], label: string, kind?: StartConnectionRequest['kind']) {
    const client = this.client;
    if (!client) return;
    void this.oauth.start(
      label,
      (mode, returnTo) => client.startConnection({ platform, ...(kind ? { kind } : {}), mode, ...(returnTo ? { returnTo } : {}) }),
      msg(str`Finish signing in to ${label} in the new window.`),
    );
  }

  /** Re-authorizes an account; the person is told first to approve every permission. */
  startReconnect(accountId: string): void {
    const client = this.client;
    if (!client) return;
    const account = this.list.accounts.find((a) => a.id === accountId);
    const name = account?.displayName ?? msg('the account');
    this.toasts.dismissAbout(accountId);
    const start: Starter = (mode, returnTo) => client.reconnect(accountId, { mode, ...(returnTo ? { returnTo } : {}) });
    void this.oauth.start(name, start, msg(str`Reconnecting ${name}: approve every requested permission so publishing, analytics and comments keep working.`));
  }

  /** "Reconnect all": the amber accounts one after another, and links for their owners. */
  private async openReconnectAll() {
    const [amber] = await Promise.all([this.list.amber(), loadReconnectAll()]);
    if (amber.length === 0) return;
    await this.reconnectAll.open(
      amber.map((a) => a.id),
      {
        lookup: (id) => this.list.accounts.find((a) => a.id === id),
        reconnect: (id) => this.startReconnect(id),
      },
    );
  }

  /** The choice step after OAuth, with what the plan still allows. */
  private async chooseAccounts(label: string, choices: Choices, problem?: string): Promise<string[] | null> {
    const data = this.platformsData;
    const remaining = data && data.accountLimit !== null ? Math.max(0, data.accountLimit - data.accountCount) : null;
    // The step's advice is done with: the dialog says the rest.
    this.toasts.dismiss('oauth');
    await loadChoiceDialog();
    return this.choice.choose({ label, choices, remaining, ...(problem ? { problem } : {}) });
  }

  private accountLink(accountId: string | null): string {
    const url = new URL(window.location.href);
    if (accountId) url.searchParams.set('account', accountId);
    else url.searchParams.delete('account');
    return url.href;
  }

  /** The card of an account, by its way in (the name). */
  private cardButton(accountId: string): HTMLElement | null {
    const card = [...this.renderRoot.querySelectorAll('cp-account-card')].find((c) => c.account.id === accountId);
    return card?.shadowRoot?.querySelector<HTMLElement>('button.name') ?? null;
  }

  /** Opens an account's detail panel (from a card, a toast, or ?account=<id>), and writes ?account=<id> so the link can be copied. */
  private async openDetails(accountId: string, opener: HTMLElement | null) {
    if (!this.client) return;
    try {
      await loadAccountDetail();
      await this.detail.show(accountId, () => {
        // Disconnected meanwhile: focus goes to the card that takes its place, once the list is read.
        if (this.#focusAfterRead !== null || !this.list.accounts.some((a) => a.id === accountId)) return null;
        return opener?.isConnected && opener.matches('button, a, [tabindex]') ? opener : (this.cardButton(accountId) ?? this.heading());
      });
      history.replaceState(history.state, '', this.accountLink(accountId));
    } catch (err) {
      // A link to an account that is not there (any more): say why, and take the dead link out of the address.
      if (new URL(window.location.href).searchParams.get('account') === accountId) history.replaceState(history.state, '', this.accountLink(null));
      this.toasts.show({ text: () => describeError(err), tone: 'error', code: errorCode(err) });
    }
  }

  private onDetailClosed = () => {
    if (new URL(window.location.href).searchParams.has('account')) history.replaceState(history.state, '', this.accountLink(null));
  };

  private heading(): HTMLElement {
    return this.renderRoot.querySelector<HTMLElement>('#cp-title')!;
  }

  override updated() {
    // The pull's distance through the CSSOM, never a style attribute (a strict CSP blocks those).
    this.renderRoot.querySelector<HTMLElement>('.pull')?.style.setProperty('--cp-pull', `${this.pull.distance}px`);
    if (this.#focusAfterRead !== null && !this.list.loading) {
      const at = this.#focusAfterRead;
      this.#focusAfterRead = null;
      const cards = [...this.renderRoot.querySelectorAll('cp-account-card')];
      const card = cards[Math.min(at, cards.length - 1)];
      if (card) void card.updateComplete.then(() => card.shadowRoot!.querySelector<HTMLElement>('button.name')?.focus());
      else this.renderRoot.querySelector<HTMLElement>('#cp-add-title')?.focus() ?? this.heading().focus();
    }
    // ?account=<id> opens that account's panel once the accounts are there (from the BFF, not before).
    if (this.#deepLinkDone || !this.list.loaded) return;
    this.#deepLinkDone = true;
    const id = new URL(window.location.href).searchParams.get('account');
    if (id) void this.openDetails(id, null);
    // Details are the usual next step: fetched while the person reads the cards.
    (window.requestIdleCallback ?? setTimeout)(() => void Promise.all([loadAccountDetail(), loadConfirmDialog(), loadCardMenu(), this.loadPull()]).catch(() => undefined));
    // Back from the redirect flow: a "Reconnect all" queue may wait for it (the dialog looks).
    if (this.#backFromRedirect) {
      void loadReconnectAll().then(() => {
        const dialog = this.reconnectAll;
        if (!this.isConnected || !dialog) return; // the panel left the page meanwhile
        customElements.upgrade(dialog);
        return dialog.resume({ lookup: (x) => this.list.accounts.find((a) => a.id === x), reconnect: (x) => this.startReconnect(x) });
      });
    }
  }

  override connectedCallback() {
    super.connectedCallback();
    this.#healthTimer = setInterval(() => void this.healthCheck(), this.healthCheckIntervalMs);
    // Relative times ("Checked 3 minutes ago") move on by themselves.
    this.#clockTimer = setInterval(() => this.requestUpdate(), 60_000);
    window.addEventListener('online', this.onOnline);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    if (this.#clockTimer) clearInterval(this.#clockTimer);
    this.#healthTimer = this.#clockTimer = null;
    window.removeEventListener('online', this.onOnline);
  }

  /** Back online after an error: try again by itself. */
  private onOnline = () => {
    if (this.list.error || this.#platformsFailed) this.refresh();
  };

  /** Asks the BFF to check every account now (on opening, hourly, Check statuses, pull to refresh); shows what changed as toasts. */
  healthCheck(): Promise<void> {
    // One at a time: a second ask while one runs waits for that one.
    return (this.#checkRun ??= this.runHealthCheck().finally(() => (this.#checkRun = null)));
  }
  #checkRun: Promise<void> | null = null;

  private async runHealthCheck(): Promise<void> {
    if (!this.client) return;
    this.checking = true;
    try {
      const { events } = await this.client.healthCheck();
      this.showToasts(events);
      this.checkedAt = new Date();
      await this.afterChange();
    } catch (err) {
      this.toasts.show({ id: 'check', text: () => describeError(err), tone: 'error', code: errorCode(err) });
    } finally {
      this.checking = false;
    }
  }

  /** After anything that may have changed accounts: re-read them, and toast the new events. */
  private async afterChange() {
    void this.readPlatforms();
    await this.list.reload();
    await this.readEvents(true);
    // The events that restated the person's own outcome are read: later ones are news again.
    this.#own = null;
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

  /**
   * Each event is toasted once, however it arrived (health check or feed); of several about
   * one account in one batch only the newest is said (a refresh then an expiry is an expiry);
   * what the person's own action already said is not said again.
   */
  private showToasts(events: PublicEvent[]) {
    const own = this.#own;
    const latest = new Map<string, PublicEvent>();
    for (const e of events) {
      if (this.#seenEvents.has(e.id)) continue;
      this.#seenEvents.add(e.id);
      if (own && e.accountId && own.ids.has(e.accountId) && OWN_OUTCOME_EVENTS.has(e.type)) continue;
      latest.set(e.accountId ?? `event:${e.id}`, e);
    }
    const nameOf = (id: string | null) => (id ? this.list.accounts.find((a) => a.id === id)?.displayName : undefined);
    for (const e of latest.values()) {
      this.toasts.show({ id: `event-${e.id}`, text: () => eventText(e, nameOf), tone: WARNING_EVENTS.has(e.type) ? 'warning' : 'info', accountId: e.accountId });
    }
  }

  private onAccountAction = async (event: CpAccountActionEvent) => {
    if (!this.client) return;
    const opener = event.composedPath()[0] as HTMLElement;
    if (event.action === 'details') return this.openDetails(event.accountId, opener);
    if (event.action === 'reconnect') return this.startReconnect(event.accountId);
    const account = this.list.accounts.find((a) => a.id === event.accountId) ?? this.detail.account;
    if (!account) return;
    await loadConfirmDialog();
    const confirmed = await this.confirm.askDisconnect(account.displayName, opener);
    if (!confirmed) return;
    try {
      const at = this.list.accounts.findIndex((a) => a.id === account.id);
      await this.client.disconnect(account.id);
      if (this.detail.open) this.detail.close();
      this.#focusAfterRead = Math.max(0, at);
      const t = this.toasts.show({ id: 'oauth', text: msg(str`${account.displayName} disconnected.`), tone: 'success' });
      this.#own = { ids: new Set([account.id]), toastId: t.id };
      this.toasts.dismissAbout(account.id);
      await this.afterChange();
    } catch (err) {
      this.toasts.show({ text: () => describeError(err), tone: 'error', code: errorCode(err) });
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
      const url = hostUrl(this.composerUrl);
      if (!url) return;
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
