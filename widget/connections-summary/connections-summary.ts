import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localized } from '@lit/localize';
import type { ApiClient, SessionSource } from '../api/api-client.ts';
import type { AccountList } from '../controllers/account-list.ts';
import { LocaleController, msg } from '../i18n/i18n.ts';
import { MarksController } from '../styles/platforms.ts';

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

  /**
   * What it does and how it looks (reading, following a panel, the client from context, styles
   * and template): its own module, loaded on demand, so a page without a summary never fetches it.
   */
  @state() private view: SummaryView | null = null;
  private language = new LocaleController(this);
  private marks = new MarksController(this);
  /** @internal The client in use, the one of a provider above it, and the accounts (the view keeps them). */
  client: ApiClient | null = null;
  /** @internal */
  contextClient: ApiClient | null = null;
  /** @internal */
  list!: AccountList;
  /** @internal What to undo on leaving the page. */
  stop: (() => void) | null = null;

  override willUpdate() {
    this.view?.sync(this);
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.view) this.view.connect(this);
    else
      void import('./summary-view.ts').then((view) => {
        this.view = view;
        if (this.isConnected) view.connect(this);
      });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.stop?.();
    this.stop = null;
  }

  /** Reads the accounts again. */
  refresh(): void {
    if (this.client) void this.list.reload();
  }

  override render() {
    return this.view ? this.view.render(this) : html`<p part="summary" aria-busy="true">${msg('Loading…')}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'connections-summary': ConnectionsSummary;
  }
}
