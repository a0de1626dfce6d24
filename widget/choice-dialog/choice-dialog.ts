import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { localized } from '@lit/localize';
import type { ApiClient } from '../api/api-client.ts';
import { safeUrl } from '../api/safe-url.ts';
import { apiContext } from '../context/api-context.ts';
import { errorHelp } from '../api/error-reference.ts';
import type { Choices } from '../controllers/oauth-flow.ts';
import { formatNumber, msg, plural, str } from '../i18n/i18n.ts';
import { codeOfText, kindLabel } from '../i18n/messages.ts';
import { buttonStyles } from '../styles/button.styles.ts';
import { dialogStyles, sheetStyles } from '../styles/dialog.styles.ts';

/**
 * @tagname cp-choice-dialog
 *
 * The choice after OAuth when one grant covers several Facebook Pages, Instagram professional
 * accounts or LinkedIn organizations: the person ticks which to add (each one is an account
 * and counts against the limit). `choose()` resolves with the ids, or null when cancelled.
 * How many more the plan allows is read fresh from the BFF (the API client from context) as
 * it opens.
 *
 * @csspart dialog - the dialog
 */
@localized()
export class ChoiceDialog extends LitElement {
  static override styles = [
    buttonStyles,
    dialogStyles,
    css`
      dialog {
        width: min(30rem, calc(100vw - 2rem));
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
      }
      legend {
        padding: 0;
        margin-bottom: 0.5rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.25rem;
        max-height: 50vh;
        overflow: auto;
      }
      label {
        display: flex;
        align-items: center;
        gap: 0.625rem;
        padding: 0.5rem;
        border-radius: 0.5rem;
        cursor: pointer;
      }
      label:hover {
        background: var(--cp-button-background, #f6f8fa);
      }
      input:disabled + img,
      input:disabled ~ span {
        opacity: 0.7;
      }
      img,
      .initial {
        width: 32px;
        height: 32px;
        border-radius: 50%;
        flex: none;
      }
      .initial {
        display: grid;
        place-items: center;
        background: var(--cp-muted-background, #eaeef2);
        font-weight: 600;
      }
      small {
        display: block;
        color: var(--cp-muted-color, #57606a);
      }
      .problem {
        color: var(--cp-danger-color, #cf222e);
      }
      input:focus-visible {
        outline: 2px solid var(--cp-accent-color, #0969da);
        outline-offset: 2px;
      }
      @media (prefers-color-scheme: dark) {
        small {
          color: var(--cp-muted-color, #8b949e);
        }
        .initial {
          background: var(--cp-muted-background, #30363d);
        }
        .problem {
          color: var(--cp-danger-color, #ff7b72);
        }
        label:hover {
          background: var(--cp-button-background, #21262d);
        }
      }
    `,
    // Last, so the narrow layout wins over the sizes above.
    sheetStyles,
  ];

  @consume({ context: apiContext, subscribe: true })
  @state()
  private client: ApiClient | null = null;

  @property() label = '';
  @property({ attribute: false }) choices: Choices = [];
  /** How many more accounts the plan allows (null: no limit), to say so beside the list. */
  @property({ attribute: false }) remaining: number | null = null;
  @property() problem = '';
  @state() private picked = new Set<string>();
  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }
  #pending: ((ids: string[] | null) => void) | null = null;

  /** Opens the choice; resolves with the picked ids, or null when cancelled (Escape included). */
  async choose(options: { label: string; choices: Choices; remaining: number | null; problem?: string }): Promise<string[] | null> {
    this.answer(null);
    this.label = options.label;
    this.choices = options.choices;
    this.remaining = options.remaining;
    this.problem = options.problem ?? '';
    const open = options.choices.filter((c) => !c.alreadyConnected);
    // One new account to add: ticked already. Several: the person picks.
    this.picked = new Set(open.length === 1 ? [open[0]!.id] : []);
    await this.updateComplete;
    void this.readRemaining();
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.dialog.showModal();
    });
  }

  /** What the plan allows now (another tab may have added accounts meanwhile). */
  private async readRemaining() {
    try {
      const data = await this.client?.listPlatforms();
      if (data && this.#pending) this.remaining = data.accountLimit === null ? null : Math.max(0, data.accountLimit - data.accountCount);
    } catch {
      // The count given when it opened stands; the BFF refuses an over-limit pick anyway.
    }
  }

  override render() {
    const count = this.picked.size;
    const over = this.remaining !== null && count > this.remaining;
    return html`<dialog part="dialog" aria-labelledby="choice-title" @cancel=${() => this.answer(null)}>
      <form method="dialog" @submit=${this.onSubmit}>
        <h2 id="choice-title">${msg(str`Choose what to add from ${this.label}`)}</h2>
        <fieldset>
          <legend>
            ${this.remaining === null
              ? msg('Each one you tick becomes an account here.')
              : plural(this.remaining, 'choose-legend-limit', {
                  one: str`Each one you tick becomes an account here and counts against your plan: ${formatNumber(this.remaining)} more can be added.`,
                  other: str`Each one you tick becomes an account here and counts against your plan: ${formatNumber(this.remaining)} more can be added.`,
                })}
          </legend>
          <ul>
            ${this.choices.map(
              (c) => html`<li>
                <label>
                  <input
                    type="checkbox"
                    name="id"
                    .value=${c.id}
                    .checked=${c.alreadyConnected || this.picked.has(c.id)}
                    ?disabled=${c.alreadyConnected}
                    @change=${(e: Event) => this.toggle(c.id, (e.target as HTMLInputElement).checked)}
                  />
                  ${safeUrl(c.avatarUrl, this.client?.origin)
                    ? html`<img src=${safeUrl(c.avatarUrl, this.client?.origin)!} alt="" @error=${(e: Event) => ((e.target as HTMLImageElement).hidden = true)} />`
                    : html`<span class="initial" aria-hidden="true">${c.name.charAt(0)}</span>`}
                  <span>${c.name}<small>${kindLabel(c.kind)}${c.alreadyConnected ? html` · ${msg('already connected')}` : nothing}</small></span>
                </label>
              </li>`,
            )}
          </ul>
        </fieldset>
        ${this.problem ? html`<p class="problem" role="alert">${this.problem}${errorHelp(this.client?.baseUrl, codeOfText(this.problem))}</p>` : nothing}
        ${over
          ? html`<p class="problem" role="status">
              ${plural(count - this.remaining!, 'choose-over', {
                one: str`That is ${formatNumber(count - this.remaining!)} more than your plan allows.`,
                other: str`That is ${formatNumber(count - this.remaining!)} more than your plan allows.`,
              })}
            </p>`
          : nothing}
        <div class="buttons">
          <button type="button" @click=${() => this.answer(null)}>${msg('Cancel')}</button>
          <button type="submit" class="primary" ?disabled=${count === 0 || over}>${count === 0 ? msg('Add') : msg(str`Add ${formatNumber(count)}`)}</button>
        </div>
      </form>
    </dialog>`;
  }

  private toggle(id: string, on: boolean) {
    const next = new Set(this.picked);
    if (on) next.add(id);
    else next.delete(id);
    this.picked = next;
  }

  private onSubmit = (event: Event) => {
    event.preventDefault();
    if (this.picked.size > 0) this.answer([...this.picked]);
  };

  private answer(ids: string[] | null) {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    if (this.dialog.open) this.dialog.close();
    pending(ids);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-choice-dialog': ChoiceDialog;
  }
}
