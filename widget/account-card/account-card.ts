import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localized } from '@lit/localize';
import type { Account } from '../api/api-client.ts';
import { hostUrl, safeUrl } from '../api/safe-url.ts';
import { errorHelp, errorReferenceUrl } from '../api/error-reference.ts';
import { CpAccountActionEvent, CpCreatePostEvent } from '../events.ts';
import { formatDate, formatDateTime, msg, str } from '../i18n/i18n.ts';
import { healthWords, pausedText, problemCode, reasonText } from '../i18n/messages.ts';
import { MarksController, platformIcon, platformLabel } from '../styles/platforms.ts';
import { accountCardStyles } from './account-card.styles.ts';
import { sameAccount } from '../controllers/account-list.ts';
import { loadCardMenu } from '../lazy.ts';

/** How far ahead "Needs reconnecting by <date>" is shown (SPEC's EXPIRY_WARNING_DAYS default). */
export const WARNING_DAYS = 7;

/** Whether an account's forecast (`actionNeededBy`) falls within the warning window. */
export function needsActionSoon(a: Pick<Account, 'actionNeededBy'>, warningDays: number, now = Date.now()): boolean {
  if (!a.actionNeededBy) return false;
  return new Date(a.actionNeededBy).getTime() - now <= warningDays * 86_400_000;
}

type Action = 'details' | 'reconnect' | 'disconnect';

let cardMenu: typeof import('./card-menu.ts') | null = null;

/**
 * @tagname cp-account-card
 *
 * One connected account: picture, name, platform mark, health in words and colour, and one
 * primary action (Reconnect when amber, Create post when healthy, Upgrade when paused) with
 * the rest in a compact menu. Clicking or tapping the card opens its details; its name is
 * the keyboard's way in. Actions are events; the panel (or the host) acts on them.
 *
 * @csspart card - the card
 * @csspart menu - the card's "More actions" menu
 * @cssprop --cp-healthy-color - the green dot
 * @cssprop --cp-amber-color - the amber dot
 * @cssprop --cp-paused-color - the paused dot
 */
@localized()
export class AccountCard extends LitElement {
  static override styles = accountCardStyles;

  /** Re-renders only when something shown changed: a re-read list brings new objects for every account. */
  @property({ attribute: false, hasChanged: (next: Account, previous?: Account) => !sameAccount(next, previous) }) account!: Account;
  /** The host's support page; with a connection error, "Fix with AI Support" links there. */
  @property({ attribute: false }) supportUrl: string | null = null;
  /** Where a paused account's upgrade prompt goes, and the plan it names (null: "Upgrade your plan"). */
  @property({ attribute: false }) upgradeUrl: string | null = null;
  @property({ attribute: false }) upgradePlan: string | null = null;
  /** The BFF's origin: its own pictures may be plain http (the sandbox's). */
  @property({ attribute: false }) bffOrigin: string | null = null;
  /** The BFF's base URL: its error reference explains each code (`<bff>/errors#<code>`). */
  @property({ attribute: false }) errorReference: string | null = null;
  /** Days ahead that "Needs reconnecting by <date>" shows. */
  @property({ attribute: false }) warningDays = WARNING_DAYS;
  @state() private pictureFailed = false;
  private marks = new MarksController(this);
  private get menu(): HTMLElement {
    return this.renderRoot.querySelector('[role=menu]')!;
  }
  private get moreButton(): HTMLButtonElement {
    return this.renderRoot.querySelector('button.more')!;
  }

