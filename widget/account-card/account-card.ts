import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Account } from '../api/api-client.ts';
import { CpAccountActionEvent, CpCreatePostEvent } from '../events.ts';
import { platformIcon, platformLabel } from '../styles/platforms.ts';
import { accountCardStyles } from './account-card.styles.ts';

/**
 * @tagname cp-account-card
 *
 * One connected account: picture, name, platform, health in words and colour, and its quick
 * actions. Actions are events; the panel (or the host) acts on them.
 *
 * @csspart card - the card
 * @cssprop --cp-healthy-color - the green dot
 * @cssprop --cp-amber-color - the amber dot
 */
export class AccountCard extends LitElement {
  static override styles = accountCardStyles;

  /** Re-renders only when something shown changed: a re-read list brings new objects for every account. */
  @property({ attribute: false, hasChanged: (next: Account, previous?: Account) => !sameAccount(next, previous) }) account!: Account;
  /** The host's support page; with a connection error, "Fix with AI Support" links there. */
  @property({ attribute: false }) supportUrl: string | null = null;
  @state() private pictureFailed = false;

  override render() {
    const a = this.account;
    const amber = a.health === 'needs_reconnect';
    const words = amber ? 'Needs reconnect' : 'Healthy';
    const platform = platformLabel(a.platform);
    return html`<article class="card ${amber ? 'amber' : 'healthy'}" part="card" aria-label="${a.displayName}, ${platform}, ${words}">
      ${a.avatarUrl && !this.pictureFailed
        ? html`<img class="avatar" src=${a.avatarUrl} alt="" @error=${() => (this.pictureFailed = true)} />`
        : html`<span class="avatar" aria-hidden="true">${a.displayName.slice(0, 1).toUpperCase()}</span>`}
      <div>
        <div class="name">${a.displayName}</div>
        <div class="meta">${platformIcon(a.platform)}<span>${platform}${a.username ? html` · @${a.username}` : nothing}</span></div>
        <div class="health" role="status"><span class="dot" aria-hidden="true"></span><span>${words}</span></div>
      </div>
      ${amber && a.reasonMessage ? html`<p class="reason">${a.reasonMessage}</p>` : nothing}
      <div class="actions">
        ${amber ? html`<button class="primary" @click=${() => this.act('reconnect')}>Reconnect</button>` : nothing}
        <button @click=${this.createPost}>Create post</button>
        <button @click=${() => this.act('details')}>View details</button>
        ${amber ? nothing : html`<button @click=${() => this.act('reconnect')}>Reconnect</button>`}
        <button @click=${() => this.act('disconnect')}>Disconnect</button>
        ${amber && a.lastError && this.supportUrl ? html`<a class="support" href=${this.supportHref(a)} target="_blank" rel="noopener">Fix with AI Support</a>` : nothing}
      </div>
    </article>`;
  }

  private act(action: 'details' | 'reconnect' | 'disconnect') {
    this.dispatchEvent(new CpAccountActionEvent(this.account.id, action));
  }

  private createPost() {
    this.dispatchEvent(new CpCreatePostEvent(this.account.id));
  }

  private supportHref(a: Account): string {
    const url = new URL(this.supportUrl!, document.baseURI);
    url.searchParams.set('error', `${platformLabel(a.platform)}: ${a.lastError!.code}: ${a.lastError!.message}`);
    return url.href;
  }
}

/** Whether two reads of an account show the same thing (field by field; the error by its contents). */
export function sameAccount(a: Account | undefined, b: Account | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  for (const key of Object.keys(a) as (keyof Account)[]) {
    if (key === 'lastError') {
      if (a.lastError?.code !== b.lastError?.code || a.lastError?.message !== b.lastError?.message) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-account-card': AccountCard;
  }
}
