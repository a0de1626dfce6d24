import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { localized } from '@lit/localize';
import { msg, str } from '../i18n/i18n.ts';
import { buttonStyles } from '../styles/button.styles.ts';
import { dialogStyles } from '../styles/dialog.styles.ts';

/**
 * @tagname cp-confirm-dialog
 *
 * A native modal <dialog> asking to confirm an action. `ask()` opens it and resolves with the
 * answer; focus goes back to what had it before. Escape closes only this dialog, never one
 * beneath it (the detail panel it was asked from).
 *
 * @csspart dialog - the dialog
 */
@localized()
export class ConfirmDialog extends LitElement {
  static override styles = [
    buttonStyles,
    dialogStyles,
    css`
      dialog {
        max-width: 26rem;
      }
    `,
  ];

  @property() heading = '';
  @property() message = '';
  @property({ attribute: 'confirm-label' }) confirmLabel = '';
  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  override render() {
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="message" @cancel=${() => this.answer(false)}>
      <h2 id="title">${this.heading}</h2>
      <p id="message">${this.message}</p>
      <div class="buttons">
        <button autofocus @click=${() => this.answer(false)}>${msg('Cancel')}</button>
        <button class="danger" @click=${() => this.answer(true)}>${this.confirmLabel}</button>
      </div>
    </dialog>`;
  }

  #pending: { resolve: (answer: boolean) => void; returnFocus: HTMLElement | null } | null = null;

  /** Opens the dialog; resolves true when confirmed, false when cancelled or dismissed (Escape). */
  /** Asks whether to disconnect an account, saying what stays and what goes. */
  askDisconnect(name: string, returnFocus?: HTMLElement | null): Promise<boolean> {
    return this.ask({
      heading: msg(str`Disconnect ${name}?`),
      message: msg('You can no longer publish to it or manage it here. Its published posts and analytics stay in your workspace, and reconnecting it later restores access.'),
      confirmLabel: msg('Disconnect'),
      returnFocus: returnFocus ?? null,
    });
  }

  async ask(options: { heading: string; message: string; confirmLabel: string; returnFocus?: HTMLElement | null }): Promise<boolean> {
    this.answer(false); // a question still open is answered "no" first
    this.heading = options.heading;
    this.message = options.message;
    this.confirmLabel = options.confirmLabel;
    await this.updateComplete;
    return new Promise((resolve) => {
      this.#pending = { resolve, returnFocus: options.returnFocus ?? null };
      this.dialog.showModal();
    });
  }

  /** Answers from the buttons and Escape directly, not from the (later, queued) close event. */
  private answer(yes: boolean) {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    if (this.dialog.open) this.dialog.close();
    pending.returnFocus?.focus();
    pending.resolve(yes);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-confirm-dialog': ConfirmDialog;
  }
}
