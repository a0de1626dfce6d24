import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { localized } from '@lit/localize';
import type { AccountDetail, ApiClient, HistoryEntry } from '../api/api-client.ts';
import { ApiError } from '../api/api-client.ts';
import { hostUrl, safeUrl } from '../api/safe-url.ts';
import { errorCode, errorHelp } from '../api/error-reference.ts';
import { apiContext } from '../context/api-context.ts';
import { CpAccountActionEvent, CpCreatePostEvent } from '../events.ts';
import { formatDate, formatDateTime, formatRelative, msg, str } from '../i18n/i18n.ts';
import { describeError, healthWords, pausedText, problemCode, reasonText } from '../i18n/messages.ts';
import { actorName, historyText } from './history-text.ts';
import { needsActionSoon, WARNING_DAYS } from '../account-card/account-card.ts';
import { onBackdrop, sheetDrag } from '../controllers/sheet-drag.ts';
import { platformIcon, platformLabel } from '../styles/platforms.ts';
import { buttonStyles } from '../styles/button.styles.ts';
import { healthStyles } from '../styles/health.styles.ts';
import { dialogStyles, sheetStyles } from '../styles/dialog.styles.ts';

/** A moment as "3 days ago", the exact time on hover. */
export const ago = (iso: string | null | undefined) =>
  iso ? html`<time datetime=${iso} title=${formatDateTime(iso)}>${formatRelative(iso)}</time>` : msg('Never');

/** Scope names, each one whole (long names wrap between scopes, never inside one). */
const scopeList = (scopes: string[]) =>
  scopes.length ? html`<ul class="scopes">${scopes.map((s) => html`<li><code>${s}</code></li>`)}</ul>` : msg('None');

/**
 * @tagname cp-account-detail
 *
 * An account's detail panel, in a native modal dialog (a bottom sheet on narrow screens):
 * who it is, its health and actions first, then its connection facts, whether it can
 * publish, recent posts (Facebook, Instagram), its history and, for admins, the token debug
 * panel and a reconnect link to send to the account's owner. It talks to the BFF through the
 * API client from context.
 *
 * @csspart dialog - the dialog
 */
@localized()
export class AccountDetailPanel extends LitElement {
  static override styles = [
    buttonStyles,
    healthStyles,
    dialogStyles,
    css`
      dialog {
        width: min(36rem, calc(100vw - 2rem));
      }
      header {
        display: flex;
        gap: 0.75rem;
        align-items: center;
      }
      img.avatar {
        width: 56px;
        height: 56px;
        border-radius: 50%;
        object-fit: cover;
      }
      header h2 {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .sub {
        display: flex;
        align-items: center;
        gap: 0.375rem;
        color: var(--cp-muted-color, #57606a);
        font-size: 0.875rem;
      }
      .status {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.375rem;
        margin: 0.75rem 0 0;
      }
      .status .why,
      .soon {
        flex-basis: 100%;
        margin: 0.25rem 0 0;
        font-size: 0.875rem;
        color: var(--cp-amber-text, #7d4e00);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-block: 0.875rem;
      }
      .actions .danger-outline {
        color: var(--cp-danger-color, #cf222e);
        border-color: currentColor;
        margin-inline-start: auto;
      }
      .link {
        display: grid;
        gap: 0.25rem;
        font-size: 0.875rem;
      }
      .link input {
        font: inherit;
        padding: 0.25rem 0.5rem;
        border: 1px solid var(--cp-border-color, #d0d7de);
        border-radius: 0.375rem;
        background: transparent;
        color: inherit;
      }
      a.upgrade {
        font-size: 0.875rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.25rem 1rem;
        font-size: 0.9rem;
      }
      dt {
        color: var(--cp-muted-color, #57606a);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      ul.scopes {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      ul.scopes code {
        font-size: 0.8125rem;
        padding: 0 0.25rem;
        border-radius: 0.25rem;
        background: var(--cp-muted-background, #eaeef2);
        overflow-wrap: anywhere;
      }
      h3 {
        font-size: 1rem;
        margin: 1rem 0 0.5rem;
      }
      details.history summary {
        cursor: pointer;
      }
      details.history summary h3 {
        display: inline;
      }
      ul.posts,
      ol.history {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.5rem;
      }
      ul.posts li {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        gap: 0.625rem;
        align-items: center;
        overflow-wrap: anywhere;
      }
      ul.posts img,
      ul.posts .thumb {
        width: 48px;
        height: 48px;
        border-radius: 0.375rem;
        object-fit: cover;
        background: var(--cp-muted-background, #eaeef2);
      }
      ol.history li {
        border-inline-start: 2px solid var(--cp-border-color, #d0d7de);
        padding-inline-start: 0.625rem;
        font-size: 0.875rem;
      }
      small,
      .muted {
        color: var(--cp-muted-color, #57606a);
      }
      @media (prefers-color-scheme: dark) {
        dt,
        small,
        .muted,
        .sub {
          color: var(--cp-muted-color, #8b949e);
        }
        .status .why,
        .soon {
          color: var(--cp-amber-text, #e3b341);
        }
        .actions .danger-outline {
          color: var(--cp-danger-color, #ff7b72);
        }
        ol.history li {
          border-color: var(--cp-border-color, #30363d);
        }
        ul.posts .thumb,
        ul.scopes code {
          background: var(--cp-muted-background, #30363d);
        }
      }
    `,
    // Last, so the narrow layout wins over the sizes above.
    sheetStyles,
  ];

