import { LitElement, css, html, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { AccountDetail } from '../api/api-client.ts';
import { CpAccountActionEvent, CpCreatePostEvent } from '../events.ts';
import { platformIcon, platformLabel } from '../styles/platforms.ts';
import { buttonStyles } from '../styles/button.styles.ts';
import { dialogStyles, sheetStyles } from '../styles/dialog.styles.ts';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : 'Never');

/**
 * @tagname cp-account-detail
 *
 * An account's detail panel, in a native modal dialog: who it is, its connection and health,
 * whether it can publish, recent posts (Facebook, Instagram) and, for admins, the token debug
 * panel. Its actions are the card's: create post, reconnect, disconnect.
 *
 * @csspart dialog - the dialog
 */
export class AccountDetailPanel extends LitElement {
  static override styles = [
    buttonStyles,
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
    }
    header h2 {
      margin: 0;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
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
    @media (prefers-color-scheme: dark) {
      dt {
        color: var(--cp-muted-color, #8b949e);
      }
    }
    ul.posts {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin-top: 1rem;
    }
  `,
    // Last, so the narrow layout wins over the sizes above.
    sheetStyles,
  ];

  @property({ attribute: false }) account: AccountDetail | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;
  #returnFocus: HTMLElement | null = null;

  /** Opens the panel for this account; focus goes back to `returnFocus` when it closes. */
  async show(account: AccountDetail, returnFocus: HTMLElement | null): Promise<void> {
    this.account = account;
    this.#returnFocus = returnFocus;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
  }

  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  override render() {
    const a = this.account;
    if (!a) return html`<dialog part="dialog" aria-label="Account details"></dialog>`;
    const platform = platformLabel(a.platform);
    return html`<dialog part="dialog" aria-labelledby="detail-title" @close=${() => this.#returnFocus?.focus()}>
      <header>
        ${a.avatarUrl ? html`<img class="avatar" src=${a.avatarUrl} alt="" />` : nothing}
        <div>
          <h2 id="detail-title">${a.displayName}</h2>
          <div>${platformIcon(a.platform)} ${platform}${a.username ? html` · @${a.username}` : nothing}</div>
        </div>
      </header>
      <dl>
        <dt>Health</dt>
        <dd>${a.health === 'healthy' ? 'Healthy' : 'Needs reconnect'}${a.reasonMessage ? html` — ${a.reasonMessage}` : nothing}</dd>
        <dt>Connected</dt>
        <dd>${when(a.connectedAt)}</dd>
        <dt>Last token refresh</dt>
        <dd>${when(a.lastRefreshedAt)}</dd>
        <dt>Publishing</dt>
        <dd>${a.canPublish ? 'Can receive published posts' : 'Cannot publish: reconnect it with the current flow'}</dd>
      </dl>
      ${a.debug
        ? html`<section aria-labelledby="debug-title">
            <h3 id="debug-title">Token debug</h3>
            <dl>
              <dt>Granted scopes</dt>
              <dd>${a.debug.grantedScopes.join(', ') || 'None'}</dd>
              <dt>Missing scopes</dt>
              <dd>${a.debug.missingScopes.join(', ') || 'None'}</dd>
              <dt>Token expires</dt>
              <dd>${when(a.debug.tokenExpiresAt)}</dd>
              <dt>Data access expires</dt>
              <dd>${a.debug.dataAccessExpiresAt ? when(a.debug.dataAccessExpiresAt) : 'Not applicable'}</dd>
            </dl>
          </section>`
        : nothing}
      ${a.recentPosts
        ? html`<section aria-labelledby="posts-title">
            <h3 id="posts-title">Recent posts</h3>
            ${a.recentPosts.length === 0
              ? html`<p>No recent posts.</p>`
              : html`<ul class="posts">
                  ${a.recentPosts.map(
                    (p) => html`<li>
                      ${p.permalinkUrl ? html`<a href=${p.permalinkUrl} target="_blank" rel="noopener">${p.message ?? 'Post'}</a>` : (p.message ?? 'Post')}
                      ${p.publishedAt ? html`<small> · ${when(p.publishedAt)}</small>` : nothing}
                    </li>`,
                  )}
                </ul>`}
          </section>`
        : nothing}
      <div class="actions">
        <button @click=${() => this.dispatchEvent(new CpCreatePostEvent(a.id))}>Create post</button>
        <button @click=${() => this.act('reconnect')}>Reconnect</button>
        <button @click=${() => this.act('disconnect')}>Disconnect</button>
        <button @click=${() => this.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private act(action: 'reconnect' | 'disconnect') {
    const id = this.account!.id;
    this.close();
    this.dispatchEvent(new CpAccountActionEvent(id, action));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-account-detail': AccountDetailPanel;
  }
}
