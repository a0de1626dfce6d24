import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { localized } from '@lit/localize';
import { hostUrl } from '../api/safe-url.ts';
import { createApiClient, type ApiClient, type SessionSource } from '../api/api-client.ts';
import { apiContext } from '../context/api-context.ts';
import { CpAccountsChangedEvent } from '../events.ts';
import { LocaleController, msg } from '../i18n/i18n.ts';
import { MarksController } from '../styles/platforms.ts';
import { AccountList } from '../controllers/account-list.ts';

type SummaryView = typeof import('./summary-view.ts');

/**
 * @tagname connections-summary
 *
 * The "connected accounts" section of a host's overview page: the healthy and amber counts
 * and each account with its dot, every one linking to the connections page
 * (`panel-url?account=<id>`), amber first. It keeps itself current: it follows a panel on
 * the same page (`cp-accounts-changed`), and re-reads when the page comes back into view and
 * every few minutes. Its API client is its `api`, else one built from `bff-url` and
 * `session`, else the one in context (nested in a panel or a host's provider).
 *
 * @attr bff-url - the BFF's base URL
 * @attr panel-url - the host page that shows <connections-panel> (default: this page)
 * @attr locale - the language (BCP 47); default: the nearest `lang`
 * @csspart summary - the section
 * @cssprop --cp-font-family - the font
 * @cssprop --cp-text-color - text
 * @cssprop --cp-background - the element's background (white; dark in the dark scheme)
 * @cssprop --cp-muted-color - secondary text
 * @cssprop --cp-healthy-color - the healthy dot
 * @cssprop --cp-amber-color - the needs-reconnect dot
 */
@localized()
export class ConnectionsSummary extends LitElement {

  @property({ attribute: 'bff-url' }) bffUrl = '';
  @property({ attribute: 'panel-url' }) panelUrl = '';
  /** A session token, or a function returning a fresh one (called again after a 401). */
  @property({ attribute: false }) session: SessionSource | null = null;
  /** Replaces the API client built from bff-url and session. */
  @property({ attribute: false }) api: ApiClient | null = null;
  @property() locale = '';
  /** How often it re-reads by itself. */
  @property({ attribute: false }) refreshIntervalMs = 5 * 60_000;

  /** The client of a provider above it (a panel, or a host's own). */
  @consume({ context: apiContext, subscribe: true })
  @state()
  private contextClient: ApiClient | null = null;
  /** How it looks (styles and template): its own module, loaded on demand, so a page without a summary never fetches it. */
  @state() private view: SummaryView | null = null;

  private client: ApiClient | null = null;
  private language = new LocaleController(this);
  #timer: ReturnType<typeof setInterval> | null = null;

  private marks = new MarksController(this);
  /** The accounts, a page at a time (amber first) with the workspace's counts over all of them. */
  /** @internal */
  readonly list = new AccountList(
    this,
    () => this.client,
    () => undefined,
  );

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('api') || changed.has('bffUrl') || changed.has('session') || changed.has('contextClient')) {
      const next = this.api ?? (this.bffUrl && this.session ? createApiClient({ baseUrl: this.bffUrl, session: this.session }) : null) ?? this.contextClient;
      if (next !== this.client) {
        this.client = next;
        this.list.reset();
        if (next) void this.list.reload();
      }
    }
  }

  override connectedCallback() {
    super.connectedCallback();
    if (!this.view)
      void import('./summary-view.ts').then((view) => {
        (this.renderRoot as ShadowRoot).adoptedStyleSheets = view.styles.map((s) => s.styleSheet!);
        this.view = view;
      });
    window.addEventListener(CpAccountsChangedEvent.type, this.onPanelRead);
    document.addEventListener('visibilitychange', this.onVisible);
    this.#timer = setInterval(() => this.refresh(), this.refreshIntervalMs);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener(CpAccountsChangedEvent.type, this.onPanelRead);
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** A panel on this page read the accounts: read them too (its list may be only a page). */
  private onPanelRead = () => this.refresh();
  private onVisible = () => {
    if (document.visibilityState === 'visible') this.refresh();
  };

  /** @internal */
  retry = () => this.refresh();

  /** Reads the accounts again. */
  refresh(): void {
    if (this.client) void this.list.reload();
  }

  override render() {
    return this.view ? this.view.render(this) : html`<p part="summary" aria-busy="true">${msg('Loading…')}</p>`;
  }

  /** The panel's page, opening one account's panel when given. */
  /** @internal The panel's page, opening one account's panel when given. */
  link(accountId: string | null): string {
    const url = new URL(hostUrl(this.panelUrl)?.href ?? window.location.href);
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