  override render() {
    const a = this.account;
    const paused = a.status === 'paused';
    const amber = !paused && a.health === 'needs_reconnect';
    const words = healthWords(a);
    const platform = platformLabel(a.platform);
    const avatar = this.pictureFailed ? null : safeUrl(a.avatarUrl, this.bffOrigin);
    const reason = amber ? reasonText(a) : null;
    const soon = needsActionSoon(a, this.warningDays);
    const name = a.displayName;
    return html`<article class="card ${paused ? 'paused' : amber ? 'amber' : 'healthy'}" part="card" aria-label="${name}, ${platform}, ${words}" @click=${this.onCardClick}>
      ${avatar
        ? html`<img class="avatar" src=${avatar} alt="" @error=${() => (this.pictureFailed = true)} />`
        : html`<span class="avatar" aria-hidden="true">${name.slice(0, 1).toUpperCase()}</span>`}
      <div class="who">
        <button class="name" aria-label=${msg(str`View details of ${name}`)} @click=${() => this.act('details')}>${name}</button>
        <div class="meta">${platformIcon(a.platform)}<span>${platform}${a.username ? html` · <bdi>@${a.username}</bdi>` : nothing}</span></div>
        <div class="health"><span class="dot" aria-hidden="true"></span><span>${words}</span></div>
      </div>
      ${reason ? html`<p class="reason">${reason}${errorHelp(this.errorReference, problemCode(a))}</p>` : nothing}
      ${paused ? html`<p class="reason">${pausedText(a.pausedReason, a.platform)}</p>` : nothing}
      ${soon && a.actionNeededBy
        ? html`<p class="soon"><time datetime=${a.actionNeededBy} title=${formatDateTime(a.actionNeededBy)}>${msg(str`Needs reconnecting by ${formatDate(a.actionNeededBy)}`)}</time></p>`
        : nothing}
      <div class="actions">
        ${paused
          ? hostUrl(this.upgradeUrl)
            ? html`<a class="button primary" href=${hostUrl(this.upgradeUrl)!.href}>${this.upgradePlan ? msg(str`Upgrade to ${this.upgradePlan}`) : msg('Upgrade your plan')}</a>`
            : nothing
          : amber
            ? html`<button class="primary" aria-label=${msg(str`Reconnect ${name}`)} @click=${() => this.act('reconnect')}>${msg('Reconnect')}</button>`
            : html`<button class="primary" aria-label=${msg(str`Create post for ${name}`)} @click=${this.createPost}>${msg('Create post')}</button>`}
        ${amber && a.lastError && hostUrl(this.supportUrl)
          ? html`<a class="support" href=${this.supportHref(a)} target="_blank" rel="noopener">${msg('Fix with AI Support')}</a>`
          : nothing}
        <button
          class="more"
          aria-haspopup="menu"
          aria-expanded="false"
          aria-label=${msg(str`More actions for ${name}`)}
          title=${msg('More actions')}
          @click=${this.toggleMenu}
        >
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><circle cx="3" cy="8" r="1.5" fill="currentColor"></circle><circle cx="8" cy="8" r="1.5" fill="currentColor"></circle><circle cx="13" cy="8" r="1.5" fill="currentColor"></circle></svg>
        </button>
        <div role="menu" popover part="menu" aria-label=${msg(str`Actions for ${name}`)} @keydown=${this.onMenuKey} @toggle=${this.onMenuToggle}>
          <button role="menuitem" @click=${() => this.act('details')}>${msg('View details')}</button>
          ${amber || paused ? html`<button role="menuitem" @click=${this.createPost}>${msg('Create post')}</button>` : nothing}
          ${amber ? nothing : html`<button role="menuitem" @click=${() => this.act('reconnect')}>${msg('Reconnect')}</button>`}
          <button role="menuitem" class="danger" @click=${() => this.act('disconnect')}>${msg('Disconnect')}</button>
        </div>
      </div>
    </article>`;
  }

  /** The whole card is the way in, except its own buttons and links (and a person selecting text). */
  private onCardClick = (event: MouseEvent) => {
    const path = event.composedPath();
    const inner = path.slice(0, path.indexOf(event.currentTarget as EventTarget));
    if (inner.some((n) => n instanceof Element && n.matches('button, a, input, [role=menu]'))) return;
    if (String(window.getSelection() ?? '').length > 0) return;
    this.act('details');
  };

  /** The menu's behaviour (placing it, the arrow keys) is its own module, fetched while the page is idle or by the first click. */
  private toggleMenu = (event: Event) => {
    event.stopPropagation();
    void loadCardMenu().then((m) => (cardMenu = m).toggleMenu(this, this.menu, this.moreButton));
  };

  private onMenuToggle = (event: ToggleEvent) => {
    this.moreButton.setAttribute('aria-expanded', String(event.newState === 'open'));
    // Closed by Escape or a click elsewhere while focus was in it: back to its button.
    if (event.newState === 'closed' && this.menu.contains(this.renderRoot.querySelector(':focus'))) this.moreButton.focus();
  };

  // (an open menu has its module: opening it loaded it)
  private onMenuKey = (event: KeyboardEvent) => cardMenu?.onMenuKey(event, this.menu);

  private act(action: Action) {
    if (this.menu?.matches(':popover-open')) {
      // Focus goes to the button the menu came from, so a dialog opened now returns it there.
      this.moreButton.focus();
      this.menu.hidePopover();
    }
    this.dispatchEvent(new CpAccountActionEvent(this.account.id, action));
  }

  private createPost = () => {
    if (this.menu?.matches(':popover-open')) {
      this.moreButton.focus();
      this.menu.hidePopover();
    }
    this.dispatchEvent(new CpCreatePostEvent(this.account.id));
  };

  private supportHref(a: Account): string {
    const url = hostUrl(this.supportUrl)!;
    url.searchParams.set('error', `${platformLabel(a.platform)}: ${a.lastError!.code}: ${a.lastError!.message}`);
    url.searchParams.set('error_code', a.lastError!.code);
    const reference = errorReferenceUrl(this.errorReference, a.lastError!.code);
    if (reference) url.searchParams.set('error_reference', reference);
    return url.href;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-account-card': AccountCard;
  }
}
