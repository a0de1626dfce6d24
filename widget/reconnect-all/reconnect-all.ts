import { LitElement, css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { localized } from '@lit/localize';
import type { Account, ApiClient } from '../api/api-client.ts';
import { apiContext } from '../context/api-context.ts';
import { errorCode, errorHelp } from '../api/error-reference.ts';
import { formatNumber, msg, str } from '../i18n/i18n.ts';
import { describeError } from '../i18n/messages.ts';
import { onBackdrop } from '../controllers/sheet-drag.ts';
import { platformIcon, platformLabel } from '../styles/platforms.ts';
import { buttonStyles } from '../styles/button.styles.ts';
import { healthStyles } from '../styles/health.styles.ts';
import { dialogStyles, sheetStyles } from '../styles/dialog.styles.ts';

export interface ReconnectAllDeps {
  /** The account as the panel knows it now (re-read after each attempt). */
  lookup: (id: string) => Account | undefined;
  /** Starts the in-place reconnect (pop-up or redirect) from the person's click. */
  reconnect: (id: string) => void;
}

import { RECONNECT_ALL_QUEUE as STORED } from '../lazy.ts';

/**
 * @tagname cp-reconnect-all
 *
 * "Reconnect all": the amber accounts in a row, reconnected in place one after another (each
 * one a click, so the pop-up is never blocked; the queue survives the redirect flow), and
 * for an admin, reconnect links for the accounts' owners, all copied at once.
 *
 * @csspart dialog - the dialog
 */
@localized()
export class ReconnectAllDialog extends LitElement {
  static override styles = [
    buttonStyles,
    healthStyles,
    dialogStyles,
    css`
      dialog {
        width: min(34rem, calc(100vw - 2rem));
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      ol {
        list-style: none;
        padding: 0;
        margin: 0.75rem 0;
        display: grid;
        gap: 0.25rem;
        max-height: 45vh;
        overflow: auto;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem;
        padding: 0.375rem 0.5rem;
        border-radius: 0.5rem;
      }
      li.current {
        background: var(--cp-button-background, #f6f8fa);
      }
      li .name {
        flex: 1;
        min-width: 8rem;
        overflow-wrap: anywhere;
      }
      .state,
      p.muted {
        font-size: 0.875rem;
        color: var(--cp-muted-color, #57606a);
      }
      textarea {
        box-sizing: border-box;
        width: 100%;
        min-height: 6rem;
        font: inherit;
        font-size: 0.8125rem;
        background: transparent;
        color: inherit;
        border: 1px solid var(--cp-border-color, #d0d7de);
        border-radius: 0.375rem;
      }
      @media (prefers-color-scheme: dark) {
        li.current {
          background: var(--cp-button-background, #21262d);
        }
        .state,
        p.muted {
          color: var(--cp-muted-color, #8b949e);
        }
      }
    `,
    sheetStyles,
  ];

  @consume({ context: apiContext, subscribe: true })
  @state()
  private client: ApiClient | null = null;

  @state() private ids: string[] = [];
  @state() private skipped = new Set<string>();
  @state() private links: { state: 'idle' | 'busy' | 'done'; lines: string[]; problem?: string; code?: string | null; copied?: boolean } = { state: 'idle', lines: [] };
  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }
  #deps: ReconnectAllDeps | null = null;

  /** Opens the queue over these accounts. */
  async open(ids: string[], deps: ReconnectAllDeps): Promise<void> {
    this.#deps = deps;
    this.ids = ids;
    this.skipped = new Set();
    this.links = { state: 'idle', lines: [] };
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** Back from the redirect flow in the middle of the queue: carry on where it was. */
  async resume(deps: ReconnectAllDeps): Promise<void> {
    let stored: { ids: string[]; skipped: string[] } | null = null;
    try {
      stored = JSON.parse(sessionStorage.getItem(STORED) ?? 'null');
    } catch {
      stored = null;
    }
    if (!stored?.ids?.length) return;
    await this.open(stored.ids, deps);
    this.skipped = new Set(stored.skipped);
  }

  private done(id: string): boolean {
    const a = this.#deps?.lookup(id);
    return !a || (a.health === 'healthy' && a.status !== 'paused');
  }

  override render() {
    const deps = this.#deps;
    const total = this.ids.length;
    const fixed = this.ids.filter((id) => this.done(id)).length;
    const current = this.ids.find((id) => !this.done(id) && !this.skipped.has(id));
    return html`<dialog part="dialog" aria-labelledby="ra-title" @close=${this.onClose} @click=${(e: MouseEvent) => onBackdrop(e, this.dialog) && this.dialog.close()}>
      <header>
        <h2 id="ra-title" tabindex="-1">${msg('Reconnect all')}</h2>
        <button class="close" aria-label=${msg('Close')} title=${msg('Close')} @click=${() => this.dialog.close()}>×</button>
      </header>
      <p class="muted">${msg('Reconnect each account in turn, approving every requested permission, or send each account’s owner a reconnect link.')}</p>
      <p role="status"><strong>${msg(str`${formatNumber(fixed)} of ${formatNumber(total)} reconnected`)}</strong></p>
      <ol>
        ${deps
          ? this.ids.map((id) => {
              const a = deps.lookup(id);
              const ok = this.done(id);
              const name = a?.displayName ?? id;
              return html`<li class=${id === current ? 'current' : ''}>
                ${a ? platformIcon(a.platform) : nothing}
                <span class="name">${name}${a ? html` <span class="state">· ${platformLabel(a.platform)}</span>` : nothing}</span>
                <span class="state">
                  ${ok ? msg('Reconnected') : this.skipped.has(id) ? msg('Skipped') : html`<span class="dot amber" aria-hidden="true"></span> ${msg('Needs reconnect')}`}
                </span>
                ${id === current
                  ? html`<button class="primary" aria-label=${msg(str`Reconnect ${name}`)} @click=${() => this.reconnect(id)}>${msg('Reconnect')}</button>
                      <button aria-label=${msg(str`Skip ${name}`)} @click=${() => this.skip(id)}>${msg('Skip')}</button>`
                  : nothing}
              </li>`;
            })
          : nothing}
      </ol>
      ${!current && total > 0 ? html`<p role="status">${fixed === total ? msg('Every account is reconnected.') : msg('The rest were skipped.')}</p>` : nothing}
      <section aria-labelledby="ra-links">
        <h3 id="ra-links">${msg('Links for the accounts’ owners')}</h3>
        <p class="muted">${msg('Each link reconnects one account, works once and expires. Only admins can create them.')}</p>
        ${this.links.state === 'idle' ? html`<button @click=${this.createLinks}>${msg('Create reconnect links')}</button>` : nothing}
        ${this.links.state === 'busy'
          ? html`<p role="status">${msg(str`Creating links… ${formatNumber(this.links.lines.length)} of ${formatNumber(this.pendingIds().length)}`)}</p>`
          : nothing}
        ${this.links.problem ? html`<p role="alert">${this.links.problem}${errorHelp(this.client?.baseUrl, this.links.code)}</p>` : nothing}
        ${this.links.state === 'done' && this.links.lines.length
          ? html`<label class="muted" for="ra-lines">${msg('Reconnect links')}</label>
              <textarea id="ra-lines" readonly .value=${this.links.lines.join('\n')}></textarea>
              <div class="buttons">
                <span role="status">${this.links.copied ? msg('Copied.') : nothing}</span>
                <button @click=${this.copyLinks}>${msg('Copy all links')}</button>
              </div>`
          : nothing}
      </section>
    </dialog>`;
  }

  private pendingIds(): string[] {
    return this.ids.filter((id) => !this.done(id));
  }

  private reconnect(id: string) {
    this.store();
    this.#deps?.reconnect(id);
  }

  private skip(id: string) {
    this.skipped = new Set([...this.skipped, id]);
    this.store();
  }

  private store() {
    try {
      sessionStorage.setItem(STORED, JSON.stringify({ ids: this.ids, skipped: [...this.skipped] }));
    } catch {
      // Private mode: the queue simply does not survive a redirect.
    }
  }

  private onClose = () => {
    try {
      sessionStorage.removeItem(STORED);
    } catch {
      // Nothing stored.
    }
  };

  /** One link per amber account, one request at a time (a workspace's rate limit is shared). */
  private createLinks = async () => {
    const client = this.client;
    const deps = this.#deps;
    if (!client || !deps) return;
    const lines: string[] = [];
    this.links = { state: 'busy', lines };
    for (const id of this.pendingIds()) {
      try {
        const { url } = await client.reconnectLink(id);
        const a = deps.lookup(id);
        lines.push(`${a?.displayName ?? id} (${a ? platformLabel(a.platform) : ''}): ${url}`);
        this.links = { state: 'busy', lines };
      } catch (err) {
        this.links = { state: 'done', lines, problem: describeError(err), code: errorCode(err) };
        return;
      }
    }
    this.links = { state: 'done', lines };
  };

  private copyLinks = async () => {
    try {
      await navigator.clipboard.writeText(this.links.lines.join('\n'));
      this.links = { ...this.links, copied: true };
    } catch {
      this.renderRoot.querySelector('textarea')?.select();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-reconnect-all': ReconnectAllDialog;
  }
}