  @consume({ context: apiContext, subscribe: true })
  @state()
  private client: ApiClient | null = null;

  @property({ attribute: false }) account: AccountDetail | null = null;
  /** Where a paused account's upgrade prompt goes, and the plan it names. */
  @property({ attribute: false }) upgradeUrl: string | null = null;
  @property({ attribute: false }) upgradePlan: string | null = null;
  @property({ attribute: false }) warningDays = WARNING_DAYS;
  /** The session's role, as the BFF says it (GET /api/platforms); null: judged from the debug panel's presence. */
  @property({ attribute: false }) sessionRole: 'member' | 'admin' | null = null;
  @state() private history: HistoryEntry[] | null = null;
  @state() private historyCursor: string | null = null;
  @state() private historyState: 'idle' | 'loading' | 'error' | 'none' = 'idle';
  @state() private link: { state: 'idle' | 'busy' | 'done' | 'error'; url?: string; text?: string; code?: string | null } = { state: 'idle' };
  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }
  #returnFocus: (() => HTMLElement | null) | null = null;
  #loads: AbortController | null = null;
  #drag = sheetDrag(
    () => this.dialog,
    () => this.close(),
  );

  /** Whether the panel is open. */
  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  /**
   * Reads the account through the API client and opens the panel, focused on its heading;
   * on close focus goes to what `returnFocus` gives then. Rejects when the account cannot be read.
   */
  async show(accountId: string, returnFocus: () => HTMLElement | null): Promise<void> {
    if (!this.client) throw new Error('No API client in context');
    this.#loads?.abort();
    const loads = (this.#loads = new AbortController());
    const account = await this.client.getAccount(accountId, loads.signal);
    this.account = account;
    this.#returnFocus = returnFocus;
    this.link = { state: 'idle' };
    this.history = null;
    this.historyCursor = null;
    this.historyState = 'idle';
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('#detail-title')?.focus();
    const history = this.renderRoot.querySelector('details.history');
    if (history) (history as HTMLDetailsElement).open = false;
  }

  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  private onClose = () => {
    this.#loads?.abort();
    this.dispatchEvent(new Event('cp-detail-closed', { bubbles: false }));
    const target = this.#returnFocus?.();
    if (target?.isConnected) target.focus();
  };

  private async loadHistory(after: string | undefined) {
    const client = this.client;
    const account = this.account;
    if (!client || !account) return;
    this.historyState = 'loading';
    try {
      const page = await client.accountHistory(account.id, after, this.#loads?.signal);
      if (account !== this.account) return;
      this.history = [...(after ? (this.history ?? []) : []), ...page.entries];
      this.historyCursor = page.cursor;
      this.historyState = 'idle';
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      // A BFF without the history endpoint: no section at all.
      this.historyState = err instanceof ApiError && err.status === 404 && !this.history ? 'none' : 'error';
    }
  }

  override render() {
    const a = this.account;
    if (!a) return html`<dialog part="dialog" aria-label=${msg('Account details')}></dialog>`;
    const paused = a.status === 'paused';
    const amber = !paused && a.health === 'needs_reconnect';
    const healthy = !paused && a.health === 'healthy';
    const origin = this.client?.origin ?? null;
    const avatar = safeUrl(a.avatarUrl, origin);
    const reason = amber ? reasonText(a) : null;
    const canPublish = a.canPublish && healthy;
    const admin = this.sessionRole ? this.sessionRole === 'admin' : Boolean(a.debug);
    return html`<dialog part="dialog" aria-labelledby="detail-title" @close=${this.onClose} @click=${(e: MouseEvent) => onBackdrop(e, this.dialog) && this.close()}>
      <div
        class="handle"
        aria-hidden="true"
        @pointerdown=${this.#drag.pointerdown}
        @pointermove=${this.#drag.pointermove}
        @pointerup=${this.#drag.pointerup}
        @pointercancel=${this.#drag.pointercancel}
      ></div>
      <header>
        ${avatar ? html`<img class="avatar" src=${avatar} alt="" />` : nothing}
        <div>
          <h2 id="detail-title" tabindex="-1">${a.displayName}</h2>
          <div class="sub">${platformIcon(a.platform)} ${platformLabel(a.platform)}${a.username ? html` · <bdi>@${a.username}</bdi>` : nothing}</div>
        </div>
        <button class="close" aria-label=${msg('Close')} title=${msg('Close')} @click=${() => this.close()}>×</button>
      </header>
      <p class="status ${paused ? 'paused' : amber ? 'amber' : ''}">
        <span class="dot" aria-hidden="true"></span><strong>${healthWords(a)}</strong>
        ${reason ? html`<span class="why">${reason}${errorHelp(this.client?.baseUrl, problemCode(a))}</span>` : nothing}
        ${paused
          ? html`<span class="why">${pausedText(a.pausedReason, a.platform)}
              ${hostUrl(this.upgradeUrl)
                ? html`<a class="upgrade" href=${hostUrl(this.upgradeUrl)!.href}>${this.upgradePlan ? msg(str`Upgrade to ${this.upgradePlan}`) : msg('Upgrade your plan')}</a>`
                : nothing}</span>`
          : nothing}
        ${a.actionNeededBy && needsActionSoon(a, this.warningDays)
          ? html`<span class="soon"><time datetime=${a.actionNeededBy} title=${formatDateTime(a.actionNeededBy)}>${msg(str`Needs reconnecting by ${formatDate(a.actionNeededBy)}`)}</time></span>`
          : nothing}
      </p>
      <div class="actions">
        <button class=${amber || paused ? 'primary' : ''} @click=${() => this.act('reconnect')}>${msg('Reconnect')}</button>
        <button @click=${() => this.dispatchEvent(new CpCreatePostEvent(a.id))}>${msg('Create post')}</button>
        ${admin ? html`<button ?disabled=${this.link.state === 'busy'} @click=${this.copyLink}>${msg('Copy reconnect link')}</button>` : nothing}
        <button class="danger-outline" @click=${() => this.act('disconnect')}>${msg('Disconnect')}</button>
      </div>
      <div class="link" role="status">${this.renderLink()}</div>
      <dl>
        <dt>${msg('Connected')}</dt>
        <dd>${ago(a.connectedAt)}</dd>
        <dt>${msg('Last token refresh')}</dt>
        <dd>${ago(a.lastRefreshedAt)}</dd>
        <dt>${msg('Last checked')}</dt>
        <dd>${a.checkedAt ? html`${msg('Checked')} ${ago(a.checkedAt)}` : msg('Not checked yet')}</dd>
        <dt>${msg('Publishing')}</dt>
        <dd>
          ${canPublish
            ? msg('Can receive published posts')
            : paused
              ? msg('Cannot publish while it is paused')
              : a.reason === 'publish_unavailable' || !a.canPublish
                ? msg('Cannot publish: reconnect it with the current flow')
                : msg('Cannot publish until it is reconnected')}
        </dd>
      </dl>
      ${a.debug
        ? html`<section aria-labelledby="debug-title">
            <h3 id="debug-title">${msg('Token debug')}</h3>
            <dl>
              <dt>${msg('Granted scopes')}</dt>
              <dd>${scopeList(a.debug.grantedScopes)}</dd>
              <dt>${msg('Missing scopes')}</dt>
              <dd>${scopeList(a.debug.missingScopes)}</dd>
              <dt>${msg('Token expires')}</dt>
              <dd>${a.debug.tokenExpiresAt ? formatDateTime(a.debug.tokenExpiresAt) : msg('Never')}</dd>
              <dt>${msg('Data access expires')}</dt>
              <dd>${a.debug.dataAccessExpiresAt ? formatDateTime(a.debug.dataAccessExpiresAt) : msg('Not applicable')}</dd>
            </dl>
          </section>`
        : nothing}
      ${a.recentPosts ? this.renderPosts(a, origin) : nothing}
      ${this.historyState === 'none' ? nothing : this.renderHistory()}
    </dialog>`;
  }

  private renderPosts(a: AccountDetail, origin: string | null) {
    const posts = a.recentPosts ?? [];
    return html`<section aria-labelledby="posts-title">
      <h3 id="posts-title">${msg('Recent posts')}</h3>
      ${posts.length === 0
        ? html`<p class="muted">${msg('No recent posts.')}</p>`
        : html`<ul class="posts">
            ${posts.map((p) => {
              const href = safeUrl(p.permalinkUrl, origin);
              const thumb = safeUrl(p.mediaUrl, origin);
              const words = p.message ?? msg('Post');
              return html`<li>
                ${thumb ? html`<img src=${thumb} alt="" loading="lazy" />` : html`<span class="thumb" aria-hidden="true"></span>`}
                <span>
                  ${href ? html`<a href=${href} target="_blank" rel="noopener">${words}</a>` : words}
                  ${p.publishedAt ? html`<small> · ${ago(p.publishedAt)}</small>` : nothing}
                </span>
              </li>`;
            })}
          </ul>`}
    </section>`;
  }

  private renderHistory() {
    const entries = this.history ?? [];
    // Read when opened: most visits to the panel never need it.
    return html`<details class="history" aria-busy=${this.historyState === 'loading' ? 'true' : 'false'} @toggle=${(e: Event) => (e.target as HTMLDetailsElement).open && this.history === null && this.historyState !== 'loading' && this.loadHistory(undefined)}>
      <summary><h3 id="history-title">${msg('History')}</h3></summary>
      ${this.history === null && this.historyState === 'loading' ? html`<p class="muted">${msg('Loading…')}</p>` : nothing}
      ${this.history !== null && entries.length === 0 ? html`<p class="muted">${msg('Nothing recorded yet.')}</p>` : nothing}
      <ol class="history">
        ${entries.map(
          (e) => html`<li>
            <div>${historyText(e)}</div>
            <small>${ago(e.at)}${actorName(e.actor) ? html` · ${msg(str`by ${actorName(e.actor)}`)}` : nothing}</small>
          </li>`,
        )}
      </ol>
      ${this.historyState === 'error' ? html`<p class="muted">${msg('The history could not be read.')}</p>` : nothing}
      ${this.historyCursor && this.historyState !== 'loading'
        ? html`<button @click=${() => this.loadHistory(this.historyCursor ?? undefined)}>${msg('Show older')}</button>`
        : nothing}
    </details>`;
  }

  private renderLink() {
    const l = this.link;
    if (l.state === 'busy') return msg('Creating a reconnect link…');
    if (l.state === 'error') return html`${l.text}${errorHelp(this.client?.baseUrl, l.code)}`;
    if (l.state !== 'done' || !l.url) return nothing;
    return html`<span>${l.text}</span>
      <label class="muted" for="link-url">${msg('Reconnect link')}</label>
      <input id="link-url" readonly .value=${l.url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />`;
  }

  /** An admin copies a single-use reconnect link to send to the account's owner. */
  private copyLink = async () => {
    const client = this.client;
    const account = this.account;
    if (!client || !account) return;
    this.link = { state: 'busy' };
    try {
      const { url, expiresAt } = await client.reconnectLink(account.id);
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch {
        // No clipboard permission: the link is shown to copy by hand.
      }
      const until = formatDateTime(expiresAt);
      this.link = {
        state: 'done',
        url,
        text: copied
          ? msg(str`Reconnect link copied. Send it to the account’s owner: it works once, until ${until}.`)
          : msg(str`Copy this link and send it to the account’s owner: it works once, until ${until}.`),
      };
    } catch (err) {
      this.link = { state: 'error', text: describeError(err), code: errorCode(err) };
    }
  };

  private act(action: 'reconnect' | 'disconnect') {
    const id = this.account!.id;
    // Reconnect leaves the panel; a disconnect asks first, on top of it.
    if (action === 'reconnect') this.close();
    this.dispatchEvent(new CpAccountActionEvent(id, action));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-account-detail': AccountDetailPanel;
  }
}
